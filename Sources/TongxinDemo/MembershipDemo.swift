import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// The membership part of the demo data (DOMAIN.md): the companies of the Dashi Tower, the 39
/// members of 知联会 and the 42 of 新联会 with their posts and title levels, the two party
/// branches, a little history (a promotion, a member who left, an applicant) and
/// recommendations in every state of their workflow.
///
/// Names are invented apart from 达实智能 (the tower's owner, named in the source document).
/// Every write carries an idempotency key derived from the record, so loading twice is answered
/// from the first load and changes nothing.
public struct MembershipDemo: DemoPart {
  public let service = "membership"

  public init() {}

  public func load(through client: RPCClient) async throws -> String {
    let loader = Loader(client: Tongxin_Membership_Membership.Client(wrapping: client))
    let companies = try await loader.companies()
    let zhilianhui = try await loader.members(of: "zhilianhui", Roster.zhilianhui, companies)
    let xinlianhui = try await loader.members(of: "xinlianhui", Roster.xinlianhui, companies)
    try await loader.branch("zhigong", from: zhilianhui, Roster.zhigong, founded: "2019-04-20")
    try await loader.branch("jiusan", from: zhilianhui, Roster.jiusan, founded: "2019-09-10")
    try await loader.history(zhilianhui: zhilianhui, xinlianhui: xinlianhui, companies)
    let recommendations = try await loader.recommendations(zhilianhui, xinlianhui, companies)
    let statistics = try await loader.client.getStatistics(.init())
    let counts = statistics.associations.map {
      "\($0.association?.code ?? "?") \($0.currentMembers)"
    }
    return "\(companies.count) companies, members: \(counts.joined(separator: ", ")); "
      + "\(recommendations) recommendations"
  }
}

/// Who is who: generated deterministically so the data is the same on every machine.
enum Roster {
  struct Entry {
    var index: Int
    var post: Tongxin_Membership_Post
    var title: Tongxin_Membership_TitleLevel
    var category: Tongxin_Membership_PersonCategory
  }

  static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓")
  static let givenNames = [
    "建华", "晓明", "丽娟", "志强", "海燕", "文博", "思远", "雨萱", "国栋", "静怡", "子涵", "立新",
    "佳慧", "振宇", "秀英", "浩然", "敏", "伟", "婷", "磊", "晨阳", "嘉欣", "宏伟", "若曦", "俊杰",
    "玉兰", "天佑", "欣怡", "永刚", "梦琪", "德华", "雅琴", "明轩", "春燕", "凯文", "慧敏", "少华",
    "诗涵", "建军", "亦凡", "瑞霖",
  ]

  /// 39 members: mostly mid and senior titles (中、高级职称), some returned from overseas.
  static let zhilianhui: [Entry] = (0..<39).map { i in
    let titles: [Tongxin_Membership_TitleLevel] = [
      .senior, .mid, .senior, .mid, .mid, .senior, .mid, .junior, .mid, .senior,
    ]
    return Entry(
      index: i, post: post(i, vicePresidents: 3, council: 8), title: titles[i % 10],
      category: i % 6 == 3 ? .returnedFromOverseas : .nonPartyIntellectual)
  }

  /// 42 founding members of the new social strata.
  static let xinlianhui: [Entry] = (0..<42).map { i in
    let titles: [Tongxin_Membership_TitleLevel] = [
      .noTitle, .mid, .junior, .senior, .noTitle, .mid,
    ]
    let categories: [Tongxin_Membership_PersonCategory] = [
      .newSocialStrata, .newSocialStrata, .privateEntrepreneur, .newSocialStrata,
      .returnedFromOverseas, .newSocialStrata, .newSocialStrata,
    ]
    return Entry(
      index: 100 + i, post: post(i, vicePresidents: 4, council: 10), title: titles[i % 6],
      category: categories[i % 7])
  }

  /// Branch members, as indexes into zhilianhui: the first chairs, the second deputises.
  static let zhigong = [2, 9, 15, 21, 27, 33, 38]
  static let jiusan = [4, 10, 16, 22, 28, 34]

  /// President, vice-presidents, a secretary-general, council members, then members.
  static func post(_ i: Int, vicePresidents: Int, council: Int) -> Tongxin_Membership_Post {
    switch i {
    case 0: .president
    case 1...vicePresidents: .vicePresident
    case vicePresidents + 1: .secretaryGeneral
    case (vicePresidents + 2)...(vicePresidents + 1 + council): .councilMember
    default: .member
    }
  }

  static func name(_ index: Int) -> String {
    "\(surnames[index % surnames.count])\(givenNames[(index * 7 + index / surnames.count) % givenNames.count])"
  }
}

/// Loads the roster through the typed client, one idempotent write at a time.
private struct Loader {
  typealias Person = Tongxin_Membership_Person
  typealias Company = Tongxin_Membership_Company

  let client: Tongxin_Membership_Membership.Client
  static let recorder = "达实大厦统战工作站"

  static let companies: [(name: String, unit: String, stock: String?)] = [
    ("深圳达实智能股份有限公司", "达实大厦 塔楼 18层", "002421"),
    ("深圳市云图数字科技有限公司", "达实大厦 塔楼 8层", nil),
    ("深圳市智汇建筑设计研究院有限公司", "达实大厦 塔楼 12层", nil),
    ("深圳市启明星信息技术有限公司", "达实大厦 塔楼 15层", nil),
    ("深圳市恒信会计师事务所（普通合伙）", "达实大厦 裙楼 6层", nil),
    ("广东南湾律师事务所", "达实大厦 裙楼 9层", nil),
    ("深圳市绿源节能环保科技有限公司", "达实大厦 塔楼 21层", nil),
    ("深圳市康瑞医疗器械有限公司", "达实大厦 裙楼 11层", nil),
    ("深圳市蓝海跨境电子商务有限公司", "达实大厦 裙楼 14层", nil),
    ("深圳市前沿人工智能研究院有限公司", "达实大厦 塔楼 23层", nil),
    ("深圳市鹏程知识产权代理有限公司", "达实大厦 裙楼 5层", nil),
    ("深圳市万象文化传媒有限公司", "达实大厦 裙楼 3层", nil),
  ]
  static let expertise = [
    "人工智能", "物联网", "智慧建筑", "建筑节能", "软件工程", "财税", "法律", "知识产权",
    "医疗器械", "跨境电商", "文化传媒", "数据安全", "绿色建筑", "集成电路", "金融科技",
  ]
  static let intellectualPosts = [
    "总工程师", "研发总监", "高级工程师", "技术经理", "产品总监", "首席架构师", "财务总监",
    "合伙人律师", "注册会计师", "设计总监", "质量总监", "项目经理", "主任设计师", "算法工程师",
  ]
  static let strataPosts = [
    "创始人", "总经理", "合伙人", "市场总监", "运营总监", "人力资源总监", "投资经理", "新媒体主编",
    "执业律师", "部门经理",
  ]
  /// Joined as a member at the founding, promoted to the council on this date.
  static let promotions = [("zhilianhui", 12, "2024-01-16"), ("xinlianhui", 7, "2024-01-20")]
  static let founded = "2023-07-18"

  func options(_ key: String) -> CallOptions {
    CallOptions(timeout: .seconds(10), idempotencyKey: "demo-membership-\(key)")
  }

  func companies() async throws -> [Company] {
    var result: [Company] = []
    for (i, data) in Self.companies.enumerated() {
      let request = Tongxin_Membership_CreateCompanyRequest.with {
        $0.company = .with {
          $0.name = data.name
          $0.unit = data.unit
          $0.stockCode = data.stock
        }
      }
      result.append(try await client.createCompany(request, options: options("company-\(i)")))
    }
    return result
  }

  func person(_ entry: Roster.Entry, _ companies: [Company], post: String) async throws -> Person {
    let i = entry.index
    let branch = Roster.zhigong.contains(i) ? 1 : Roster.jiusan.contains(i) ? 2 : 0
    let request = Tongxin_Membership_CreatePersonRequest.with {
      $0.person = .with {
        $0.name = Roster.name(i)
        $0.companyID = companies[i % companies.count].id
        $0.companyPost = post
        $0.titleLevel = entry.title
        $0.category = entry.category
        $0.politicalAffiliation =
          i >= 100 ? (i % 7 == 0 ? .cpc : .masses) : [.nonParty, .zhigong, .jiusan][branch]
        $0.tags = Array(Set([Self.expertise[i % 15], Self.expertise[(i * 4 + 1) % 15]])).sorted()
        $0.contact = .with {
          $0.phone = "138\(String(10_000_000 + i * 7919).suffix(8))"
          $0.email = "member\(i)@example.com"
        }
      }
    }
    return try await client.createPerson(request, options: options("person-\(i)"))
  }

  func join(
    _ person: Person, _ code: String, post: Tongxin_Membership_Post,
    status:
      Tongxin_Membership_MembershipStatus = .active, on date: String, reason: String
  ) async throws -> Tongxin_Membership_MembershipRecord {
    let request = Tongxin_Membership_JoinAssociationRequest.with {
      $0.personID = person.id
      $0.associationCode = code
      $0.post = post
      $0.status = status
      $0.joinedAt = Self.at(date)
      $0.changedBy = Self.recorder
      $0.reason = reason
    }
    return try await client.joinAssociation(request, options: options("join-\(code)-\(person.id)"))
  }

  typealias Member = (person: Person, membership: Tongxin_Membership_MembershipRecord)

  /// Creates the people of `entries` and makes them founding members of `code`.
  func members(of code: String, _ entries: [Roster.Entry], _ companies: [Company]) async throws
    -> [Member]
  {
    var people: [Member] = []
    for (position, entry) in entries.enumerated() {
      let posts = code == "zhilianhui" ? Self.intellectualPosts : Self.strataPosts
      let person = try await person(entry, companies, post: posts[position % posts.count])
      let promoted = Self.promotions.contains { $0.0 == code && $0.1 == position }
      let membership = try await join(
        person, code, post: promoted ? .member : entry.post, on: Self.founded, reason: "创会会员")
      people.append((person, membership))
    }
    return people
  }

  func branch(_ code: String, from people: [Member], _ positions: [Int], founded: String)
    async throws
  {
    for (rank, position) in positions.enumerated() {
      let post: Tongxin_Membership_Post =
        rank == 0 ? .president : rank == 1 ? .vicePresident : .member
      _ = try await join(people[position].person, code, post: post, on: founded, reason: "支部成立")
    }
  }

  /// Promotions, a member who left (so 39 stay current) and an applicant.
  func history(zhilianhui: [Member], xinlianhui: [Member], _ companies: [Company]) async throws {
    for (code, position, date) in Self.promotions {
      let membership = (code == "zhilianhui" ? zhilianhui : xinlianhui)[position].membership
      let request = Tongxin_Membership_ChangePostRequest.with {
        $0.membershipID = membership.id
        $0.version = membership.version
        $0.post = .councilMember
        $0.effectiveAt = Self.at(date)
        $0.changedBy = Self.recorder
        $0.reason = "会员大会增补理事"
      }
      _ = try await client.changePost(request, options: options("post-\(code)-\(position)"))
    }
    let leaver = try await person(
      .init(index: 60, post: .member, title: .senior, category: .nonPartyIntellectual), companies,
      post: "首席科学家")
    let membership = try await join(
      leaver, "zhilianhui", post: .member, on: Self.founded, reason: "创会会员")
    let leave = Tongxin_Membership_ChangeStatusRequest.with {
      $0.membershipID = membership.id
      $0.version = membership.version
      $0.status = .left
      $0.effectiveAt = Self.at("2024-03-01")
      $0.changedBy = Self.recorder
      $0.reason = "工作调动，离开达实大厦"
    }
    _ = try await client.changeStatus(leave, options: options("leave-zhilianhui-60"))
    let applicant = try await person(
      .init(index: 160, post: .member, title: .mid, category: .newSocialStrata), companies,
      post: "运营总监")
    _ = try await join(
      applicant, "xinlianhui", post: .member, status: .applied, on: "2024-05-10",
      reason: "本人申请")
  }

  /// One recommendation in each state of the workflow; returns how many.
  func recommendations(_ zhilianhui: [Member], _ xinlianhui: [Member], _ companies: [Company])
    async throws -> Int
  {
    let zhilianhui = zhilianhui.map(\.person)
    let xinlianhui = xinlianhui.map(\.person)
    let newcomer = try await person(
      .init(index: 61, post: .member, title: .senior, category: .returnedFromOverseas), companies,
      post: "首席技术官")
    typealias Status = Tongxin_Membership_RecommendationStatus
    let plans:
      [(
        Person, Tongxin_Membership_RecommendationTrack, Tongxin_Membership_RecommendationTarget,
        String, String, [Status]
      )] = [
        (
          xinlianhui[8], .party, .joinPartyOrganisation, "", "公司中层管理骨干，积极向党组织靠拢",
          [.submitted, .underReview, .approved, .completed]
        ),
        (
          zhilianhui[5], .nonParty, .joinDemocraticParty, "zhigong", "留学归国高端技术人才，热心参政议政",
          [.submitted, .underReview, .approved]
        ),
        (
          zhilianhui[0], .nonParty, .districtCppccMember, "", "知联会会长，长期服务大厦党外知识分子",
          [.submitted, .underReview]
        ),
        (
          xinlianhui[1], .nonParty, .cityCongressDeputy, "", "新联会副会长，企业社会责任表现突出",
          [.submitted, .underReview, .rejected]
        ),
        (
          newcomer, .nonParty, .joinAssociation, "zhilianhui", "高级职称党外知识分子，专业能力突出",
          [.submitted]
        ),
        (xinlianhui[0], .nonParty, .districtCongressDeputy, "", "", []),
      ]
    for (n, plan) in plans.enumerated() {
      let create = Tongxin_Membership_CreateRecommendationRequest.with {
        $0.nomineePersonID = plan.0.id
        $0.track = plan.1
        $0.target = plan.2
        $0.targetAssociationCode = plan.3
        $0.nominator = plan.1 == .party ? "达实大厦党委" : "达实大厦统战工作站"
        $0.reasons = plan.4
        $0.createdBy = Self.recorder
      }
      var recommendation = try await client.createRecommendation(
        create, options: options("recommendation-\(n)"))
      for (k, status) in plan.5.enumerated() {
        let step = Tongxin_Membership_AdvanceRecommendationRequest.with {
          $0.id = recommendation.id
          $0.version = recommendation.version
          $0.toStatus = status
          $0.by =
            status == .underReview || status == .approved || status == .rejected
            ? "南山区委统战部" : Self.recorder
          $0.note = status == .rejected ? "本届名额已满，建议下届优先考虑" : ""
        }
        recommendation = try await client.advanceRecommendation(
          step, options: options("recommendation-\(n)-step-\(k)"))
      }
    }
    return plans.count
  }

  /// 09:00 in Shenzhen (UTC+8) on `date` (YYYY-MM-DD), as a UTC instant.
  static func at(_ date: String) -> Google_Protobuf_Timestamp {
    let time = ProtoJSON.timestamp(parsing: "\(date)T09:00:00+08:00")!
    return .with {
      $0.seconds = time.seconds
      $0.nanos = time.nanos
    }
  }
}
