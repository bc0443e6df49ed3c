import Membership
import Testing
import TongxinMessages
import TongxinRPC

/// Every refusal of recommendation requests: the status and the field named.
@Suite("Bad recommendation requests are refused naming the field")
struct RecommendationValidationTests {
  static func create(_ nominee: String) -> Tongxin_Membership_CreateRecommendationRequest {
    .with {
      $0.nomineePersonID = nominee
      $0.track = .nonParty
      $0.target = .districtCppccMember
      $0.nominator = "达实大厦统战工作站"
      $0.reasons = "长期服务大厦党外知识分子"
      $0.createdBy = "测试员"
    }
  }

  static func advance(
    _ recommendation: Tongxin_Membership_Recommendation,
    to status: Tongxin_Membership_RecommendationStatus, note: String = ""
  ) -> Tongxin_Membership_AdvanceRecommendationRequest {
    .with {
      $0.id = recommendation.id
      $0.version = recommendation.version
      $0.toStatus = status
      $0.by = "南山区委统战部"
      $0.note = note
    }
  }

  static let cases: [ValidationCase] = [
    .init("a recommendation without a target", .invalidArgument, "target") { s, seed in
      var request = create(seed.outsider.id)
      request.target = .unspecified
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("joining an association on the party track", .invalidArgument, "track") { s, seed in
      var request = create(seed.outsider.id)
      request.track = .party
      request.target = .joinAssociation
      request.targetAssociationCode = "xinlianhui"
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("joining an association without naming it", .invalidArgument, "target_association_code") {
      s, seed in
      var request = create(seed.outsider.id)
      request.target = .joinAssociation
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("a congress seat naming an association", .invalidArgument, "target_association_code") {
      s, seed in
      var request = create(seed.outsider.id)
      request.targetAssociationCode = "zhilianhui"
      _ = try await s.createRecommendation(request, context: context())
    },
    .init(
      "joining an association that is a party branch", .invalidArgument, "target_association_code"
    ) {
      s, seed in
      var request = create(seed.outsider.id)
      request.target = .joinAssociation
      request.targetAssociationCode = "jiusan"
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("joining an association already joined", .failedPrecondition, "target_association_code") {
      s, seed in
      var request = create(seed.president.id)
      request.target = .joinAssociation
      request.targetAssociationCode = "zhilianhui"
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("an unknown nominee", .notFound, "nominee_person_id") { s, _ in
      _ = try await s.createRecommendation(create("per_missing"), context: context())
    },
    .init("no nominator", .invalidArgument, "nominator") { s, seed in
      var request = create(seed.outsider.id)
      request.nominator = ""
      _ = try await s.createRecommendation(request, context: context())
    },
    .init("skipping the review", .failedPrecondition, "to_status") { s, seed in
      let draft = try await s.createRecommendation(create(seed.outsider.id), context: context())
      _ = try await s.advanceRecommendation(advance(draft, to: .approved), context: context())
    },
    .init("submitting without reasons", .failedPrecondition, "reasons") { s, seed in
      var request = create(seed.outsider.id)
      request.reasons = ""
      let draft = try await s.createRecommendation(request, context: context())
      _ = try await s.advanceRecommendation(advance(draft, to: .submitted), context: context())
    },
    .init("a step at a stale version", .aborted, "version") { s, seed in
      let draft = try await s.createRecommendation(create(seed.outsider.id), context: context())
      _ = try await s.advanceRecommendation(advance(draft, to: .submitted), context: context())
      _ = try await s.advanceRecommendation(advance(draft, to: .submitted), context: context())
    },
    .init("a step without who takes it", .invalidArgument, "by") { s, seed in
      let draft = try await s.createRecommendation(create(seed.outsider.id), context: context())
      var request = advance(draft, to: .submitted)
      request.by = ""
      _ = try await s.advanceRecommendation(request, context: context())
    },
    .init("an unknown recommendation", .notFound, "id") { s, _ in
      _ = try await s.getRecommendation(.with { $0.id = "rec_missing" }, context: context())
    },
    .init("listing by an unknown status number", .invalidArgument, "status") { s, _ in
      _ = try await s.listRecommendations(
        .with { $0.status = .unrecognized(42) }, context: context())
    },
  ]

  @Test("is refused", arguments: cases)
  func refused(_ validation: ValidationCase) async throws {
    try await validation.check()
  }
}
