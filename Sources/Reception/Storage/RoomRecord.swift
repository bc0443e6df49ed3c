import GRDB
import TongxinMessages
import TongxinRPC

/// A row of `rooms`.
struct RoomRecord: FetchableRecord, Sendable {
  var code: String
  var name: String
  var englishName: String
  var capacity: Int64
  /// Minutes after local midnight.
  var opensMinute: Int64
  var closesMinute: Int64

  init(row: Row) {
    code = row["code"]
    name = row["name"]
    englishName = row["english_name"]
    capacity = row["capacity"]
    opensMinute = row["opens_minute"]
    closesMinute = row["closes_minute"]
  }

  var message: Tongxin_Reception_Room {
    .with {
      $0.code = code
      $0.name = name
      $0.englishName = englishName
      $0.capacity = UInt32(clamping: capacity)
      $0.bookableHours = .with {
        $0.opensMinute = UInt32(clamping: opensMinute)
        $0.closesMinute = UInt32(clamping: closesMinute)
      }
    }
  }

  /// Every room, in the order the base lists them.
  static func all(_ db: Database) throws -> [RoomRecord] {
    try RoomRecord.fetchAll(db, sql: "SELECT * FROM rooms ORDER BY position")
  }

  /// The room `code` names; INVALID_ARGUMENT listing the rooms when it names none (the rooms
  /// are a fixed set, like the values of an enum).
  static func named(_ code: String, field: String, in db: Database) throws -> RoomRecord {
    guard !code.isEmpty else { throw Refusal.missing(field) }
    if let room = try RoomRecord.fetchOne(
      db, sql: "SELECT * FROM rooms WHERE code = ?", arguments: [code])
    {
      return room
    }
    let codes = try String.fetchAll(db, sql: "SELECT code FROM rooms ORDER BY position")
    throw Refusal.invalid(
      field,
      "\"\(code.prefix(40))\" is not a room of the base; rooms: \(codes.joined(separator: ", "))")
  }
}
