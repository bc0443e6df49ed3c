import Membership
import Testing
import TongxinMessages
import TongxinDemo
import TongxinRPC

@Suite("The demo data", .serialized)
struct DemoDataTests {
  func members(_ membership: Tongxin_Membership_Membership.Client, _ code: String) async throws
    -> Int32
  {
    try await membership.listMembers(.with { $0.associationCode = code }).total
  }

  @Test("loaded twice through the gateway: 39 and 42 members, nothing doubled")
  func loadTwice() async throws {
    try await withCluster { cluster in
      let membership = cluster.membership
      let first = try await MembershipDemo().load(through: cluster.client)
      #expect(try await members(membership, "zhilianhui") == 39)
      #expect(try await members(membership, "xinlianhui") == 42)
      let people = try await membership.searchDirectory(.init()).total
      let second = try await MembershipDemo().load(through: cluster.client)
      #expect(second == first)
      #expect(try await members(membership, "zhilianhui") == 39)
      #expect(try await members(membership, "xinlianhui") == 42)
      #expect(try await membership.searchDirectory(.init()).total == people)
      #expect(try await membership.listRecommendations(.init()).total == 6)

      let statistics = try await membership.getStatistics(
        .with { $0.associationCode = "zhilianhui" })
      let zhilianhui = try #require(statistics.associations.first)
      #expect(zhilianhui.formerMembers == 1)
      #expect(zhilianhui.byPost.first { $0.post == .president }?.count == 1)
      let midOrSenior = zhilianhui.byTitleLevel.filter { [.mid, .senior].contains($0.titleLevel) }
      #expect(midOrSenior.reduce(0) { $0 + $1.count } > 30, "mostly mid or senior titles")
      let branches = try await membership.getStatistics(.init()).associations
      #expect(branches.map(\.currentMembers) == [39, 42, 7, 6])
      let searched = try await membership.searchDirectory(
        .with {
          $0.associationCode = "zhilianhui"
          $0.titleLevel = .senior
          $0.pageSize = 5
        })
      #expect(searched.people.count == 5)
      #expect(searched.total == zhilianhui.byTitleLevel.first { $0.titleLevel == .senior }?.count)
    }
  }
}
