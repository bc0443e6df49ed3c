import Foundation
import GRDB
import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Instances racing for one slot: exactly one wins")
struct BookingRaceTests {
  /// Twelve reservations of overlapping times in one room, each with its own hold key.
  static func requests() -> [Tongxin_Reception_ReserveRoomRequest] {
    (0..<12).map { index in
      .with {
        $0.roomCode = "ningxin"
        $0.start = stamp(at(15, 14 + Double(index % 3) * 0.25))
        $0.end = stamp(at(15, 15 + Double(index % 3) * 0.25))
        $0.holder = .with { $0.holder = .eventID("event-\(index)") }
        $0.holdKey = "race-\(index)"
      }
    }
  }

  @Test("two database handles on one file (two instances) book the slot once")
  func twoHandles() async throws {
    let first = try ReceptionFixture()
    let second = try ReceptionFixture(path: first.path)
    let outcomes = try await withThrowingTaskGroup(of: StatusCode.self) { group in
      for (index, request) in Self.requests().enumerated() {
        let fixture = index.isMultiple(of: 2) ? first : second
        group.addTask {
          do {
            _ = try await fixture.service.reserveRoom(request, context: fixture.context())
            return .ok
          } catch let error as RPCError {
            return error.code
          }
        }
      }
      return try await group.reduce(into: [StatusCode]()) { $0.append($1) }
    }
    #expect(outcomes.count(where: { $0 == .ok }) == 1)
    #expect(outcomes.count(where: { $0 == .failedPrecondition }) == 11)
    let booked = try await first.database.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM bookings WHERE status = 1")
    }
    #expect(booked == 1)
  }

  @Test("two RPC instances behind the gateway book the slot once")
  func twoInstancesBehindTheGateway() async throws {
    let cluster = try await ReceptionCluster(instances: 2)
    let reception = cluster.reception
    let outcomes = try await withThrowingTaskGroup(of: StatusCode.self) { group in
      for request in Self.requests() {
        group.addTask {
          do {
            _ = try await reception.reserveRoom(request)
            return .ok
          } catch let error as RPCError {
            return error.code
          }
        }
      }
      return try await group.reduce(into: [StatusCode]()) { $0.append($1) }
    }
    let calls = try await cluster.callsPerInstance()
    await cluster.shutdown()
    #expect(outcomes.count(where: { $0 == .ok }) == 1)
    #expect(outcomes.count(where: { $0 == .failedPrecondition }) == 11)
    // Both instances took part in the race, or it would prove nothing about two of them.
    #expect(calls.count == 2 && calls.values.allSatisfy { $0 > 0 }, "\(calls)")
  }
}
