import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Directory search and statistics")
struct DirectoryTests {
  /// Two companies and five people in two associations, varied on every filter.
  func seeded() async throws -> (
    MembershipService, TestDatabase, [String: Tongxin_Membership_Person], String
  ) {
    let database = TestDatabase()
    let service = try database.service()
    let dashi = try await service.createCompany(
      .with { $0.company = Records.company() }, context: context())
    let other = try await service.createCompany(
      .with { $0.company = Records.company("深圳市云图数字科技有限公司") }, context: context())
    var people: [String: Tongxin_Membership_Person] = [:]
    let specs:
      [(
        String, String, Tongxin_Membership_TitleLevel, Tongxin_Membership_PersonCategory, [String],
        String, Tongxin_Membership_Post
      )] = [
        ("王建华", dashi.id, .senior, .nonPartyIntellectual, ["人工智能"], "zhilianhui", .president),
        ("王晓明", dashi.id, .mid, .returnedFromOverseas, ["物联网", "人工智能"], "zhilianhui", .member),
        ("李丽娟", other.id, .mid, .nonPartyIntellectual, ["财税"], "zhilianhui", .member),
        ("张志强", other.id, .noTitle, .newSocialStrata, ["跨境电商"], "xinlianhui", .president),
        ("Anna Wang", dashi.id, .junior, .newSocialStrata, [], "xinlianhui", .member),
      ]
    for spec in specs {
      var person = Records.person(spec.0, companyID: spec.1)
      person.titleLevel = spec.2
      person.category = spec.3
      person.tags = spec.4
      let created = try await service.createPerson(.with { $0.person = person }, context: context())
      _ = try await service.joinAssociation(
        Records.join(created.id, spec.5, post: spec.6), context: context())
      people[spec.0] = created
    }
    return (service, database, people, dashi.id)
  }

  func names(
    _ service: MembershipService, _ build: (inout Tongxin_Membership_SearchDirectoryRequest) -> Void
  )
    async throws -> [String]
  {
    var request = Tongxin_Membership_SearchDirectoryRequest()
    build(&request)
    return try await service.searchDirectory(request, context: context()).people.map(\.name)
  }

  @Test("each filter narrows the results, and filters combine")
  func filters() async throws {
    let (service, database, _, dashi) = try await seeded()
    _ = database
    #expect(
      try await names(service) { $0.associationCode = "zhilianhui" } == ["李丽娟", "王建华", "王晓明"])
    #expect(try await names(service) { $0.companyID = dashi } == ["Anna Wang", "王建华", "王晓明"])
    #expect(try await names(service) { $0.titleLevel = .mid } == ["李丽娟", "王晓明"])
    #expect(try await names(service) { $0.category = .newSocialStrata } == ["Anna Wang", "张志强"])
    #expect(try await names(service) { $0.tag = "人工智能" } == ["王建华", "王晓明"])
    #expect(try await names(service) { $0.nameContains = "王" } == ["王建华", "王晓明"])
    #expect(try await names(service) { $0.nameContains = "wang" } == ["Anna Wang"])
    #expect(
      try await names(service) {
        $0.associationCode = "zhilianhui"
        $0.companyID = dashi
        $0.titleLevel = .mid
      } == ["王晓明"])
  }

  @Test("directory results leave out personal data; GetPerson has it")
  func privacy() async throws {
    let (service, database, people, _) = try await seeded()
    _ = database
    let found = try await service.searchDirectory(
      .with { $0.nameContains = "王建华" }, context: context())
    #expect(found.people.first?.contact == nil)
    #expect(found.people.first?.politicalAffiliation == .unspecified)
    let members = try await service.listMembers(
      .with { $0.associationCode = "zhilianhui" }, context: context())
    #expect(members.members.allSatisfy { $0.person?.contact == nil })
    let person = try await service.getPerson(
      .with { $0.id = people["王建华"]!.id }, context: context())
    #expect(person.person?.contact?.email == "wang@example.com")
    #expect(person.person?.politicalAffiliation == .nonParty)
  }

  @Test("statistics count current members by post, title level and category")
  func statistics() async throws {
    let (service, database, _, _) = try await seeded()
    _ = database
    let all = try await service.getStatistics(.init(), context: context())
    #expect(
      all.associations.map { $0.association?.code } == [
        "zhilianhui", "xinlianhui", "zhigong", "jiusan",
      ])
    let zhilianhui = all.associations[0]
    #expect(zhilianhui.currentMembers == 3)
    #expect(zhilianhui.byPost.map { "\($0.post.rawValue):\($0.count)" } == ["1:1", "5:2"])
    #expect(
      zhilianhui.byTitleLevel.map { "\($0.titleLevel.rawValue):\($0.count)" } == ["3:2", "4:1"])
    #expect(zhilianhui.byCategory.map { "\($0.category.rawValue):\($0.count)" } == ["1:2", "3:1"])
    #expect(all.associations[2].currentMembers == 0)
    #expect(all.associations[2].byPost.isEmpty)
  }
}
