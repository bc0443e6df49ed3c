import GRDB
import TongxinMessages
import TongxinRPC

/// People in the database. Every function runs inside the caller's transaction.
enum PersonStore {
  typealias Person = Tongxin_Membership_Person

  static func insert(_ person: Person, now: Instant, in db: Database) throws -> Person {
    try checkCompany(person.companyID, in: db)
    var stored = person
    stored.id = Identifier.person()
    stored.version = 1
    stored.createdAt = now.timestamp
    stored.updatedAt = now.timestamp
    try db.execute(
      sql: """
        INSERT INTO person (id, name, company_id, company_post, title_level, category,
          political_affiliation, phone, email, version, created_ns, updated_ns)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
        """,
      arguments: StatementArguments(
        columns(stored) + [now.nanoseconds, now.nanoseconds] as [(any DatabaseValueConvertible)?]))
    try saveTags(stored.tags, of: stored.id, in: db)
    return stored
  }

  /// Replaces the person's details when `person.version` is current; ABORTED when stale.
  static func update(_ person: Person, now: Instant, in db: Database) throws -> Person {
    let current = try fetch(person.id, field: "person.id", in: db)
    guard current.version == person.version else {
      throw FieldError.staleVersion(
        "person", id: person.id, sent: person.version, current: current.version,
        field: "person.version")
    }
    try checkCompany(person.companyID, in: db)
    try db.execute(
      sql: """
        UPDATE person SET name = ?, company_id = ?, company_post = ?, title_level = ?,
          category = ?, political_affiliation = ?, phone = ?, email = ?,
          version = version + 1, updated_ns = ?
        WHERE id = ?
        """,
      arguments: StatementArguments(
        Array(columns(person).dropFirst()) + [now.nanoseconds, person.id]
          as [(any DatabaseValueConvertible)?]))
    try saveTags(person.tags, of: person.id, in: db)
    return try fetch(person.id, field: "person.id", in: db)
  }

  /// The person `id` with contact details; NOT_FOUND naming `field` when there is none.
  static func fetch(_ id: String, field: String, in db: Database) throws -> Person {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM person WHERE id = ?", arguments: [id])
    else { throw FieldError.notFound(field, "person", id) }
    return try person(row, personalData: true, in: db)
  }

  /// A person from a row of `person` (columns `p.*`), with tags. Contact details and political
  /// affiliation only when `personalData` is true: listings leave them out (DOMAIN.md: personal
  /// data goes only to callers who asked for that one person).
  static func person(_ row: Row, personalData: Bool, in db: Database) throws -> Person {
    var person = Person()
    person.id = row["id"]
    person.name = row["name"]
    person.companyID = row["company_id"] ?? ""
    person.companyPost = row["company_post"]
    person.titleLevel = .init(rawValue: row["title_level"])
    person.category = .init(rawValue: row["category"])
    if personalData {
      person.politicalAffiliation = .init(rawValue: row["political_affiliation"])
    }
    person.tags = try String.fetchAll(
      db, sql: "SELECT tag FROM person_tag WHERE person_id = ? ORDER BY position",
      arguments: [person.id])
    let phone: String = row["phone"]
    let email: String = row["email"]
    if personalData, !phone.isEmpty || !email.isEmpty {
      person.contact = .with {
        $0.phone = phone
        $0.email = email
      }
    }
    person.version = row["version"]
    person.createdAt = Instant(nanoseconds: row["created_ns"]).timestamp
    person.updatedAt = Instant(nanoseconds: row["updated_ns"]).timestamp
    return person
  }

  /// The name of person `id`, or nil.
  static func name(of id: String, in db: Database) throws -> String? {
    try String.fetchOne(db, sql: "SELECT name FROM person WHERE id = ?", arguments: [id])
  }

  /// The stored columns, id first, in the order of the INSERT.
  private static func columns(_ person: Person) -> [(any DatabaseValueConvertible)?] {
    [
      person.id, person.name, person.companyID.isEmpty ? nil : person.companyID,
      person.companyPost, person.titleLevel.rawValue, person.category.rawValue,
      person.politicalAffiliation.rawValue, person.contact?.phone ?? "",
      person.contact?.email ?? "",
    ]
  }

  private static func checkCompany(_ id: String, in db: Database) throws {
    guard !id.isEmpty else { return }
    _ = try CompanyStore.fetch(id, field: "person.company_id", in: db)
  }

  private static func saveTags(_ tags: [String], of id: String, in db: Database) throws {
    try db.execute(sql: "DELETE FROM person_tag WHERE person_id = ?", arguments: [id])
    for (position, tag) in tags.enumerated() {
      try db.execute(
        sql: "INSERT INTO person_tag (person_id, position, tag) VALUES (?, ?, ?)",
        arguments: [id, position, tag])
    }
  }
}
