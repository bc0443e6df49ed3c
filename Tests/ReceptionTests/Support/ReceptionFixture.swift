import Foundation
import Synchronization
import Testing
import TongxinMessages
import TongxinRPC
import TongxinStorage
import TongxinWire

@testable import Reception

/// A clock the test moves by hand.
final class TestClock: Sendable {
  private let seconds: Atomic<Int64>

  init(_ start: Int64) { seconds = Atomic(start) }

  var now: Int64 { seconds.load(ordering: .relaxed) }

  func advance(days: Int64) { seconds.add(days * 86_400, ordering: .relaxed) }

  var closure: ReceptionService.Clock { { self.now } }
}

/// A reception service on a fresh database in a temporary folder, with a clock set to
/// 2025-01-10 12:00 local time.
struct ReceptionFixture {
  static let today = local(2025, 1, 10, 12)

  let path: String
  let database: ServiceDatabase
  let clock: TestClock
  let service: ReceptionService

  init(path: String = Self.temporaryPath(), hosts: any HostDirectory = UncheckedHostDirectory())
    throws
  {
    self.path = path
    database = try ReceptionSchema.open(path: path)
    clock = TestClock(Self.today)
    service = ReceptionService(
      database: database, hosts: hosts, clock: clock.closure, logger: quietLogger("reception"))
  }

  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-reception-\(UUID().uuidString)/reception.sqlite").path
  }

  /// The context of a call, with an idempotency key when given.
  func context(key: String = "") -> ServerContext {
    ServerContext(
      service: "reception", method: "test", idempotencyKey: key,
      deadline: .now + .seconds(30), instanceID: "test")
  }

  func purge(retentionDays: Int) -> PersonalDataPurge {
    PersonalDataPurge(
      database: database, retentionDays: retentionDays, clock: clock.closure,
      logger: quietLogger("purge"))
  }

  // MARK: Requests used by many tests

  /// Reserves `room` on 2025-01-15 (local) from `from` to `to` (hours, fractions allowed).
  @discardableResult
  func reserve(
    _ room: String = "tongxin", from: Double, to: Double, setup: UInt32 = 0,
    teardown: UInt32 = 0, holder: Tongxin_Reception_Holder.OneOf_Holder = .eventID("event-1"),
    holdKey: String = UUID().uuidString, day: Int64 = 15
  ) async throws -> Tongxin_Reception_Booking {
    try await service.reserveRoom(
      .with {
        $0.roomCode = room
        $0.start = stamp(at(day, from))
        $0.end = stamp(at(day, to))
        $0.setupMinutes = setup
        $0.teardownMinutes = teardown
        $0.holder = .with { $0.holder = holder }
        $0.holdKey = holdKey
        $0.title = "test"
      }, context: context())
  }

  /// A delegation visiting on 2025-01-15 (local) from 09:00 to 17:00.
  func createDelegation(
    headCount: UInt32 = 12, senior: Bool = false, body: String = "杭州市委统战部",
    start: Int64 = at(15, 9), end: Int64 = at(15, 17), key: String = ""
  ) async throws -> Tongxin_Reception_Delegation {
    try await service.createDelegation(
      .with {
        $0.visitingBody = body
        $0.leadOfficial = "王建华"
        $0.leadRank = senior ? "副市长" : "处长"
        $0.seniorLed = senior
        $0.headCount = headCount
        $0.purpose = .visit
        $0.start = stamp(start)
        $0.end = stamp(end)
      }, context: context(key: key))
  }

  /// Moves `delegation` to `status` and returns it.
  func setStatus(
    _ delegation: Tongxin_Reception_Delegation, _ status: Tongxin_Reception_DelegationStatus,
    reason: String = ""
  ) async throws -> Tongxin_Reception_Delegation {
    try await service.setDelegationStatus(
      .with {
        $0.id = delegation.id
        $0.version = delegation.version
        $0.status = status
        $0.reason = reason
      }, context: context())
  }

  /// Adds `count` visitors with phone and ID numbers.
  @discardableResult
  func addVisitors(_ delegation: Tongxin_Reception_Delegation, count: Int, key: String = "")
    async throws -> Tongxin_Reception_AddVisitorsResponse
  {
    try await service.addVisitors(
      .with {
        $0.delegationID = delegation.id
        $0.visitors = (0..<count).map { index in
          .with {
            $0.name = "访客\(index)"
            $0.organisation = delegation.visitingBody
            $0.phone = "1380013\(String(format: "%04d", index))"
            $0.idNumber = "44030519800101\(String(format: "%03d", index))X"
          }
        }
      }, context: context(key: key))
  }
}

/// 2025-01-`day` at `hour` (fractions are minutes) local time.
func at(_ day: Int64, _ hour: Double) -> Int64 {
  local(2025, 1, day, 0) + Int64(hour * 3600)
}

func local(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64, _ minute: Int64 = 0)
  -> Int64
{
  BaseCalendar.instant(year: year, month: month, day: day, hour: hour, minute: minute)
}

func stamp(_ seconds: Int64) -> Google_Protobuf_Timestamp {
  Timestamps.message(seconds)
}
