import GRDB
import TongxinMessages
import TongxinRPC

/// Reads and writes of `bookings`. Every function runs inside the caller's transaction; the
/// checks and the write of one booking happen in one immediate transaction, so two instances
/// racing for a room take turns and the second sees the first one's booking.
enum BookingStore {
  /// What a new or moved booking asks for.
  struct Plan {
    var room: RoomRecord
    var interval: Range<Int64>
    var setupMinutes: Int64
    var teardownMinutes: Int64
    var holder: BookingHolder

    var occupied: Range<Int64> {
      BookingRules.occupied(interval, setupMinutes: setupMinutes, teardownMinutes: teardownMinutes)
    }
  }

  static func find(_ id: Int64, in db: Database) throws -> BookingRecord? {
    try BookingRecord.fetchOne(db, sql: "SELECT * FROM bookings WHERE id = ?", arguments: [id])
  }

  /// The booking `wireID` names, or NOT_FOUND.
  static func require(_ wireID: String, field: String = "id", in db: Database) throws
    -> BookingRecord
  {
    let row = try RecordID.row(wireID, prefix: RecordID.booking, kind: "booking", field: field)
    guard let booking = try find(row, in: db) else {
      throw Refusal.notFound("booking", wireID, field: field)
    }
    return booking
  }

  static func find(holdKey: String, in db: Database) throws -> BookingRecord? {
    try BookingRecord.fetchOne(
      db, sql: "SELECT * FROM bookings WHERE hold_key = ?", arguments: [holdKey])
  }

  /// Refuses `plan` unless the room is open, free and (for a delegation) fit for it.
  ///
  /// `excluding` is the booking being moved, which never conflicts with itself.
  static func check(_ plan: Plan, excluding: Int64? = nil, in db: Database) throws {
    try BookingRules.checkOpen(plan.occupied, room: plan.room)
    if case .delegation(let id) = plan.holder {
      let delegation = try DelegationStore.require(id, field: "holder.delegation_id", in: db)
      try delegation.checkCanHold(plan.room, for: plan.interval)
    }
    let clash = try BookingRecord.fetchOne(
      db,
      sql: """
        SELECT * FROM bookings
        WHERE status = ? AND room_code = ? AND occupied_from < ? AND occupied_until > ?
          AND id != ?
        ORDER BY occupied_from LIMIT 1
        """,
      arguments: [
        Tongxin_Reception_BookingStatus.booked.rawValue, plan.room.code,
        plan.occupied.upperBound, plan.occupied.lowerBound, excluding ?? 0,
      ])
    if let clash { throw BookingRules.conflict(with: clash, requested: plan.occupied) }
  }

  static func insert(
    _ plan: Plan, title: String, holdKey: String, now: Int64, in db: Database
  ) throws -> BookingRecord {
    try db.execute(
      sql: """
        INSERT INTO bookings (room_code, start_at, end_at, setup_minutes, teardown_minutes,
          occupied_from, occupied_until, holder_kind, holder_id, title, hold_key, status,
          release_reason, version, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?)
        """,
      arguments: [
        plan.room.code, plan.interval.lowerBound, plan.interval.upperBound, plan.setupMinutes,
        plan.teardownMinutes, plan.occupied.lowerBound, plan.occupied.upperBound,
        plan.holder.kind, plan.holder.id, title, holdKey,
        Tongxin_Reception_BookingStatus.booked.rawValue, now, now,
      ])
    return try find(db.lastInsertedRowID, in: db)!
  }

  /// Puts `booking` in `plan`'s room and time; the version grows by one.
  static func move(_ booking: BookingRecord, to plan: Plan, now: Int64, in db: Database) throws
    -> BookingRecord
  {
    try db.execute(
      sql: """
        UPDATE bookings SET room_code = ?, start_at = ?, end_at = ?, setup_minutes = ?,
          teardown_minutes = ?, occupied_from = ?, occupied_until = ?, version = version + 1,
          updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        plan.room.code, plan.interval.lowerBound, plan.interval.upperBound, plan.setupMinutes,
        plan.teardownMinutes, plan.occupied.lowerBound, plan.occupied.upperBound, now,
        booking.id,
      ])
    return try find(booking.id, in: db)!
  }

  /// Cancels `booking`: its time is free from this transaction's commit on.
  static func release(_ booking: BookingRecord, reason: String, now: Int64, in db: Database)
    throws -> BookingRecord
  {
    try db.execute(
      sql: """
        UPDATE bookings SET status = ?, release_reason = ?, version = version + 1, updated_at = ?
        WHERE id = ?
        """,
      arguments: [Tongxin_Reception_BookingStatus.cancelled.rawValue, reason, now, booking.id])
    return try find(booking.id, in: db)!
  }

  /// The bookings in force of a delegation, in order of start.
  static func inForce(ofDelegation wireID: String, in db: Database) throws -> [BookingRecord] {
    try BookingRecord.fetchAll(
      db,
      sql: """
        SELECT * FROM bookings WHERE holder_kind = 'delegation' AND holder_id = ? AND status = ?
        ORDER BY start_at, id
        """,
      arguments: [wireID, Tongxin_Reception_BookingStatus.booked.rawValue])
  }
}
