import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Retried creates are applied once")
struct IdempotencyTests {
  @Test("the same create with the same key, on two instances, makes one person")
  func retriedCreate() async throws {
    let database = TestDatabase()
    let first = try database.service()
    let second = try database.service()
    let request = Tongxin_Membership_CreatePersonRequest.with { $0.person = Records.person("林若曦") }
    let a = try await first.createPerson(request, context: context(key: "create-lin"))
    let b = try await second.createPerson(request, context: context(key: "create-lin"))
    #expect(a.id == b.id)
    let found = try await first.searchDirectory(
      .with { $0.nameContains = "林若曦" }, context: context())
    #expect(found.total == 1)
    // Without a key, a create is a new person each time (people may share names).
    _ = try await first.createPerson(request, context: context())
    #expect(
      try await first.searchDirectory(.with { $0.nameContains = "林若曦" }, context: context()).total
        == 2)
  }

  @Test("a retried join with its key answers the first result instead of ALREADY_EXISTS")
  func retriedJoin() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let person = try await service.makePerson("罗欣怡")
    let join = Records.join(person.id)
    let a = try await service.joinAssociation(join, context: context(key: "join-1"))
    let b = try await service.joinAssociation(join, context: context(key: "join-1"))
    #expect(a == b)
    await expectFailure(.alreadyExists, field: "person_id") {
      _ = try await service.joinAssociation(join, context: context(key: "join-2"))
    }
  }
}
