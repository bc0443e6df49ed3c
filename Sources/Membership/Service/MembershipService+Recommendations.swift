import GRDB
import TongxinMessages
import TongxinRPC

extension MembershipService {
  public func createRecommendation(
    _ request: Tongxin_Membership_CreateRecommendationRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_Recommendation {
    let create = try RecommendationRequestRules.create(request)
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CreateRecommendation", request: request
    ) { db in
      _ = try PersonStore.fetch(create.nomineePersonID, field: "nominee_person_id", in: db)
      if !create.targetAssociationCode.isEmpty {
        let association = try AssociationStore.fetch(
          create.targetAssociationCode, field: "target_association_code", in: db)
        try RecommendationRequestRules.checkTargetKind(association, target: create.target)
        try Self.checkNotAlreadyMember(create, in: db)
      }
      return try RecommendationStore.insert(create, now: now, in: db)
    }
  }

  public func advanceRecommendation(
    _ request: Tongxin_Membership_AdvanceRecommendationRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_Recommendation {
    let advance = try RecommendationRequestRules.advance(request)
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "AdvanceRecommendation", request: request
    ) { db in try RecommendationStore.advance(advance, now: now, in: db) }
  }

  public func getRecommendation(
    _ request: Tongxin_Membership_GetRecommendationRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_Recommendation {
    let id = try Validation.id(request.id, "id")
    return try await database.read { db in try RecommendationStore.fetch(id, field: "id", in: db) }
  }

  public func listRecommendations(
    _ request: Tongxin_Membership_ListRecommendationsRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_ListRecommendationsResponse {
    let (query, pageSize, token) = try RecommendationRequestRules.list(request)
    return try await database.read { db in
      try RecommendationListing.run(query, pageSize: pageSize, after: token, in: db)
    }
  }

  /// Recommending someone to a body they already belong to is a mistake worth catching.
  private static func checkNotAlreadyMember(
    _ request: Tongxin_Membership_CreateRecommendationRequest, in db: Database
  ) throws {
    let current = MembershipLifecycle.current.map { String($0.rawValue) }.joined(separator: ",")
    let isMember =
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM membership WHERE person_id = ? AND association_code = ?
            AND status IN (\(current)))
          """, arguments: [request.nomineePersonID, request.targetAssociationCode]) ?? false
    if isMember {
      throw FieldError.precondition(
        "target_association_code",
        "person \(request.nomineePersonID) is already a member of \(request.targetAssociationCode)")
    }
  }
}
