import Testing
import TongxinMessages
import TongxinRPC

@Suite("Registrations", .serialized)
struct RegistrationTests {
  @Test("100 registrations at once for 20 seats through two instances: 20 seated, 80 waiting in order")
  func capacityUnderConcurrency() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let event = try await api.createEvent(eventRequest(room: nil, capacity: 20))
    let results = try await withThrowingTaskGroup(of: Tongxin_Events_Registration.self) { group in
      for index in 0..<100 {
        group.addTask {
          try await api.createRegistration(
            .with { $0.eventID = event.id; $0.attendee = guest("访客\(index)") },
            options: CallOptions(idempotencyKey: "register-\(index)"))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let listed = try await api.listRegistrations(.with { $0.eventID = event.id })
    #expect(results.count == 100)
    #expect(listed.summary?.registered == 20)
    #expect(listed.summary?.waitlisted == 80)
    #expect(listed.registrations.map(\.sequence) == Array(1...100))
    #expect(listed.registrations.prefix(20).allSatisfy { $0.status == .registered })
    #expect(listed.registrations.dropFirst(20).allSatisfy { $0.status == .waitlisted })
    let refreshed = try await api.getEvent(.with { $0.id = event.id })
    #expect(refreshed.seatsLeft == 0 && refreshed.waitlistedCount == 80)
    await cluster.shutdown()
  }

  @Test("cancelling a seat promotes the first waitlisted at once; completing marks no-shows")
  func waitlistPromotion() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    // Started yesterday (the day's 02:00 UTC is still ahead before 02:00): completing it is allowed.
    let event = try await api.createEvent(eventRequest(room: nil, capacity: 2, days: -1, hours: 72))
    var registrations: [Tongxin_Events_Registration] = []
    for name in ["甲", "乙", "丙", "丁"] {
      registrations.append(
        try await api.createRegistration(.with { $0.eventID = event.id; $0.attendee = guest(name) }))
    }
    #expect(registrations.map(\.status) == [.registered, .registered, .waitlisted, .waitlisted])
    let cancelled = try await api.cancelRegistration(.with { $0.id = registrations[0].id })
    #expect(cancelled.registration?.status == .cancelled)
    #expect(cancelled.promoted?.id == registrations[2].id)
    #expect(cancelled.promoted?.status == .registered)
    // The same member cannot hold two live registrations.
    let twice = await rpcError {
      _ = try await api.createRegistration(.with { $0.eventID = event.id; $0.attendee = guest("乙") })
    }
    #expect(twice?.code == .alreadyExists)
    let attended = try await api.checkIn(.with { $0.registrationID = registrations[1].id })
    #expect(attended.status == .attended)
    let waiting = await rpcError { _ = try await api.checkIn(.with { $0.registrationID = registrations[3].id }) }
    #expect(waiting?.code == .failedPrecondition)
    let current = try await api.getEvent(.with { $0.id = event.id })
    _ = try await api.setEventStatus(
      .with { $0.id = event.id; $0.version = current.version; $0.status = .completed })
    let listed = try await api.listRegistrations(.with { $0.eventID = event.id })
    #expect(listed.registrations.map(\.status) == [.cancelled, .attended, .noShow, .cancelled])
    let record = try await api.getPersonAttendance(.with { $0.attendee = guest("乙") })
    #expect(record.attended == 1 && record.entries.count == 1)
    await cluster.shutdown()
  }

  @Test("members are checked with membership; drafts take no registrations")
  func memberChecks() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let event = try await api.createEvent(eventRequest(room: nil))
    let member = try await api.createRegistration(
      .with { $0.eventID = event.id; $0.attendee = .with { $0.attendee = .memberID("per_1") } })
    #expect(member.status == .registered)
    let unknown = await rpcError {
      _ = try await api.createRegistration(
        .with { $0.eventID = event.id; $0.attendee = .with { $0.attendee = .memberID("nobody") } })
    }
    #expect(unknown?.code == .notFound)
    #expect(unknown?.details["field"] == "attendee.member_id")
    var draftRequest = eventRequest(room: nil)
    draftRequest.publish = false
    let draft = try await api.createEvent(draftRequest)
    let refused = await rpcError {
      _ = try await api.createRegistration(.with { $0.eventID = draft.id; $0.attendee = guest("甲") })
    }
    #expect(refused?.code == .failedPrecondition)
    await cluster.shutdown()
  }
}
