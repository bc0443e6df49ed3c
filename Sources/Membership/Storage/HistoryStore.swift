import GRDB
import TongxinMessages

/// The append-only history of memberships (the table refuses updates and deletes).
enum HistoryStore {
  typealias Change = Tongxin_Membership_MembershipChange

  /// Appends `change`, effective at `effective` and stamped with `recordedAt`; returns it with
  /// its sequence.
  @discardableResult
  static func append(_ change: Change, effective: Instant, recordedAt: Instant, in db: Database)
    throws -> Change
  {
    try db.execute(
      sql: """
        INSERT INTO membership_change (membership_id, person_id, association_code, kind,
          from_post, to_post, from_status, to_status, effective_ns, recorded_ns, changed_by,
          reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        change.membershipID, change.personID, change.associationCode, change.kind.rawValue,
        change.fromPost.rawValue, change.toPost.rawValue, change.fromStatus.rawValue,
        change.toStatus.rawValue, effective.nanoseconds, recordedAt.nanoseconds,
        change.changedBy, change.reason,
      ])
    var stored = change
    stored.sequence = db.lastInsertedRowID
    stored.effectiveAt = effective.timestamp
    stored.recordedAt = recordedAt.timestamp
    return stored
  }

  /// When the latest change of membership `id` took effect.
  static func lastEffective(of id: String, in db: Database) throws -> Instant? {
    try Int64.fetchOne(
      db, sql: "SELECT MAX(effective_ns) FROM membership_change WHERE membership_id = ?",
      arguments: [id]
    ).map(Instant.init(nanoseconds:))
  }

  /// Every change of the memberships of person `id`, by effective time, then sequence.
  static func history(of personID: String, in db: Database) throws -> [Change] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT * FROM membership_change WHERE person_id = ?
        ORDER BY effective_ns, sequence
        """, arguments: [personID]
    ).map(change)
  }

  private static func change(_ row: Row) -> Change {
    var change = Change()
    change.sequence = row["sequence"]
    change.membershipID = row["membership_id"]
    change.personID = row["person_id"]
    change.associationCode = row["association_code"]
    change.kind = .init(rawValue: row["kind"])
    change.fromPost = .init(rawValue: row["from_post"])
    change.toPost = .init(rawValue: row["to_post"])
    change.fromStatus = .init(rawValue: row["from_status"])
    change.toStatus = .init(rawValue: row["to_status"])
    change.effectiveAt = Instant(nanoseconds: row["effective_ns"]).timestamp
    change.recordedAt = Instant(nanoseconds: row["recorded_ns"]).timestamp
    change.changedBy = row["changed_by"]
    change.reason = row["reason"]
    return change
  }
}
