import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

/// One malformed request and the field its refusal must name.
struct BadRequest: Sendable, CustomTestStringConvertible {
  var field: String
  var call: @Sendable (ReceptionService, ServerContext) async throws -> Void
  var testDescription: String { field }

  init(
    _ field: String,
    _ call: @escaping @Sendable (ReceptionService, ServerContext) async throws -> Void
  ) {
    self.field = field
    self.call = call
  }

  static func reserve(
    _ field: String,
    _ change: @escaping @Sendable (inout Tongxin_Reception_ReserveRoomRequest) -> Void
  ) -> BadRequest {
    BadRequest(field) { service, context in
      var request = Tongxin_Reception_ReserveRoomRequest.with {
        $0.roomCode = "tongxin"
        $0.start = stamp(at(15, 10))
        $0.end = stamp(at(15, 11))
        $0.holder = .with { $0.holder = .eventID("event-1") }
        $0.holdKey = "key"
      }
      change(&request)
      _ = try await service.reserveRoom(request, context: context)
    }
  }

  static func create(
    _ field: String,
    _ change: @escaping @Sendable (inout Tongxin_Reception_CreateDelegationRequest) -> Void
  ) -> BadRequest {
    BadRequest(field) { service, context in
      var request = Tongxin_Reception_CreateDelegationRequest.with {
        $0.visitingBody = "杭州市委统战部"
        $0.leadOfficial = "王建华"
        $0.headCount = 10
        $0.purpose = .visit
        $0.start = stamp(at(15, 9))
        $0.end = stamp(at(15, 12))
      }
      change(&request)
      _ = try await service.createDelegation(request, context: context)
    }
  }

  static func addVisitors(
    _ field: String, _ visitors: [Tongxin_Reception_NewVisitor], delegation: String = "d-1"
  ) -> BadRequest {
    BadRequest(field) { service, context in
      _ = try await service.addVisitors(
        .with {
          $0.delegationID = delegation
          $0.visitors = visitors
        }, context: context)
    }
  }
}

@Suite("Every validation error names its field")
struct ValidationTests {
  static let ok = Tongxin_Reception_NewVisitor.with { $0.name = "李丽" }

  static let badRequests: [BadRequest] = [
    .reserve("room_code") { $0.roomCode = "" },
    .reserve("room_code") { $0.roomCode = "kitchen" },
    .reserve("start") { $0.start = nil },
    .reserve("start") { $0.start = stamp(0) },
    .reserve("start") { $0.start?.nanos = -1 },
    .reserve("end") { $0.end = stamp(at(15, 9)) },
    .reserve("setup_minutes") { $0.setupMinutes = 500 },
    .reserve("teardown_minutes") { $0.teardownMinutes = 241 },
    .reserve("holder") { $0.holder = nil },
    .reserve("holder") { $0.holder = .init() },
    .reserve("holder.event_id") { $0.holder = .with { $0.holder = .eventID("") } },
    .reserve("holder.event_id") { $0.holder = .with { $0.holder = .eventID("no spaces") } },
    .reserve("holder.delegation_id") { $0.holder = .with { $0.holder = .delegationID("") } },
    .reserve("hold_key") { $0.holdKey = "" },
    .reserve("hold_key") { $0.holdKey = "with space" },
    .reserve("title") { $0.title = String(repeating: "长", count: 201) },
    BadRequest("id") { service, context in
      _ = try await service.moveBooking(.init(), context: context)
    },
    BadRequest("version") { service, context in
      _ = try await service.moveBooking(.with { $0.id = "b-1" }, context: context)
    },
    BadRequest("version") { service, context in
      _ = try await service.releaseBooking(.with { $0.id = "b-1" }, context: context)
    },
    BadRequest("page_size") { service, context in
      _ = try await service.listBookings(.with { $0.pageSize = 5000 }, context: context)
    },
    BadRequest("page_token") { service, context in
      _ = try await service.listBookings(.with { $0.pageToken = "next" }, context: context)
    },
    BadRequest("page_token") { service, context in
      _ = try await service.listDelegations(
        .with { $0.pageToken = "\(Int.max)" }, context: context)
    },
    BadRequest("end") { service, context in
      _ = try await service.getAvailability(
        .with {
          $0.start = stamp(at(15, 0))
          $0.end = stamp(at(15, 0) + 93 * 86_400)
        }, context: context)
    },
    .create("visiting_body") { $0.visitingBody = "  " },
    .create("lead_official") { $0.leadOfficial = "" },
    .create("lead_rank") { $0.leadRank = "处长\u{7}" },
    .create("head_count") { $0.headCount = 0 },
    .create("head_count") { $0.headCount = 10_001 },
    .create("purpose") { $0.purpose = .unspecified },
    .create("purpose") { $0.purpose = .unrecognized(42) },
    .create("end") { $0.end = $0.start },
    .create("end") { $0.end = stamp(at(15, 9) + 15 * 86_400) },
    .create("host_member_id") { $0.hostMemberID = "per 1" },
    .create("notes") { $0.notes = String(repeating: "注", count: 2001) },
    BadRequest("status") { service, context in
      _ = try await service.setDelegationStatus(
        .with {
          $0.id = "d-1"
          $0.version = 1
        }, context: context)
    },
    BadRequest("reason") { service, context in
      _ = try await service.setDelegationStatus(
        .with {
          $0.id = "d-1"
          $0.version = 1
          $0.status = .cancelled
        }, context: context)
    },
    BadRequest("statuses[0]") { service, context in
      _ = try await service.listDelegations(
        .with { $0.statuses = [.unrecognized(9)] }, context: context)
    },
    .addVisitors("delegation_id", [ok], delegation: ""),
    .addVisitors("visitors", []),
    .addVisitors("visitors", Array(repeating: ok, count: 501)),
    .addVisitors("visitors[1].name", [ok, .init()]),
    .addVisitors(
      "visitors[0].phone",
      [
        .with {
          $0.name = "李丽"
          $0.phone = "call me"
        }
      ]),
    .addVisitors(
      "visitors[0].id_number",
      [
        .with {
          $0.name = "李丽"
          $0.idNumber = "12-34"
        }
      ]),
    BadRequest("at") { service, context in
      _ = try await service.checkInVisitors(
        .with {
          $0.delegationID = "d-1"
          $0.at = stamp(ReceptionFixture.today + 3600)
        },
        context: context)
    },
    BadRequest("visitor_ids[1]") { service, context in
      _ = try await service.checkInVisitors(
        .with {
          $0.delegationID = "d-1"
          $0.visitorIds = ["v-1", "v-1"]
        }, context: context)
    },
    BadRequest("end") { service, context in
      _ = try await service.getStatistics(
        .with {
          $0.start = stamp(at(15, 9))
          $0.end = stamp(at(14, 9))
        }, context: context)
    },
  ]

  @Test("bad input is INVALID_ARGUMENT naming the field", arguments: badRequests)
  func invalidArgument(_ bad: BadRequest) async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    #expect(delegation.id == "d-1")
    let error = await expectRefusal(.invalidArgument, field: bad.field) {
      try await bad.call(fixture.service, fixture.context())
    }
    #expect(error?.message.hasPrefix(bad.field) == true, "\(String(describing: error))")
  }

  static let missing: [BadRequest] = [
    BadRequest("id") { service, context in
      _ = try await service.getBooking(.with { $0.id = "b-404" }, context: context)
    },
    BadRequest("id") { service, context in
      _ = try await service.getBooking(.with { $0.id = "d-1" }, context: context)
    },
    BadRequest("id") { service, context in
      _ = try await service.getDelegation(.with { $0.id = "d-404" }, context: context)
    },
    .addVisitors("delegation_id", [ok], delegation: "d-404"),
    BadRequest("delegation_id") { service, context in
      _ = try await service.listVisitors(.with { $0.delegationID = "d-404" }, context: context)
    },
    BadRequest("visitor_ids[0]") { service, context in
      _ = try await service.checkOutVisitors(
        .with {
          $0.delegationID = "d-1"
          $0.visitorIds = ["visitor-1"]
        }, context: context)
    },
  ]

  @Test("an id that names nothing is NOT_FOUND naming the field", arguments: missing)
  func notFound(_ bad: BadRequest) async throws {
    let fixture = try ReceptionFixture()
    _ = try await fixture.createDelegation()
    await expectRefusal(.notFound, field: bad.field) {
      try await bad.call(fixture.service, fixture.context())
    }
  }
}
