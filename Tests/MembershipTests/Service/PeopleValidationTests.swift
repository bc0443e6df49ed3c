import Membership
import Testing
import TongxinMessages
import TongxinRPC

/// Every refusal of company, person and membership requests: the status and the field named.
@Suite("Bad company, person and membership requests are refused naming the field")
struct PeopleValidationTests {
  static let cases: [ValidationCase] = [
    .init("a company create without a company", .invalidArgument, "company") { s, _ in
      _ = try await s.createCompany(.init(), context: context())
    },
    .init("a company without a name", .invalidArgument, "company.name") { s, _ in
      _ = try await s.createCompany(
        .with { $0.company = Records.company("  ") }, context: context())
    },
    .init("a company name of 101 characters", .invalidArgument, "company.name") { s, _ in
      let name = String(repeating: "达", count: 101)
      _ = try await s.createCompany(
        .with { $0.company = Records.company(name) }, context: context())
    },
    .init("a malformed stock code", .invalidArgument, "company.stock_code") { s, _ in
      var company = Records.company("新公司")
      company.stockCode = "00 24"
      _ = try await s.createCompany(.with { $0.company = company }, context: context())
    },
    .init("a second company of the same name", .alreadyExists, "company.name") { s, _ in
      _ = try await s.createCompany(.with { $0.company = Records.company() }, context: context())
    },
    .init("a company update without a version", .invalidArgument, "company.version") { s, seed in
      var company = seed.company
      company.version = 0
      _ = try await s.updateCompany(.with { $0.company = company }, context: context())
    },
    .init("a company update of an unknown id", .notFound, "company.id") { s, seed in
      var company = seed.company
      company.id = "com_unknown"
      _ = try await s.updateCompany(.with { $0.company = company }, context: context())
    },
    .init("a company that does not exist", .notFound, "id") { s, _ in
      _ = try await s.getCompany(.with { $0.id = "com_missing" }, context: context())
    },
    .init("a person without a name", .invalidArgument, "person.name") { s, _ in
      _ = try await s.createPerson(.with { $0.person = Records.person("") }, context: context())
    },
    .init("a name with a control character", .invalidArgument, "person.name") { s, _ in
      _ = try await s.createPerson(
        .with { $0.person = Records.person("王\u{7}伟") }, context: context())
    },
    .init("a person without a title level", .invalidArgument, "person.title_level") { s, _ in
      var person = Records.person()
      person.titleLevel = .unspecified
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("an unknown category number", .invalidArgument, "person.category") { s, _ in
      var person = Records.person()
      person.category = .unrecognized(99)
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("an empty tag", .invalidArgument, "person.tags[1]") { s, _ in
      var person = Records.person()
      person.tags = ["人工智能", " "]
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("a tag given twice", .invalidArgument, "person.tags[1]") { s, _ in
      var person = Records.person()
      person.tags = ["人工智能", "人工智能"]
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("a malformed e-mail address", .invalidArgument, "person.contact.email") { s, _ in
      var person = Records.person()
      person.contact?.email = "wang.example.com"
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("a malformed phone number", .invalidArgument, "person.contact.phone") { s, _ in
      var person = Records.person()
      person.contact?.phone = "call me"
      _ = try await s.createPerson(.with { $0.person = person }, context: context())
    },
    .init("a person at an unknown company", .notFound, "person.company_id") { s, _ in
      _ = try await s.createPerson(
        .with { $0.person = Records.person(companyID: "com_missing") }, context: context())
    },
    .init("a person that does not exist", .notFound, "id") { s, _ in
      _ = try await s.getPerson(.with { $0.id = "per_missing" }, context: context())
    },
    .init("a stale person version", .aborted, "person.version") { s, seed in
      var person = seed.outsider
      person.companyPost = "研发总监"
      _ = try await s.updatePerson(.with { $0.person = person }, context: context())
      _ = try await s.updatePerson(.with { $0.person = person }, context: context())
    },
    .init("joining an unknown association", .notFound, "association_code") { s, seed in
      _ = try await s.joinAssociation(Records.join(seed.outsider.id, "minmeng"), context: context())
    },
    .init("an unknown person joining", .notFound, "person_id") { s, _ in
      _ = try await s.joinAssociation(Records.join("per_missing"), context: context())
    },
    .init("a membership starting as LEFT", .invalidArgument, "status") { s, seed in
      var join = Records.join(seed.outsider.id)
      join.status = .left
      _ = try await s.joinAssociation(join, context: context())
    },
    .init("a join date in the future", .invalidArgument, "joined_at") { s, seed in
      var join = Records.join(seed.outsider.id)
      join.joinedAt = Records.at("2999-01-01")
      _ = try await s.joinAssociation(join, context: context())
    },
    .init("a join date before 1900", .invalidArgument, "joined_at") { s, seed in
      var join = Records.join(seed.outsider.id)
      join.joinedAt = Records.at("1850-01-01")
      _ = try await s.joinAssociation(join, context: context())
    },
    .init("a join without who records it", .invalidArgument, "changed_by") { s, seed in
      var join = Records.join(seed.outsider.id)
      join.changedBy = ""
      _ = try await s.joinAssociation(join, context: context())
    },
    .init("joining the same association twice", .alreadyExists, "person_id") { s, seed in
      _ = try await s.joinAssociation(Records.join(seed.president.id), context: context())
    },
    .init("a second president", .failedPrecondition, "post") { s, seed in
      _ = try await s.joinAssociation(
        Records.join(seed.outsider.id, post: .president), context: context())
    },
  ]

  @Test("is refused", arguments: cases)
  func refused(_ validation: ValidationCase) async throws {
    try await validation.check()
  }
}
