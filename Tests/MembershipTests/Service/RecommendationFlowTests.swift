import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Recommendations through their workflow")
struct RecommendationFlowTests {
  @Test("draft → submitted → under review → approved → completed records every step")
  func wholeWorkflow() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let nominee = try await service.makePerson("周宏伟")
    var recommendation = try await service.createRecommendation(
      RecommendationValidationTests.create(nominee.id), context: context())
    #expect(recommendation.status == .draft)
    #expect(recommendation.nomineeName == "周宏伟")
    for status in [.submitted, .underReview, .approved, .completed]
      as [Tongxin_Membership_RecommendationStatus]
    {
      recommendation = try await service.advanceRecommendation(
        RecommendationValidationTests.advance(recommendation, to: status, note: "同意"),
        context: context())
      #expect(recommendation.status == status)
    }
    let stored = try await service.getRecommendation(
      .with { $0.id = recommendation.id }, context: context())
    #expect(
      stored.steps.map(\.toStatus) == [.draft, .submitted, .underReview, .approved, .completed])
    #expect(
      stored.steps.map(\.fromStatus) == [.unspecified, .draft, .submitted, .underReview, .approved])
    #expect(stored.steps.first?.by == "测试员")
    #expect(stored.steps.dropFirst().allSatisfy { $0.by == "南山区委统战部" && $0.note == "同意" })
    #expect(stored.version == 5)
    // Completed is final.
    await expectFailure(.failedPrecondition, field: "to_status") {
      _ = try await service.advanceRecommendation(
        RecommendationValidationTests.advance(stored, to: .approved), context: context())
    }
  }

  @Test("a rejection keeps its written reason and is final")
  func rejection() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let nominee = try await service.makePerson("郭德华")
    var recommendation = try await service.createRecommendation(
      RecommendationValidationTests.create(nominee.id), context: context())
    for status in [.submitted, .underReview] as [Tongxin_Membership_RecommendationStatus] {
      recommendation = try await service.advanceRecommendation(
        RecommendationValidationTests.advance(recommendation, to: status), context: context())
    }
    await expectFailure(.invalidArgument, field: "note") {
      _ = try await service.advanceRecommendation(
        RecommendationValidationTests.advance(recommendation, to: .rejected, note: "  "),
        context: context())
    }
    recommendation = try await service.advanceRecommendation(
      RecommendationValidationTests.advance(recommendation, to: .rejected, note: "名额已满"),
      context: context())
    #expect(recommendation.rejectionReason == "名额已满")
    #expect(recommendation.steps.last?.note == "名额已满")
    await expectFailure(.failedPrecondition, field: "to_status") {
      _ = try await service.advanceRecommendation(
        RecommendationValidationTests.advance(recommendation, to: .completed), context: context())
    }
  }

  @Test("listing filters by nominee, target, track and status, and pages oldest first")
  func listing() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let first = try await service.makePerson("孙梦琪")
    let second = try await service.makePerson("马凯文")
    var ids: [String] = []
    for (i, nominee) in [first, second, first, second, first].enumerated() {
      var request = RecommendationValidationTests.create(nominee.id)
      if i == 4 {
        request.track = .party
        request.target = .joinPartyOrganisation
      }
      ids.append(try await service.createRecommendation(request, context: context()).id)
    }
    func list(_ build: (inout Tongxin_Membership_ListRecommendationsRequest) -> Void) async throws
      -> [String]
    {
      var request = Tongxin_Membership_ListRecommendationsRequest()
      build(&request)
      return try await service.listRecommendations(request, context: context()).recommendations.map(
        \.id)
    }
    #expect(try await list { $0.nomineePersonID = first.id } == [ids[0], ids[2], ids[4]])
    #expect(try await list { $0.track = .party } == [ids[4]])
    #expect(try await list { $0.target = .districtCppccMember } == Array(ids[0..<4]))
    #expect(try await list { $0.status = .submitted } == [])
    var paged: [String] = []
    var token = ""
    repeat {
      let page = try await service.listRecommendations(
        .with {
          $0.pageSize = 2
          $0.pageToken = token
        }, context: context())
      #expect(page.total == 5)
      paged += page.recommendations.map(\.id)
      token = page.nextPageToken
    } while !token.isEmpty
    #expect(paged == ids)
  }
}
