import GRDB
import TongxinMessages
import TongxinRPC

/// Recommendations and their append-only steps. Every function runs inside the caller's
/// transaction.
enum RecommendationStore {
  typealias Recommendation = Tongxin_Membership_Recommendation
  typealias Status = Tongxin_Membership_RecommendationStatus

  /// Creates a DRAFT from a validated request, recording the creation as the first step.
  static func insert(
    _ request: Tongxin_Membership_CreateRecommendationRequest, now: Instant, in db: Database
  ) throws -> Recommendation {
    let id = Identifier.recommendation()
    try db.execute(
      sql: """
        INSERT INTO recommendation (id, nominee_person_id, track, target,
          target_association_code, nominator, reasons, status, rejection_reason, version,
          created_ns, updated_ns)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?)
        """,
      arguments: [
        id, request.nomineePersonID, request.track.rawValue, request.target.rawValue,
        request.targetAssociationCode, request.nominator, request.reasons,
        Status.draft.rawValue, now.nanoseconds, now.nanoseconds,
      ])
    try appendStep(
      id, from: .unspecified, to: .draft, at: now, by: request.createdBy, note: "", in: db)
    return try fetch(id, field: "id", in: db)
  }

  /// Takes one step of a validated request: checks the version and the workflow, then records
  /// the step with the new status.
  static func advance(
    _ request: Tongxin_Membership_AdvanceRecommendationRequest, now: Instant, in db: Database
  ) throws -> Recommendation {
    let current = try fetch(request.id, field: "id", in: db)
    guard current.version == request.version else {
      throw FieldError.staleVersion(
        "recommendation", id: request.id, sent: request.version, current: current.version)
    }
    try RecommendationWorkflow.checkStep(
      from: current.status, to: request.toStatus, reasons: current.reasons, note: request.note)
    try db.execute(
      sql: """
        UPDATE recommendation SET status = ?, rejection_reason = ?, version = version + 1,
          updated_ns = ?
        WHERE id = ?
        """,
      arguments: [
        request.toStatus.rawValue, request.toStatus == .rejected ? request.note : "",
        now.nanoseconds, request.id,
      ])
    try appendStep(
      request.id, from: current.status, to: request.toStatus, at: now, by: request.by,
      note: request.note, in: db)
    return try fetch(request.id, field: "id", in: db)
  }

  /// Recommendation `id` with its steps; NOT_FOUND naming `field` when there is none.
  static func fetch(_ id: String, field: String, in db: Database) throws -> Recommendation {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM recommendation WHERE id = ?", arguments: [id])
    else { throw FieldError.notFound(field, "recommendation", id) }
    return try recommendation(row, in: db)
  }

  static func recommendation(_ row: Row, in db: Database) throws -> Recommendation {
    var recommendation = Recommendation()
    recommendation.id = row["id"]
    recommendation.nomineePersonID = row["nominee_person_id"]
    recommendation.nomineeName =
      try PersonStore.name(of: recommendation.nomineePersonID, in: db) ?? ""
    recommendation.track = .init(rawValue: row["track"])
    recommendation.target = .init(rawValue: row["target"])
    recommendation.targetAssociationCode = row["target_association_code"]
    recommendation.nominator = row["nominator"]
    recommendation.reasons = row["reasons"]
    recommendation.status = .init(rawValue: row["status"])
    recommendation.rejectionReason = row["rejection_reason"]
    recommendation.version = row["version"]
    recommendation.createdAt = Instant(nanoseconds: row["created_ns"]).timestamp
    recommendation.updatedAt = Instant(nanoseconds: row["updated_ns"]).timestamp
    recommendation.steps = try Row.fetchAll(
      db,
      sql: "SELECT * FROM recommendation_step WHERE recommendation_id = ? ORDER BY sequence",
      arguments: [recommendation.id]
    ).map { step in
      .with {
        $0.fromStatus = .init(rawValue: step["from_status"])
        $0.toStatus = .init(rawValue: step["to_status"])
        $0.at = Instant(nanoseconds: step["at_ns"]).timestamp
        $0.by = step["taken_by"]
        $0.note = step["note"]
      }
    }
    return recommendation
  }

  private static func appendStep(
    _ id: String, from: Status, to: Status, at: Instant, by: String, note: String,
    in db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO recommendation_step (recommendation_id, from_status, to_status, at_ns,
          taken_by, note)
        VALUES (?, ?, ?, ?, ?, ?)
        """, arguments: [id, from.rawValue, to.rawValue, at.nanoseconds, by, note])
  }
}
