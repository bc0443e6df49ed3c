import Membership
import Testing
import TongxinMessages
import TongxinRPC

/// One bad request and the status it must get, for parameterised validation tests.
struct ValidationCase: Sendable, CustomTestStringConvertible {
  var name: String
  var code: StatusCode
  var field: String
  var run: @Sendable (MembershipService, Seed) async throws -> Void

  init(
    _ name: String, _ code: StatusCode, _ field: String,
    _ run: @escaping @Sendable (MembershipService, Seed) async throws -> Void
  ) {
    self.name = name
    self.code = code
    self.field = field
    self.run = run
  }

  var testDescription: String { name }

  /// Runs the case on a fresh database with ``Seed`` data and checks the answer.
  func check() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let seed = try await Seed.make(service)
    await expectFailure(code, field: field) { try await run(service, seed) }
  }
}

/// What validation cases start from: a company, the president of zhilianhui, and a person who
/// belongs nowhere.
struct Seed: Sendable {
  var company: Tongxin_Membership_Company
  var president: Tongxin_Membership_Person
  var presidency: Tongxin_Membership_MembershipRecord
  var outsider: Tongxin_Membership_Person

  static func make(_ service: MembershipService) async throws -> Seed {
    let company = try await service.createCompany(
      .with { $0.company = Records.company() }, context: context())
    let president = try await service.makePerson("王建华", companyID: company.id)
    let presidency = try await service.joinAssociation(
      Records.join(president.id, post: .president), context: context())
    let outsider = try await service.makePerson("李雨萱")
    return Seed(company: company, president: president, presidency: presidency, outsider: outsider)
  }
}
