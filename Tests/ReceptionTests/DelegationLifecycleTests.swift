import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("A delegation's lifecycle")
struct DelegationLifecycleTests {
  @Test("requested → confirmed → checked in → completed, one version per step")
  func happyPath() async throws {
    let fixture = try ReceptionFixture()
    var delegation = try await fixture.createDelegation()
    #expect(delegation.status == .requested && delegation.version == 1)
    for status in [Tongxin_Reception_DelegationStatus.confirmed, .checkedIn, .completed] {
      delegation = try await fixture.setStatus(delegation, status)
      #expect(delegation.status == status)
    }
    #expect(delegation.version == 4)
    let read = try await fixture.service.getDelegation(
      .with { $0.id = delegation.id }, context: fixture.context())
    #expect(read == delegation)
  }

  @Test("an illegal step is refused with the steps that are allowed")
  func illegalStep() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    let error = await expectRefusal(.failedPrecondition, field: "status") {
      _ = try await fixture.setStatus(delegation, .completed)
    }
    #expect(error?.message.contains("CONFIRMED or CANCELLED") == true)
    let done = try await fixture.setStatus(delegation, .cancelled, reason: "weather")
    #expect(done.statusReason == "weather")
    await expectRefusal(.failedPrecondition, field: "status") {
      _ = try await fixture.setStatus(done, .confirmed)
    }
    await expectRefusal(.failedPrecondition, field: "id") {
      _ = try await fixture.service.updateDelegation(
        .with {
          $0.id = done.id
          $0.version = done.version
          $0.visitingBody = "x"
          $0.leadOfficial = "y"
          $0.headCount = 1
          $0.purpose = .visit
          $0.start = stamp(at(15, 9))
          $0.end = stamp(at(15, 10))
        }, context: fixture.context())
    }
  }

  @Test("a stale version is ABORTED and says the current one")
  func staleVersion() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    _ = try await fixture.setStatus(delegation, .confirmed)
    let error = await expectRefusal(.aborted, field: "version") {
      _ = try await fixture.setStatus(delegation, .cancelled, reason: "late")
    }
    #expect(error?.details["current_version"] == "2")
  }

  @Test("cancelling or a no-show releases the delegation's rooms")
  func cancellingReleasesRooms() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    try await fixture.reserve(from: 10, to: 11, holder: .delegationID(delegation.id))
    var confirmed = try await fixture.setStatus(delegation, .confirmed)
    #expect(confirmed.bookings.count == 1)
    confirmed = try await fixture.setStatus(confirmed, .noShow, reason: "never came")
    #expect(confirmed.bookings.isEmpty)
    try await fixture.reserve(from: 10, to: 11)
    let all = try await fixture.service.listBookings(
      .with { $0.includeCancelled = true }, context: fixture.context())
    #expect(all.bookings.map(\.status) == [.cancelled, .booked])
    #expect(all.bookings[0].releaseReason.contains("NO_SHOW"))
  }

  @Test("the head count must fit every room booked for the delegation")
  func headCountFitsRooms() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation(headCount: 25)
    let error = await expectRefusal(.failedPrecondition, field: "room_code") {
      try await fixture.reserve("tongzhan", from: 10, to: 11, holder: .delegationID(delegation.id))
    }
    #expect(error?.message.contains("seats 20") == true)
    try await fixture.reserve("dangqun", from: 10, to: 11, holder: .delegationID(delegation.id))
    await expectRefusal(.failedPrecondition, field: "head_count") {
      _ = try await fixture.service.updateDelegation(
        Self.update(delegation, headCount: 31), context: fixture.context())
    }
    let updated = try await fixture.service.updateDelegation(
      Self.update(delegation, headCount: 30), context: fixture.context())
    #expect(updated.headCount == 30 && updated.version == 2)
  }

  @Test("a delegation's bookings lie within its visit")
  func bookingsWithinVisit() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation(start: at(15, 9), end: at(15, 12))
    await expectRefusal(.failedPrecondition, field: "start") {
      try await fixture.reserve(from: 11, to: 13, holder: .delegationID(delegation.id))
    }
    try await fixture.reserve(from: 11, to: 12, holder: .delegationID(delegation.id))
    var shorter = Self.update(delegation, headCount: delegation.headCount)
    shorter.end = stamp(at(15, 11.5))
    await expectRefusal(.failedPrecondition, field: "start") {
      _ = try await fixture.service.updateDelegation(shorter, context: fixture.context())
    }
    await expectRefusal(.notFound, field: "holder.delegation_id") {
      try await fixture.reserve(from: 13, to: 14, holder: .delegationID("d-999"))
    }
  }

  @Test("creating twice with one idempotency key makes one delegation")
  func idempotentCreate() async throws {
    let fixture = try ReceptionFixture()
    let first = try await fixture.createDelegation(key: "create-1")
    let again = try await fixture.createDelegation(key: "create-1")
    #expect(again == first)
    let listed = try await fixture.service.listDelegations(.init(), context: fixture.context())
    #expect(listed.delegations.count == 1)
    await expectRefusal(.invalidArgument, field: "idempotency_key") {
      _ = try await fixture.createDelegation(headCount: 3, key: "create-1")
    }
  }

  @Test("a host the directory does not know is refused; a known one is kept")
  func hostsAreChecked() async throws {
    struct OnlyZhang: HostDirectory {
      func verifyHost(_ memberID: String, timeout: Duration) async throws {
        guard memberID == "per_zhang" else {
          throw RPCError(code: .notFound, message: "no", details: ["field": "host_member_id"])
        }
      }
    }
    let fixture = try ReceptionFixture(hosts: OnlyZhang())
    let delegation = try await fixture.createDelegation()
    var request = Self.update(delegation, headCount: 5)
    request.hostMemberID = "per_li"
    await expectRefusal(.notFound, field: "host_member_id") {
      _ = try await fixture.service.updateDelegation(request, context: fixture.context())
    }
    request.hostMemberID = "per_zhang"
    let hosted = try await fixture.service.updateDelegation(request, context: fixture.context())
    #expect(hosted.hostMemberID == "per_zhang")
    _ = try await fixture.createDelegation()
    let byHost = try await fixture.service.listDelegations(
      .with { $0.hostMemberID = "per_zhang" }, context: fixture.context())
    #expect(byHost.delegations.map(\.id) == [hosted.id])
  }

  static func update(_ delegation: Tongxin_Reception_Delegation, headCount: UInt32)
    -> Tongxin_Reception_UpdateDelegationRequest
  {
    .with {
      $0.id = delegation.id
      $0.version = delegation.version
      $0.visitingBody = delegation.visitingBody
      $0.leadOfficial = delegation.leadOfficial
      $0.leadRank = delegation.leadRank
      $0.headCount = headCount
      $0.purpose = delegation.purpose
      $0.start = delegation.start
      $0.end = delegation.end
    }
  }
}
