import GRDB
import TongxinRPC

/// Reads and writes of `visitors`, inside the caller's transaction.
enum VisitorStore {
  static func count(ofDelegation delegation: Int64, in db: Database) throws -> Int {
    try Int.fetchOne(
      db, sql: "SELECT count(*) FROM visitors WHERE delegation_id = ?", arguments: [delegation])
      ?? 0
  }

  static func all(ofDelegation delegation: Int64, in db: Database) throws -> [VisitorRecord] {
    try VisitorRecord.fetchAll(
      db, sql: "SELECT * FROM visitors WHERE delegation_id = ? ORDER BY id",
      arguments: [delegation])
  }

  /// Adds `visitor` to `delegation` and returns the new row's id.
  static func insert(
    _ visitor: NewVisitorDetails, delegation: Int64, now: Int64, in db: Database
  ) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO visitors (delegation_id, name, organisation, post, phone, id_number,
          created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        delegation, visitor.name, visitor.organisation, visitor.post, visitor.phone,
        visitor.idNumber, now,
      ])
    return db.lastInsertedRowID
  }

  static func setCheckedIn(_ visitor: Int64, at instant: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE visitors SET checked_in_at = ? WHERE id = ?", arguments: [instant, visitor])
  }

  static func setCheckedOut(_ visitor: Int64, at instant: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE visitors SET checked_out_at = ? WHERE id = ?", arguments: [instant, visitor])
  }

  /// Clears phone and ID number of every visitor whose visit ended before `cutoff`; returns
  /// how many visitors were purged. Only the personal columns change: the rows, and with them
  /// every statistic, stay as they were.
  static func purgePersonalData(endedBefore cutoff: Int64, now: Int64, in db: Database) throws
    -> Int
  {
    try db.execute(
      sql: """
        UPDATE visitors SET phone = '', id_number = '', personal_data_purged_at = ?
        WHERE personal_data_purged_at IS NULL
          AND delegation_id IN (SELECT id FROM delegations WHERE end_at <= ?)
        """,
      arguments: [now, cutoff])
    return db.changesCount
  }
}
