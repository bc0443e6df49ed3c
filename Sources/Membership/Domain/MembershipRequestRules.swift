import TongxinMessages
import TongxinRPC

/// Checks of membership requests that need no database: required fields, enum values, dates.
/// Each returns the request cleaned (trimmed, defaults filled) and the instant it takes effect.
enum MembershipRequestRules {
  static func join(_ request: Tongxin_Membership_JoinAssociationRequest, now: Instant) throws
    -> (Tongxin_Membership_JoinAssociationRequest, joined: Instant)
  {
    var result = request
    result.personID = try Validation.id(request.personID, "person_id")
    result.associationCode = try Validation.required(
      request.associationCode, "association_code", maxLength: 32)
    result.post = try Validation.known(request.post, "post")
    if result.post == .unspecified { result.post = .member }
    result.status = try Validation.known(request.status, "status")
    if result.status == .unspecified { result.status = .applied }
    guard MembershipLifecycle.initialStatuses.contains(result.status) else {
      throw FieldError.invalid(
        "status",
        "a membership starts as MEMBERSHIP_STATUS_APPLIED or MEMBERSHIP_STATUS_ACTIVE, not "
          + result.status.protoName)
    }
    result.changedBy = try Validation.required(request.changedBy, "changed_by", maxLength: 50)
    result.reason = try Validation.optional(request.reason, "reason", maxLength: 500, lineBreaks: true)
    let joined = try Instant.past(request.joinedAt, "joined_at", default: now, now: now)
    return (result, joined)
  }

  static func changePost(_ request: Tongxin_Membership_ChangePostRequest, now: Instant) throws
    -> (Tongxin_Membership_ChangePostRequest, effective: Instant)
  {
    var result = request
    result.membershipID = try Validation.id(request.membershipID, "membership_id")
    result.version = try Validation.version(request.version)
    result.post = try Validation.required(request.post, "post")
    result.changedBy = try Validation.required(request.changedBy, "changed_by", maxLength: 50)
    result.reason = try Validation.required(request.reason, "reason", maxLength: 500, lineBreaks: true)
    let effective = try Instant.past(request.effectiveAt, "effective_at", default: now, now: now)
    return (result, effective)
  }

  static func changeStatus(_ request: Tongxin_Membership_ChangeStatusRequest, now: Instant) throws
    -> (Tongxin_Membership_ChangeStatusRequest, effective: Instant)
  {
    var result = request
    result.membershipID = try Validation.id(request.membershipID, "membership_id")
    result.version = try Validation.version(request.version)
    result.status = try Validation.required(request.status, "status")
    result.changedBy = try Validation.required(request.changedBy, "changed_by", maxLength: 50)
    result.reason = try Validation.required(request.reason, "reason", maxLength: 500, lineBreaks: true)
    let effective = try Instant.past(request.effectiveAt, "effective_at", default: now, now: now)
    return (result, effective)
  }

  /// A post change needs a membership that has not ended and a post it does not hold yet.
  static func checkPostChange(
    _ current: Tongxin_Membership_MembershipRecord, to post: MembershipLifecycle.Post
  )
    throws
  {
    guard !MembershipLifecycle.former.contains(current.status) else {
      throw FieldError.precondition(
        "membership_id",
        "membership \(current.id) is \(current.status.protoName): former members hold no post")
    }
    guard current.post != post else {
      throw FieldError.precondition(
        "post", "membership \(current.id) already holds \(post.protoName)")
    }
  }

  static func listMembers(_ request: Tongxin_Membership_ListMembersRequest) throws
    -> (Tongxin_Membership_ListMembersRequest, pageSize: Int, token: PageToken?)
  {
    var result = request
    result.associationCode = try Validation.required(
      request.associationCode, "association_code", maxLength: 32)
    result.scope = try Validation.known(request.scope, "scope")
    if result.scope == .unspecified { result.scope = .current }
    let pageSize = try PageSize.resolve(request.pageSize)
    let token = try PageToken.decode(request.pageToken, query: MemberListing.queryHash(result))
    return (result, pageSize, token)
  }

  static func searchDirectory(_ request: Tongxin_Membership_SearchDirectoryRequest) throws
    -> (Tongxin_Membership_SearchDirectoryRequest, pageSize: Int, token: PageToken?)
  {
    var result = request
    result.associationCode = try Validation.optional(
      request.associationCode, "association_code", maxLength: 32)
    result.companyID = try Validation.optional(request.companyID, "company_id", maxLength: 64)
    result.titleLevel = try Validation.known(request.titleLevel, "title_level")
    result.category = try Validation.known(request.category, "category")
    result.tag = try Validation.optional(request.tag, "tag", maxLength: 30)
    result.nameContains = try Validation.optional(
      request.nameContains, "name_contains", maxLength: 50)
    let pageSize = try PageSize.resolve(request.pageSize)
    let token = try PageToken.decode(request.pageToken, query: DirectorySearch.queryHash(result))
    return (result, pageSize, token)
  }
}
