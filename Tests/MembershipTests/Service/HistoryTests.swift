import GRDB
import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Posts and statuses keep their dated history")
struct HistoryTests {
  func changePost(
    _ service: MembershipService, _ membership: Tongxin_Membership_MembershipRecord,
    to post: Tongxin_Membership_Post, on date: String, reason: String
  ) async throws -> Tongxin_Membership_MembershipRecord {
    try await service.changePost(
      .with {
        $0.membershipID = membership.id
        $0.version = membership.version
        $0.post = post
        $0.effectiveAt = Records.at(date)
        $0.changedBy = "秘书处"
        $0.reason = reason
      }, context: context())
  }

  @Test("several post changes are all kept, in date order, with who, when and why")
  func severalPostChanges() async throws {
    let database = TestDatabase()
    let service = try database.service()
    var membership = try await service.makeMember("陈永刚")
    membership = try await changePost(
      service, membership, to: .councilMember, on: "2024-01-16", reason: "增补理事")
    membership = try await changePost(
      service, membership, to: .secretaryGeneral, on: "2024-07-01", reason: "当选秘书长")
    membership = try await changePost(
      service, membership, to: .vicePresident, on: "2025-01-10", reason: "换届")
    #expect(membership.post == .vicePresident)
    #expect(membership.version == 4)

    let history = try await service.getPersonHistory(
      .with { $0.personID = membership.personID }, context: context())
    #expect(history.changes.map(\.kind) == [.joined, .postChanged, .postChanged, .postChanged])
    #expect(
      history.changes.map(\.toPost) == [.member, .councilMember, .secretaryGeneral, .vicePresident])
    #expect(
      history.changes.map(\.fromPost) == [.unspecified, .member, .councilMember, .secretaryGeneral])
    #expect(history.changes.map(\.reason) == ["创会会员", "增补理事", "当选秘书长", "换届"])
    #expect(history.changes.dropFirst().allSatisfy { $0.changedBy == "秘书处" })
    #expect(
      history.changes.map { $0.effectiveAt?.seconds ?? 0 } == [
        Records.at("2023-07-18").seconds, Records.at("2024-01-16").seconds,
        Records.at("2024-07-01").seconds, Records.at("2025-01-10").seconds,
      ])
    #expect(history.changes.allSatisfy { $0.recordedAt != nil })
  }

  @Test("a member who left stays visible as former, and may join again as a new membership")
  func formerMembers() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let membership = try await service.makeMember("赵国栋", "xinlianhui")
    let left = try await service.changeStatus(
      .with {
        $0.membershipID = membership.id
        $0.version = membership.version
        $0.status = .left
        $0.effectiveAt = Records.at("2024-03-01")
        $0.changedBy = "秘书处"
        $0.reason = "工作调动"
      }, context: context())
    #expect(left.leftAt?.seconds == Records.at("2024-03-01").seconds)

    func members(_ scope: Tongxin_Membership_MemberScope) async throws -> [String] {
      try await service.listMembers(
        .with {
          $0.associationCode = "xinlianhui"
          $0.scope = scope
        }, context: context()
      ).members.compactMap { $0.membership?.id }
    }
    #expect(try await members(.current) == [])
    #expect(try await members(.former) == [membership.id])

    var again = Records.join(membership.personID, "xinlianhui")
    again.joinedAt = Records.at("2024-09-01")
    let rejoined = try await service.joinAssociation(again, context: context())
    #expect(rejoined.id != membership.id)
    #expect(try await members(.current) == [rejoined.id])
    #expect(Set(try await members(.all)) == [membership.id, rejoined.id])
    let person = try await service.getPerson(
      .with { $0.id = membership.personID }, context: context())
    #expect(person.memberships.map(\.status) == [.left, .active])
  }

  @Test("the database refuses to rewrite or delete history")
  func appendOnly() async throws {
    let database = TestDatabase()
    let service = try database.service()
    _ = try await service.makeMember("吴浩然")
    let queue = try DatabaseQueue(path: database.path)
    #expect(throws: DatabaseError.self) {
      try queue.write { try $0.execute(sql: "UPDATE membership_change SET reason = 'rewritten'") }
    }
    #expect(throws: DatabaseError.self) {
      try queue.write { try $0.execute(sql: "DELETE FROM membership_change") }
    }
    #expect(
      try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM membership_change") }
        == 1)
  }
}
