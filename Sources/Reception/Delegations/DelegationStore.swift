import GRDB
import TongxinMessages
import TongxinRPC

/// Reads and writes of `delegations`, inside the caller's transaction.
enum DelegationStore {
  static func find(_ id: Int64, in db: Database) throws -> DelegationRecord? {
    try DelegationRecord.fetchOne(
      db, sql: "SELECT * FROM delegations WHERE id = ?", arguments: [id])
  }

  /// The delegation `wireID` names, or NOT_FOUND.
  static func require(_ wireID: String, field: String = "id", in db: Database) throws
    -> DelegationRecord
  {
    let row = try RecordID.row(
      wireID, prefix: RecordID.delegation, kind: "delegation", field: field)
    guard let delegation = try find(row, in: db) else {
      throw Refusal.notFound("delegation", wireID, field: field)
    }
    return delegation
  }

  /// The wire form with the bookings in force and the visitors recorded.
  static func message(_ delegation: DelegationRecord, in db: Database) throws
    -> Tongxin_Reception_Delegation
  {
    let bookings = try BookingStore.inForce(ofDelegation: delegation.wireID, in: db)
    let visitors = try VisitorStore.count(ofDelegation: delegation.id, in: db)
    return delegation.message(bookings: bookings, visitorCount: visitors)
  }

  static func insert(_ details: DelegationDetails, now: Int64, in db: Database) throws
    -> DelegationRecord
  {
    try db.execute(
      sql: """
        INSERT INTO delegations (visiting_body, lead_official, lead_rank, senior_led, head_count,
          purpose, start_at, end_at, host_member_id, status, status_reason, notes, version,
          created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 1, ?, ?)
        """,
      arguments: [
        details.visitingBody, details.leadOfficial, details.leadRank, details.seniorLed,
        details.headCount, details.purpose.rawValue, details.visit.lowerBound,
        details.visit.upperBound, details.hostMemberID,
        Tongxin_Reception_DelegationStatus.requested.rawValue, details.notes, now, now,
      ])
    return try find(db.lastInsertedRowID, in: db)!
  }

  static func update(
    _ delegation: DelegationRecord, with details: DelegationDetails, now: Int64, in db: Database
  ) throws -> DelegationRecord {
    try db.execute(
      sql: """
        UPDATE delegations SET visiting_body = ?, lead_official = ?, lead_rank = ?,
          senior_led = ?, head_count = ?, purpose = ?, start_at = ?, end_at = ?,
          host_member_id = ?, notes = ?, version = version + 1, updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        details.visitingBody, details.leadOfficial, details.leadRank, details.seniorLed,
        details.headCount, details.purpose.rawValue, details.visit.lowerBound,
        details.visit.upperBound, details.hostMemberID, details.notes, now, delegation.id,
      ])
    return try find(delegation.id, in: db)!
  }

  static func setStatus(
    _ delegation: DelegationRecord, to status: Tongxin_Reception_DelegationStatus,
    reason: String, now: Int64, in db: Database
  ) throws -> DelegationRecord {
    try db.execute(
      sql: """
        UPDATE delegations SET status = ?, status_reason = ?, version = version + 1,
          updated_at = ?
        WHERE id = ?
        """,
      arguments: [status.rawValue, reason, now, delegation.id])
    return try find(delegation.id, in: db)!
  }

  /// One page of delegations matching the filters, in order of start.
  static func list(
    starting window: (from: Int64?, until: Int64?), statuses: [Tongxin_Reception_DelegationStatus],
    visitingBody: String, hostMemberID: String, paging: Paging, in db: Database
  ) throws -> [DelegationRecord] {
    var conditions: [String] = []
    var arguments: StatementArguments = []
    if let from = window.from {
      conditions.append("start_at >= ?")
      arguments += [from]
    }
    if let until = window.until {
      conditions.append("start_at < ?")
      arguments += [until]
    }
    if !statuses.isEmpty {
      conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
      arguments += StatementArguments(statuses.map(\.rawValue))
    }
    if !visitingBody.isEmpty {
      conditions.append("visiting_body = ?")
      arguments += [visitingBody]
    }
    if !hostMemberID.isEmpty {
      conditions.append("host_member_id = ?")
      arguments += [hostMemberID]
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    arguments += [paging.fetchLimit, paging.offset]
    return try DelegationRecord.fetchAll(
      db, sql: "SELECT * FROM delegations \(filter) ORDER BY start_at, id LIMIT ? OFFSET ?",
      arguments: arguments)
  }
}
