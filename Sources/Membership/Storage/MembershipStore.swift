import GRDB
import TongxinMessages
import TongxinRPC

/// Memberships in the database: joining, post and status changes, each with its history
/// entry in the same transaction. Every function runs inside the caller's transaction.
enum MembershipStore {
  typealias Record = Tongxin_Membership_MembershipRecord
  typealias Post = Tongxin_Membership_Post
  typealias Status = Tongxin_Membership_MembershipStatus

  /// Starts a membership. `request` is validated; ids are checked here.
  static func join(
    _ request: Tongxin_Membership_JoinAssociationRequest, joined: Instant, now: Instant,
    in db: Database
  ) throws -> Record {
    _ = try PersonStore.fetch(request.personID, field: "person_id", in: db)
    _ = try AssociationStore.fetch(request.associationCode, field: "association_code", in: db)
    if let open = try Row.fetchOne(
      db,
      sql:
        "SELECT id, status FROM membership WHERE person_id = ? AND association_code = ? AND status <> ?",
      arguments: [request.personID, request.associationCode, Status.left.rawValue])
    {
      let status = Status(rawValue: open["status"])
      throw FieldError.alreadyExists(
        "person_id",
        "person \(request.personID) already has membership \(open["id"] as String) of "
          + "\(request.associationCode) (\(status.protoName))")
    }
    if let left = try Int64.fetchOne(
      db, sql: "SELECT MAX(left_ns) FROM membership WHERE person_id = ? AND association_code = ?",
      arguments: [request.personID, request.associationCode]
    ).map(Instant.init(nanoseconds:)),
      joined < left
    {
      throw FieldError.precondition(
        "joined_at",
        "\(joined.text) is before the person left \(request.associationCode) at \(left.text)")
    }
    var record = Record()
    record.id = Identifier.membership()
    record.personID = request.personID
    record.associationCode = request.associationCode
    record.post = request.post
    record.status = request.status
    record.joinedAt = joined.timestamp
    record.version = 1
    try checkSingleHolder(record, in: db)
    try db.execute(
      sql: """
        INSERT INTO membership (id, person_id, association_code, post, status, joined_ns,
          version, created_ns)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?)
        """,
      arguments: [
        record.id, record.personID, record.associationCode, record.post.rawValue,
        record.status.rawValue, joined.nanoseconds, now.nanoseconds,
      ])
    try HistoryStore.append(
      change(
        record, kind: .joined, fromPost: .unspecified, fromStatus: .unspecified,
        by: request.changedBy, reason: request.reason),
      effective: joined, recordedAt: now, in: db)
    return record
  }

  /// Sets a new post and/or status on membership `id` at `version`, effective at `effective`,
  /// and records the change. Checks the version, the date order and the single-holder posts;
  /// the caller has checked that the change itself is legal.
  static func change(
    _ id: String, version: Int64, post: Post? = nil, status: Status? = nil, effective: Instant,
    by: String, reason: String, now: Instant, in db: Database,
    check: (Record) throws -> Void
  ) throws -> Record {
    let current = try fetch(id, in: db)
    guard current.version == version else {
      throw FieldError.staleVersion("membership", id: id, sent: version, current: current.version)
    }
    try check(current)
    if let last = try HistoryStore.lastEffective(of: id, in: db), effective < last {
      throw FieldError.precondition(
        "effective_at",
        "\(effective.text) is before the membership's last change (\(last.text)); history is kept in date order"
      )
    }
    var updated = current
    updated.post = post ?? current.post
    updated.status = status ?? current.status
    updated.version = current.version + 1
    if updated.status == .left { updated.leftAt = effective.timestamp }
    try checkSingleHolder(updated, in: db)
    try db.execute(
      sql: """
        UPDATE membership SET post = ?, status = ?, left_ns = ?, version = version + 1
        WHERE id = ?
        """,
      arguments: [
        updated.post.rawValue, updated.status.rawValue,
        updated.status == .left ? effective.nanoseconds : nil, id,
      ])
    try HistoryStore.append(
      change(
        updated, kind: post != nil ? .postChanged : .statusChanged, fromPost: current.post,
        fromStatus: current.status, by: by, reason: reason),
      effective: effective, recordedAt: now, in: db)
    return updated
  }

  /// Membership `id`; NOT_FOUND naming `membership_id` when there is none.
  static func fetch(_ id: String, in db: Database) throws -> Record {
    guard
      let row = try Row.fetchOne(db, sql: "SELECT * FROM membership WHERE id = ?", arguments: [id])
    else { throw FieldError.notFound("membership_id", "membership", id) }
    return record(row)
  }

  /// Every membership of person `id`, oldest first.
  static func memberships(of personID: String, in db: Database) throws -> [Record] {
    try Row.fetchAll(
      db, sql: "SELECT * FROM membership WHERE person_id = ? ORDER BY joined_ns, id",
      arguments: [personID]
    ).map { record($0) }
  }

  /// A membership from a row; `prefix` is that of its columns in a join (`m_`).
  static func record(_ row: Row, prefix: String = "") -> Record {
    var record = Record()
    record.id = row[prefix + "id"]
    record.personID = row[prefix + "person_id"]
    record.associationCode = row[prefix + "association_code"]
    record.post = .init(rawValue: row[prefix + "post"])
    record.status = .init(rawValue: row[prefix + "status"])
    record.joinedAt = Instant(nanoseconds: row[prefix + "joined_ns"]).timestamp
    record.leftAt = (row[prefix + "left_ns"] as Int64?).map { Instant(nanoseconds: $0).timestamp }
    record.version = row[prefix + "version"]
    return record
  }

  /// FAILED_PRECONDITION when `record` would be a second current holder of a post that only
  /// one member holds (president, secretary-general).
  private static func checkSingleHolder(_ record: Record, in db: Database) throws {
    guard MembershipLifecycle.singleHolderPosts.contains(record.post),
      MembershipLifecycle.current.contains(record.status)
    else { return }
    let statuses = MembershipLifecycle.current.map { String($0.rawValue) }.joined(separator: ",")
    if let holder = try Row.fetchOne(
      db,
      sql: """
        SELECT m.id, p.name FROM membership m JOIN person p ON p.id = m.person_id
        WHERE m.association_code = ? AND m.post = ? AND m.status IN (\(statuses)) AND m.id <> ?
        """, arguments: [record.associationCode, record.post.rawValue, record.id])
    {
      throw FieldError.precondition(
        "post",
        "\(record.associationCode) already has a \(record.post.protoName): \(holder["name"] as String) "
          + "(membership \(holder["id"] as String)); change their post first")
    }
  }

  private static func change(
    _ record: Record, kind: Tongxin_Membership_ChangeKind, fromPost: Post, fromStatus: Status,
    by: String, reason: String
  ) -> Tongxin_Membership_MembershipChange {
    var change = Tongxin_Membership_MembershipChange()
    change.membershipID = record.id
    change.personID = record.personID
    change.associationCode = record.associationCode
    change.kind = kind
    change.fromPost = fromPost
    change.toPost = record.post
    change.fromStatus = fromStatus
    change.toStatus = record.status
    change.changedBy = by
    change.reason = reason
    return change
  }
}
