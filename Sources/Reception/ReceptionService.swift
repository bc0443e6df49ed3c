import Foundation
import GRDB
import Logging
import TongxinMessages
import TongxinRPC
import TongxinStorage

/// The reception service: rooms and bookings, delegations and visitors, statistics and the
/// base's profile, kept in one SQLite database that every instance shares.
///
/// Every write runs in one immediate transaction (checks included), so instances racing on
/// the same room or delegation take turns and the later one sees the earlier one's change.
/// Writes honour the call's idempotency key through ``ServiceDatabase/idempotentWrite``.
public final class ReceptionService: Tongxin_Reception_Reception.ServiceProtocol {
  /// Whole UTC seconds now; replaceable so that tests can move time.
  public typealias Clock = @Sendable () -> Int64

  public static let systemClock: Clock = { Int64(Date().timeIntervalSince1970.rounded(.down)) }

  let database: ServiceDatabase
  let hosts: any HostDirectory
  let clock: Clock
  let logger: Logger

  public init(
    database: ServiceDatabase, hosts: any HostDirectory = UncheckedHostDirectory(),
    clock: @escaping Clock = ReceptionService.systemClock,
    logger: Logger = Logger(label: "tongxin.reception")
  ) {
    self.database = database
    self.hosts = hosts
    self.clock = clock
    self.logger = logger
  }

  public func getBaseProfile(
    _ request: Tongxin_Reception_GetBaseProfileRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_BaseProfile {
    try await database.read { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM base_profile WHERE id = 1") else {
        throw RPCError(code: .internal, message: "the base profile was never seeded")
      }
      var profile = Tongxin_Reception_BaseProfile()
      profile.name = row["name"]
      profile.englishName = row["english_name"]
      profile.location = row["location"]
      profile.areaSquareMetres = row["area_square_metres"]
      profile.rooms = try RoomRecord.all(db).map(\.message)
      profile.services = try Row.fetchAll(
        db, sql: "SELECT * FROM base_services ORDER BY position"
      ).map { row in
        .with {
          $0.purpose = Tongxin_Reception_Purpose(rawValue: row["purpose"])
          $0.name = row["name"]
          $0.englishName = row["english_name"]
        }
      }
      profile.honours = try Row.fetchAll(db, sql: "SELECT * FROM honours ORDER BY position").map {
        row in
        .with {
          $0.year = row["year"]
          $0.month = row["month"]
          $0.title = row["title"]
          $0.englishTitle = row["english_title"]
          $0.awardedBy = row["awarded_by"]
        }
      }
      return profile
    }
  }

  public func listRooms(_ request: Tongxin_Reception_ListRoomsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_ListRoomsResponse
  {
    try await database.read { db in try .with { $0.rooms = try RoomRecord.all(db).map(\.message) } }
  }

  /// How long a call to another service may take: its share of the caller's deadline.
  func outgoingTimeout(_ context: ServerContext) -> Duration {
    min(.seconds(2), context.timeRemaining)
  }
}
