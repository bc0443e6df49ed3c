import TongxinMessages
import TongxinRPC

/// Checks of recommendation requests that need no database.
enum RecommendationRequestRules {
  static func create(_ request: Tongxin_Membership_CreateRecommendationRequest) throws
    -> Tongxin_Membership_CreateRecommendationRequest
  {
    var result = request
    result.nomineePersonID = try Validation.id(request.nomineePersonID, "nominee_person_id")
    result.track = try Validation.required(request.track, "track")
    result.target = try Validation.required(request.target, "target")
    try RecommendationWorkflow.checkTrack(result.track, target: result.target)
    result.targetAssociationCode = try Validation.optional(
      request.targetAssociationCode, "target_association_code", maxLength: 32)
    switch result.target {
    case .joinAssociation where result.targetAssociationCode.isEmpty:
      throw FieldError.invalid(
        "target_association_code", "is required for \(result.target.protoName)")
    case .joinAssociation, .joinDemocraticParty:
      break
    default:
      guard result.targetAssociationCode.isEmpty else {
        throw FieldError.invalid(
          "target_association_code", "must be empty for \(result.target.protoName)")
      }
    }
    result.nominator = try Validation.required(request.nominator, "nominator", maxLength: 100)
    result.reasons = try Validation.optional(request.reasons, "reasons", maxLength: 2000, lineBreaks: true)
    result.createdBy = try Validation.required(request.createdBy, "created_by", maxLength: 50)
    return result
  }

  /// The kind of body each target may name: associations for JOIN_ASSOCIATION, party
  /// branches for JOIN_DEMOCRATIC_PARTY.
  static func checkTargetKind(
    _ association: Tongxin_Membership_Association, target: Tongxin_Membership_RecommendationTarget
  ) throws {
    let expected: Tongxin_Membership_AssociationKind =
      target == .joinAssociation ? .association : .partyBranch
    guard association.kind == expected else {
      throw FieldError.invalid(
        "target_association_code",
        "\(association.code) is a \(association.kind.protoName); \(target.protoName) needs a "
          + expected.protoName)
    }
  }

  static func advance(_ request: Tongxin_Membership_AdvanceRecommendationRequest) throws
    -> Tongxin_Membership_AdvanceRecommendationRequest
  {
    var result = request
    result.id = try Validation.id(request.id, "id")
    result.version = try Validation.version(request.version)
    result.toStatus = try Validation.required(request.toStatus, "to_status")
    result.by = try Validation.required(request.by, "by", maxLength: 50)
    result.note = try Validation.optional(request.note, "note", maxLength: 2000, lineBreaks: true)
    return result
  }

  static func list(_ request: Tongxin_Membership_ListRecommendationsRequest) throws
    -> (Tongxin_Membership_ListRecommendationsRequest, pageSize: Int, token: PageToken?)
  {
    var result = request
    result.nomineePersonID = try Validation.optional(
      request.nomineePersonID, "nominee_person_id", maxLength: 64)
    result.target = try Validation.known(request.target, "target")
    result.track = try Validation.known(request.track, "track")
    result.status = try Validation.known(request.status, "status")
    let pageSize = try PageSize.resolve(request.pageSize)
    let token = try PageToken.decode(
      request.pageToken, query: RecommendationListing.queryHash(result))
    return (result, pageSize, token)
  }
}
