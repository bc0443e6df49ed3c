import Membership
import Testing
import TongxinMessages
import TongxinRPC

/// Every refusal of post and status changes and of listings: the status and the field named.
@Suite("Bad changes and listings are refused naming the field")
struct ChangeValidationTests {
  static func post(_ seed: Seed, _ post: Tongxin_Membership_Post = .vicePresident)
    -> Tongxin_Membership_ChangePostRequest
  {
    .with {
      $0.membershipID = seed.presidency.id
      $0.version = seed.presidency.version
      $0.post = post
      $0.effectiveAt = Records.at("2024-01-01")
      $0.changedBy = "测试员"
      $0.reason = "换届"
    }
  }

  static func status(_ seed: Seed, _ status: Tongxin_Membership_MembershipStatus)
    -> Tongxin_Membership_ChangeStatusRequest
  {
    .with {
      $0.membershipID = seed.presidency.id
      $0.version = seed.presidency.version
      $0.status = status
      $0.effectiveAt = Records.at("2024-01-01")
      $0.changedBy = "测试员"
      $0.reason = "工作调动"
    }
  }

  static let cases: [ValidationCase] = [
    .init("a post change without a reason", .invalidArgument, "reason") { s, seed in
      var request = post(seed)
      request.reason = ""
      _ = try await s.changePost(request, context: context())
    },
    .init("a post change without a post", .invalidArgument, "post") { s, seed in
      _ = try await s.changePost(post(seed, .unspecified), context: context())
    },
    .init("a post change at a stale version", .aborted, "version") { s, seed in
      _ = try await s.changePost(post(seed), context: context())
      _ = try await s.changePost(post(seed, .councilMember), context: context())
    },
    .init("a post the member already holds", .failedPrecondition, "post") { s, seed in
      _ = try await s.changePost(post(seed, .president), context: context())
    },
    .init("a change dated before the last one", .failedPrecondition, "effective_at") { s, seed in
      var request = post(seed)
      request.effectiveAt = Records.at("2020-01-01")
      _ = try await s.changePost(request, context: context())
    },
    .init("a change of an unknown membership", .notFound, "membership_id") { s, seed in
      var request = post(seed)
      request.membershipID = "mem_missing"
      _ = try await s.changePost(request, context: context())
    },
    .init("coming back after leaving", .failedPrecondition, "status") { s, seed in
      let left = try await s.changeStatus(status(seed, .left), context: context())
      var back = status(seed, .active)
      back.version = left.version
      _ = try await s.changeStatus(back, context: context())
    },
    .init("a post for a former member", .failedPrecondition, "membership_id") { s, seed in
      let lapsed = try await s.changeStatus(status(seed, .lapsed), context: context())
      var request = post(seed)
      request.version = lapsed.version
      _ = try await s.changePost(request, context: context())
    },
    .init("a status change without a status", .invalidArgument, "status") { s, seed in
      _ = try await s.changeStatus(status(seed, .unspecified), context: context())
    },
    .init("a status change without a version", .invalidArgument, "version") { s, seed in
      var request = status(seed, .suspended)
      request.version = 0
      _ = try await s.changeStatus(request, context: context())
    },
    .init("members of no association", .invalidArgument, "association_code") { s, _ in
      _ = try await s.listMembers(.init(), context: context())
    },
    .init("an unknown scope", .invalidArgument, "scope") { s, _ in
      _ = try await s.listMembers(
        .with {
          $0.associationCode = "zhilianhui"
          $0.scope = .unrecognized(7)
        }, context: context())
    },
    .init("a negative page size", .invalidArgument, "page_size") { s, _ in
      _ = try await s.searchDirectory(.with { $0.pageSize = -5 }, context: context())
    },
    .init("a page token of another query", .invalidArgument, "page_token") { s, _ in
      _ = try await s.makePerson("张三")
      let first = try await s.searchDirectory(.with { $0.pageSize = 1 }, context: context())
      _ = try await s.searchDirectory(
        .with {
          $0.pageSize = 1
          $0.titleLevel = .senior
          $0.pageToken = first.nextPageToken
        }, context: context())
    },
    .init("a search in an unknown company", .notFound, "company_id") { s, _ in
      _ = try await s.searchDirectory(.with { $0.companyID = "com_missing" }, context: context())
    },
    .init("statistics of an unknown association", .notFound, "association_code") { s, _ in
      _ = try await s.getStatistics(.with { $0.associationCode = "nope" }, context: context())
    },
    .init("the history of an unknown person", .notFound, "person_id") { s, _ in
      _ = try await s.getPersonHistory(.with { $0.personID = "per_missing" }, context: context())
    },
    .init("an idempotency key reused for another request", .invalidArgument, "idempotency_key") {
      s, _ in
      _ = try await s.createCompany(
        .with { $0.company = Records.company("甲公司") }, context: context(key: "k1"))
      _ = try await s.createCompany(
        .with { $0.company = Records.company("乙公司") }, context: context(key: "k1"))
    },
  ]

  @Test("is refused", arguments: cases)
  func refused(_ validation: ValidationCase) async throws {
    try await validation.check()
  }
}
