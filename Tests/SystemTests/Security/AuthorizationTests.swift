import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// What an admitted department may do: the policy's methods, its identity set by the gateway
/// alone, and personal data only with the right.
@Suite("Permissions and personal data per department", .timeLimit(.minutes(3)))
struct AuthorizationTests {
  @Test("a read-only department's write is PERMISSION_DENIED, naming the method, and audited")
  func readOnlyWrite() async throws {
    try await LocalSystem.with(services: ["membership": 1], policy: SecurityPolicy.policy) {
      system in
      let client = try system.makeClient(department: SecurityPolicy.readOnly)
      defer { client.close() }
      let membership = Tongxin_Membership_Membership.Client(wrapping: client)
      _ = try await membership.listAssociations(.init())  // reading is allowed
      let error = await #expect(throws: RPCError.self) {
        _ = try await membership.createCompany(
          .with { $0.company = .with { $0.name = "越权公司" } },
          options: CallOptions(idempotencyKey: "denied-1"))
      }
      #expect(error?.code == .permissionDenied)
      #expect(error?.message.contains("membership.CreateCompany") == true, "\(String(describing: error))")

      let audit = Tongxin_Audit_Audit.Client(wrapping: system.client)
      let records = try await audit.listRecords(.with { $0.department = SecurityPolicy.readOnly })
      #expect(records.records.count == 1)
      #expect(records.records.first?.method == "CreateCompany")
      #expect(records.records.first?.code == .permissionDenied)
      #expect(records.records.first?.idempotencyKey == "denied-1")
    }
  }

  @Test("a caller that sends the identity metadata itself is refused")
  func forgedIdentity() async throws {
    try await LocalSystem.with(services: ["echo": 1], policy: SecurityPolicy.policy) { system in
      let client = try system.makeClient(department: SecurityPolicy.readOnly)
      defer { client.close() }
      for key in [CallerIdentity.departmentKey, CallerIdentity.personalDataKey] {
        let error = await #expect(throws: RPCError.self) {
          _ = try await Tongxin_Echo_Echo.Client(wrapping: client).echo(
            .with { $0.text = "我是运营部" },
            options: CallOptions(metadata: [key: CallerIdentity.personalDataAllowed]))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("reserved for the gateway") == true)
      }
    }
  }

  @Test("a department without the personal-data right reads a person with those fields redacted")
  func redactedPerson() async throws {
    try await LocalSystem.with(services: ["membership": 1], policy: SecurityPolicy.policy) {
      system in
      let writer = Tongxin_Membership_Membership.Client(wrapping: system.client)
      let person = try await writer.createPerson(
        .with {
          $0.person = .with {
            $0.name = "李明"
            $0.titleLevel = .senior
            $0.category = .nonPartyIntellectual
            $0.politicalAffiliation = .nonParty
            $0.tags = ["物联网"]
            $0.contact = .with {
              $0.phone = "138 0755 0002"
              $0.email = "li@example.com"
            }
          }
        }, options: CallOptions(idempotencyKey: "person-li"))
      let client = try system.makeClient(department: SecurityPolicy.readOnly)
      defer { client.close() }
      let redacted = try await Tongxin_Membership_Membership.Client(wrapping: client)
        .getPerson(.with { $0.id = person.id }).person
      #expect(redacted?.name == "李明")
      #expect(redacted?.tags == ["物联网"])
      #expect(redacted?.politicalAffiliation == .redacted)
      #expect(redacted?.contact?.phone == "[redacted]")
      #expect(redacted?.contact?.email == "[redacted]")
      // The same read with the right shows everything.
      let full = try await writer.getPerson(.with { $0.id = person.id }).person
      #expect(full?.contact?.phone == "138 0755 0002")
      #expect(full?.politicalAffiliation == .nonParty)
    }
  }
}
