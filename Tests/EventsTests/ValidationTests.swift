import Testing
import TongxinMessages
import TongxinRPC

@Suite("Validation", .serialized)
struct ValidationTests {
  typealias Change = @Sendable (inout Tongxin_Events_CreateEventRequest) -> Void

  static let cases: [(String, StatusCode, Change)] = [
    ("title", .invalidArgument, { $0.title = " " }),
    ("title", .invalidArgument, { $0.title = String(repeating: "长", count: 201) }),
    ("kind", .invalidArgument, { $0.kind = .unspecified }),
    ("kind", .invalidArgument, { $0.kind = .init(rawValue: 99) }),
    ("association_codes", .invalidArgument, { $0.associationCodes = [] }),
    ("association_codes", .invalidArgument, { $0.associationCodes = ["zhilianhui", "zhilianhui"] }),
    ("association_codes", .invalidArgument, { $0.associationCodes = ["知联会"] }),
    ("association_codes", .failedPrecondition, { $0.associationCodes = ["nosuch"] }),
    ("start", .invalidArgument, { $0.start = nil }),
    ("start", .invalidArgument, { $0.start = .with { $0.seconds = -5 } }),
    ("start", .invalidArgument, { $0.start = .with { $0.seconds = 1_800_000_000; $0.nanos = -1 } }),
    ("end", .invalidArgument, { $0.end = $0.start }),
    ("end", .invalidArgument, { $0.end = .with { $0.seconds = 4_000_000_000 } }),
    ("venue", .invalidArgument, { $0.venue = nil }),
    ("venue.room_code", .invalidArgument, { $0.venue = .with { $0.venue = .roomCode("") } }),
    ("venue.outside_place", .invalidArgument, { $0.venue = .with { $0.venue = .outsidePlace("") } }),
    ("capacity", .invalidArgument, { $0.capacity = 0 }),
    ("capacity", .invalidArgument, { $0.capacity = 10_001 }),
    ("description", .invalidArgument, { $0.description_p = "a\u{7}b" }),
  ]

  @Test("every bad field of CreateEvent is refused naming it")
  func createEventFields() async throws {
    let cluster = try await EventsCluster()
    for (field, code, change) in Self.cases {
      var request = eventRequest(room: nil)
      change(&request)
      let error = await rpcError { _ = try await cluster.api.createEvent(request) }
      #expect(error?.code == code, "\(field)")
      #expect(error?.details["field"] == field, "\(error?.message ?? "accepted")")
    }
    await cluster.shutdown()
  }

  @Test("unknown ids are NOT_FOUND; bad status changes are refused")
  func idsAndStatus() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    for id in ["ev-999", "nonsense", "rg-1"] {
      let error = await rpcError { _ = try await api.getEvent(.with { $0.id = id }) }
      #expect(error?.code == .notFound && error?.details["field"] == "id")
    }
    let missing = await rpcError { _ = try await api.getEvent(.with { $0.id = "" }) }
    #expect(missing?.code == .invalidArgument)
    let event = try await api.createEvent(eventRequest(room: nil))
    let back = await rpcError {
      _ = try await api.setEventStatus(.with { $0.id = event.id; $0.version = event.version; $0.status = .draft })
    }
    #expect(back?.code == .failedPrecondition)
    let noReason = await rpcError {
      _ = try await api.setEventStatus(.with { $0.id = event.id; $0.version = event.version; $0.status = .cancelled })
    }
    #expect(noReason?.details["field"] == "reason")
    let early = await rpcError {
      _ = try await api.setEventStatus(.with { $0.id = event.id; $0.version = event.version; $0.status = .completed })
    }
    #expect(early?.code == .failedPrecondition)
    let badToken = await rpcError { _ = try await api.listEvents(.with { $0.pageToken = "x" }) }
    #expect(badToken?.details["field"] == "page_token")
    await cluster.shutdown()
  }
}
