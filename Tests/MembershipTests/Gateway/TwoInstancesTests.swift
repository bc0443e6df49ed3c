import Membership
import Testing
import TongxinMessages
import TongxinRPC

/// The service through a real gateway (ZeroMQ over TCP) with two instances on one database.
@Suite("Two instances behind a gateway share one database", .serialized)
struct TwoInstancesTests {
  @Test("writes land on both instances and each sees the other's")
  func sharedDatabase() async throws {
    try await withCluster { cluster in
      let membership = cluster.membership
      let company = try await membership.createCompany(.with { $0.company = Records.company() })
      for i in 0..<10 {
        let person = try await membership.createPerson(
          .with { $0.person = Records.person("会员\(i)", companyID: company.id) })
        _ = try await membership.joinAssociation(Records.join(person.id, "xinlianhui"))
      }
      let calls = try await cluster.callsPerInstance()
      #expect(calls.count == 2)
      #expect(calls.values.allSatisfy { $0 > 0 }, "both instances served calls: \(calls)")
      for _ in 0..<4 {
        let members = try await membership.listMembers(.with { $0.associationCode = "xinlianhui" })
        #expect(members.total == 10)
      }
    }
  }

  @Test("concurrent updates at the same version: exactly one wins, the other is ABORTED")
  func concurrentUpdates() async throws {
    try await withCluster { cluster in
      let membership = cluster.membership
      var person = try await membership.createPerson(.with { $0.person = Records.person("韩诗涵") })
      for round in 0..<8 {
        let base = person
        let outcomes = try await withThrowingTaskGroup(of: StatusCode.self) { group in
          for writer in 0..<2 {
            group.addTask {
              var update = base
              update.companyPost = "round \(round) writer \(writer)"
              do {
                _ = try await membership.updatePerson(.with { $0.person = update })
                return .ok
              } catch let error as RPCError {
                return error.code
              }
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.sorted { $0.rawValue < $1.rawValue } == [.ok, .aborted], "round \(round)")
        person = try await membership.getPerson(.with { $0.id = base.id }).person!
        #expect(person.version == base.version + 1)
      }
      #expect(try await cluster.callsPerInstance().values.allSatisfy { $0 > 0 })
    }
  }

  @Test("the recommendation workflow through the gateway, with its refusals")
  func recommendationWorkflow() async throws {
    try await withCluster { cluster in
      let membership = cluster.membership
      let nominee = try await membership.createPerson(.with { $0.person = Records.person("冯雅琴") })
      var recommendation = try await membership.createRecommendation(
        RecommendationValidationTests.create(nominee.id), options: .init(idempotencyKey: "rec-1"))
      let retried = try await membership.createRecommendation(
        RecommendationValidationTests.create(nominee.id), options: .init(idempotencyKey: "rec-1"))
      #expect(retried.id == recommendation.id)

      await expectFailure(.failedPrecondition, field: "to_status") {
        _ = try await membership.advanceRecommendation(
          RecommendationValidationTests.advance(recommendation, to: .underReview))
      }
      for status in [.submitted, .underReview] as [Tongxin_Membership_RecommendationStatus] {
        recommendation = try await membership.advanceRecommendation(
          RecommendationValidationTests.advance(recommendation, to: status))
      }
      await expectFailure(.invalidArgument, field: "note") {
        _ = try await membership.advanceRecommendation(
          RecommendationValidationTests.advance(recommendation, to: .rejected))
      }
      recommendation = try await membership.advanceRecommendation(
        RecommendationValidationTests.advance(recommendation, to: .rejected, note: "本届名额已满"))
      let stored = try await membership.getRecommendation(.with { $0.id = recommendation.id })
      #expect(stored.status == .rejected)
      #expect(stored.rejectionReason == "本届名额已满")
      #expect(stored.steps.map(\.toStatus) == [.draft, .submitted, .underReview, .rejected])
      let listed = try await membership.listRecommendations(.with { $0.status = .rejected })
      #expect(listed.recommendations.map(\.id) == [recommendation.id])
    }
  }

  @Test("a bad request through the gateway gets its status, field and message")
  func errorsCrossTheWire() async throws {
    try await withCluster { cluster in
      let error = await rpcError {
        _ = try await cluster.membership.createPerson(.with { $0.person = Records.person("") })
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details["field"] == "person.name")
      #expect(error?.message == "person.name: is required")
    }
  }
}
