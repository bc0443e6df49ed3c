import Gateway
import Membership
import Testing
import TongxinMessages
import TongxinProtobuf
@testable import TongxinRPC

/// What the gateway may say about a caller's personal-data right; nil: it said nothing.
typealias PersonalDataRight = String?

/// Runs `method` the way an instance does, through the router that wraps every handler, for a
/// caller the gateway described with `right`.
func routedCall<Output: ProtoMessage>(
  _ router: RPCRouter, _ method: String, _ request: some ProtoMessage,
  right: PersonalDataRight, returning: Output.Type = Output.self
) async throws -> Output {
  var metadata = [CallerIdentity.departmentKey: "test-department"]
  metadata[CallerIdentity.personalDataKey] = right
  let context = ServerContext(
    service: "membership", method: method, metadata: metadata, deadline: .now + .seconds(30),
    instanceID: "membership-test")
  let handler = try #require(router.handler(for: method), "no handler for \(method)")
  return try Output(serializedBytes: try await handler(request.serializedBytes(), context))
}

@Suite("Personal data is redacted for callers without the right")
struct PersonalDataTests {
  /// A membership service with one person, and the router an instance of it would use. Keep
  /// the database: its folder goes with it.
  func served() async throws
    -> (MembershipService, RPCRouter, Tongxin_Membership_Person, TestDatabase)
  {
    let database = TestDatabase()
    let service = try database.service()
    let person = try await service.makePerson("王建华")
    _ = try await service.joinAssociation(Records.join(person.id, "jiusan"), context: context())
    var router = RPCRouter()
    service.registerMethods(with: &router)
    return (service, router, person, database)
  }

  @Test(
    "a department without the right reads a person: personal fields redacted, not missing",
    arguments: [CallerIdentity.personalDataRedacted, nil, "ALLOWED"] as [PersonalDataRight])
  func withoutTheRight(right: PersonalDataRight) async throws {
    let (_, router, person, database) = try await served()
    defer { withExtendedLifetime(database) {} }
    let got: Tongxin_Membership_GetPersonResponse = try await routedCall(
      router, "GetPerson", Tongxin_Membership_GetPersonRequest.with { $0.id = person.id },
      right: right)
    let read = try #require(got.person)
    let contact = try #require(read.contact, "contact details are redacted, not left out")
    #expect(contact.phone == "[redacted]")
    #expect(contact.email == "[redacted]")
    #expect(read.politicalAffiliation == .redacted)
    // Everything that is not personal is answered as stored.
    #expect(read.name == "王建华" && read.id == person.id)
    #expect(read.companyPost == person.companyPost && read.tags == person.tags)
    #expect(read.titleLevel == .senior && read.category == .nonPartyIntellectual)
    #expect(read.version == person.version)
    #expect(got.memberships.map(\.associationCode) == ["jiusan"])
  }

  @Test("a department with the right reads the person as stored")
  func withTheRight() async throws {
    let (service, router, person, database) = try await served()
    defer { withExtendedLifetime(database) {} }
    let request = Tongxin_Membership_GetPersonRequest.with { $0.id = person.id }
    let got: Tongxin_Membership_GetPersonResponse = try await routedCall(
      router, "GetPerson", request, right: CallerIdentity.personalDataAllowed)
    #expect(got == (try await service.getPerson(request, context: context())))
    #expect(got.person?.contact?.phone == "138 0755 0001")
    #expect(got.person?.politicalAffiliation == .nonParty)
  }

  @Test("a redacted person written back is refused and the stored data stays")
  func writingBackRedactedData() async throws {
    let (service, router, person, database) = try await served()
    defer { withExtendedLifetime(database) {} }
    let read: Tongxin_Membership_GetPersonResponse = try await routedCall(
      router, "GetPerson", Tongxin_Membership_GetPersonRequest.with { $0.id = person.id },
      right: CallerIdentity.personalDataRedacted)
    var edited = try #require(read.person)
    edited.companyPost = "技术总监"
    let error = await rpcError {
      let _: Tongxin_Membership_Person = try await routedCall(
        router, "UpdatePerson", Tongxin_Membership_UpdatePersonRequest.with { $0.person = edited },
        right: CallerIdentity.personalDataRedacted)
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.details["field"] == "person.political_affiliation")
    let stored = try await service.getPerson(.with { $0.id = person.id }, context: context())
    #expect(stored.person == person, "nothing was written")
  }

  @Test("the gateway's aggregates redact a person's profile in the same place")
  func aggregateProfile() async throws {
    try await withCluster(instances: 1) { cluster in
      let person = try await cluster.membership.createPerson(
        .with { $0.person = Records.person("李丽娟") })
      var router = RPCRouter()
      AggregatesService(client: cluster.client, partTimeout: .seconds(1))
        .registerMethods(with: &router)
      let request = Tongxin_Aggregates_GetPersonProfileRequest.with { $0.personID = person.id }
      let redacted: Tongxin_Aggregates_PersonProfile = try await routedCall(
        router, "GetPersonProfile", request, right: CallerIdentity.personalDataRedacted)
      #expect(redacted.person?.person?.contact?.phone == "[redacted]")
      #expect(redacted.person?.person?.politicalAffiliation == .redacted)
      #expect(redacted.person?.person?.name == "李丽娟")
      let allowed: Tongxin_Aggregates_PersonProfile = try await routedCall(
        router, "GetPersonProfile", request, right: CallerIdentity.personalDataAllowed)
      #expect(allowed.person?.person?.contact?.phone == "138 0755 0001")
    }
  }

  @Test("through the gateway, a caller it allows reads contact details and affiliation")
  func throughTheGateway() async throws {
    try await withCluster(instances: 1) { cluster in
      let created = try await cluster.membership.createPerson(
        .with { $0.person = Records.person("张志强") })
      #expect(created.contact?.email == "wang@example.com")
      let got = try await cluster.membership.getPerson(.with { $0.id = created.id })
      #expect(got.person?.contact?.phone == "138 0755 0001")
      #expect(got.person?.contact?.email == "wang@example.com")
      #expect(got.person?.politicalAffiliation == .nonParty)
    }
  }
}
