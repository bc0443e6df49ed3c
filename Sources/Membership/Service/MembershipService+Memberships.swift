import TongxinMessages
import TongxinRPC

extension MembershipService {
  public func listAssociations(
    _ request: Tongxin_Membership_ListAssociationsRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_ListAssociationsResponse {
    try await database.read { db in
      var response = Tongxin_Membership_ListAssociationsResponse()
      response.associations = try AssociationStore.all(in: db)
      return response
    }
  }

  public func joinAssociation(
    _ request: Tongxin_Membership_JoinAssociationRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_MembershipRecord {
    let now = Instant.now()
    let (join, joined) = try MembershipRequestRules.join(request, now: now)
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "JoinAssociation", request: request
    ) { db in try MembershipStore.join(join, joined: joined, now: now, in: db) }
  }

  public func changePost(_ request: Tongxin_Membership_ChangePostRequest, context: ServerContext)
    async throws -> Tongxin_Membership_MembershipRecord
  {
    let now = Instant.now()
    let (change, effective) = try MembershipRequestRules.changePost(request, now: now)
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "ChangePost", request: request
    ) { db in
      try MembershipStore.change(
        change.membershipID, version: change.version, post: change.post, effective: effective,
        by: change.changedBy, reason: change.reason, now: now, in: db
      ) { current in try MembershipRequestRules.checkPostChange(current, to: change.post) }
    }
  }

  public func changeStatus(
    _ request: Tongxin_Membership_ChangeStatusRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_MembershipRecord {
    let now = Instant.now()
    let (change, effective) = try MembershipRequestRules.changeStatus(request, now: now)
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "ChangeStatus", request: request
    ) { db in
      try MembershipStore.change(
        change.membershipID, version: change.version, status: change.status,
        effective: effective, by: change.changedBy, reason: change.reason, now: now, in: db
      ) { current in
        try MembershipLifecycle.checkTransition(from: current.status, to: change.status)
      }
    }
  }

  public func listMembers(_ request: Tongxin_Membership_ListMembersRequest, context: ServerContext)
    async throws -> Tongxin_Membership_ListMembersResponse
  {
    let (query, pageSize, token) = try MembershipRequestRules.listMembers(request)
    return try await database.read { db in
      try MemberListing.run(query, pageSize: pageSize, after: token, in: db)
    }
  }

  public func searchDirectory(
    _ request: Tongxin_Membership_SearchDirectoryRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_SearchDirectoryResponse {
    let (query, pageSize, token) = try MembershipRequestRules.searchDirectory(request)
    return try await database.read { db in
      try DirectorySearch.run(query, pageSize: pageSize, after: token, in: db)
    }
  }

  public func getStatistics(
    _ request: Tongxin_Membership_GetStatisticsRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_GetStatisticsResponse {
    let code = try Validation.optional(request.associationCode, "association_code", maxLength: 32)
    return try await database.read { db in
      var response = Tongxin_Membership_GetStatisticsResponse()
      response.associations = try StatisticsQuery.run(code: code, in: db)
      return response
    }
  }

  public func getPersonHistory(
    _ request: Tongxin_Membership_GetPersonHistoryRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_GetPersonHistoryResponse {
    let id = try Validation.id(request.personID, "person_id")
    return try await database.read { db in
      _ = try PersonStore.fetch(id, field: "person_id", in: db)
      var response = Tongxin_Membership_GetPersonHistoryResponse()
      response.changes = try HistoryStore.history(of: id, in: db)
      return response
    }
  }
}
