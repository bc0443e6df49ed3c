import GRDB
import TongxinMessages
import TongxinRPC

/// Companies in the database. Every function runs inside the caller's transaction.
enum CompanyStore {
  typealias Company = Tongxin_Membership_Company

  static func insert(_ company: Company, now: Instant, in db: Database) throws -> Company {
    try checkNameFree(company.name, except: nil, in: db)
    var stored = company
    stored.id = Identifier.company()
    stored.version = 1
    stored.createdAt = now.timestamp
    stored.updatedAt = now.timestamp
    try db.execute(
      sql: """
        INSERT INTO company (id, name, unit, stock_code, version, created_ns, updated_ns)
        VALUES (?, ?, ?, ?, 1, ?, ?)
        """,
      arguments: [
        stored.id, stored.name, stored.unit, stored.stockCode, now.nanoseconds, now.nanoseconds,
      ])
    return stored
  }

  /// Replaces the company's fields when `company.version` is current; ABORTED when stale.
  static func update(_ company: Company, now: Instant, in db: Database) throws -> Company {
    let current = try fetch(company.id, field: "company.id", in: db)
    guard current.version == company.version else {
      throw FieldError.staleVersion(
        "company", id: company.id, sent: company.version, current: current.version,
        field: "company.version")
    }
    try checkNameFree(company.name, except: company.id, in: db)
    try db.execute(
      sql: """
        UPDATE company SET name = ?, unit = ?, stock_code = ?, version = version + 1,
          updated_ns = ?
        WHERE id = ?
        """,
      arguments: [company.name, company.unit, company.stockCode, now.nanoseconds, company.id])
    return try fetch(company.id, field: "company.id", in: db)
  }

  /// The company `id`; NOT_FOUND naming `field` when there is none.
  static func fetch(_ id: String, field: String, in db: Database) throws -> Company {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM company WHERE id = ?", arguments: [id])
    else { throw FieldError.notFound(field, "company", id) }
    return company(row)
  }

  static func list(after token: PageToken?, limit: Int, in db: Database) throws -> [Company] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT * FROM company WHERE ? IS NULL OR (name, id) > (?, ?)
        ORDER BY name, id LIMIT ?
        """,
      arguments: [token?.key, token?.key, token?.id, limit]
    ).map(company)
  }

  private static func checkNameFree(_ name: String, except id: String?, in db: Database) throws {
    let other = try String.fetchOne(
      db, sql: "SELECT id FROM company WHERE name = ? AND id IS NOT ?", arguments: [name, id])
    if let other {
      throw FieldError.alreadyExists(
        "company.name", "company \"\(name)\" already exists as \(other)")
    }
  }

  static func company(_ row: Row) -> Company {
    var company = Company()
    company.id = row["id"]
    company.name = row["name"]
    company.unit = row["unit"]
    company.stockCode = row["stock_code"]
    company.version = row["version"]
    company.createdAt = Instant(nanoseconds: row["created_ns"]).timestamp
    company.updatedAt = Instant(nanoseconds: row["updated_ns"]).timestamp
    return company
  }
}
