import Foundation
import GRDB
import Logging
import TongxinMessages
import TongxinRPC
import TongxinStorage

/// The membership service: companies, people, associations with posts and history, and
/// dual-track recommendations, kept in one SQLite database that every instance shares.
///
/// Each handler checks its request without touching the database (INVALID_ARGUMENT naming the
/// field), then runs one immediate write transaction or one read snapshot. Instances on one
/// machine can therefore share the file: checks that depend on stored data (versions, one
/// open membership, single-holder posts) happen inside the transaction that writes. Writes go
/// through ``TongxinStorage/ServiceDatabase/idempotentWrite(key:scope:request:_:)`` so a call
/// retried with its idempotency key is applied once.
public final class MembershipService: Tongxin_Membership_Membership.ServiceProtocol {
  let database: ServiceDatabase
  let logger: Logger

  /// Serves from `database`, which must have been opened with ``migrator``.
  public init(database: ServiceDatabase, logger: Logger = Logger(label: "tongxin.membership")) {
    self.database = database
    self.logger = logger
  }

  /// Opens (creating and migrating if needed) the database at `path` and serves from it.
  public convenience init(
    databasePath: String, logger: Logger = Logger(label: "tongxin.membership")
  )
    throws
  {
    self.init(database: try Self.open(databasePath, logger: logger), logger: logger)
  }

  /// Opens the database; instances opening a new file together take turns migrating it
  /// (ServiceDatabase).
  static func open(_ path: String, logger: Logger) throws -> ServiceDatabase {
    try ServiceDatabase(path: path, migrator: migrator)
  }

  /// The schema's migrations, for opening the database.
  public static var migrator: DatabaseMigrator { MembershipSchema.migrator }

  // MARK: Companies

  public func createCompany(
    _ request: Tongxin_Membership_CreateCompanyRequest, context: ServerContext
  )
    async throws -> Tongxin_Membership_Company
  {
    let company = try CompanyRules.normalized(request.company)
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CreateCompany", request: request
    ) { db in try CompanyStore.insert(company, now: now, in: db) }
  }

  public func updateCompany(
    _ request: Tongxin_Membership_UpdateCompanyRequest, context: ServerContext
  )
    async throws -> Tongxin_Membership_Company
  {
    var company = try CompanyRules.normalized(request.company)
    company.id = try Validation.id(company.id, "company.id")
    company.version = try Validation.version(company.version, "company.version")
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "UpdateCompany", request: request
    ) { [company] db in try CompanyStore.update(company, now: now, in: db) }
  }

  public func getCompany(_ request: Tongxin_Membership_GetCompanyRequest, context: ServerContext)
    async throws -> Tongxin_Membership_Company
  {
    let id = try Validation.id(request.id, "id")
    return try await database.read { db in try CompanyStore.fetch(id, field: "id", in: db) }
  }

  public func listCompanies(
    _ request: Tongxin_Membership_ListCompaniesRequest, context: ServerContext
  )
    async throws -> Tongxin_Membership_ListCompaniesResponse
  {
    let pageSize = try PageSize.resolve(request.pageSize)
    let query = QueryHash.of(["ListCompanies"])
    let token = try PageToken.decode(request.pageToken, query: query)
    return try await database.read { db in
      let companies = try CompanyStore.list(after: token, limit: pageSize + 1, in: db)
      var response = Tongxin_Membership_ListCompaniesResponse()
      response.companies = Array(companies.prefix(pageSize))
      if companies.count > pageSize, let last = response.companies.last {
        response.nextPageToken = PageToken(query: query, key: last.name, id: last.id).encoded
      }
      return response
    }
  }

  // MARK: People

  public func createPerson(
    _ request: Tongxin_Membership_CreatePersonRequest, context: ServerContext
  )
    async throws -> Tongxin_Membership_Person
  {
    let person = try PersonRules.normalized(request.person)
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CreatePerson", request: request
    ) { db in try PersonStore.insert(person, now: now, in: db) }
  }

  public func updatePerson(
    _ request: Tongxin_Membership_UpdatePersonRequest, context: ServerContext
  )
    async throws -> Tongxin_Membership_Person
  {
    var person = try PersonRules.normalized(request.person)
    person.id = try Validation.id(person.id, "person.id")
    person.version = try Validation.version(person.version, "person.version")
    let now = Instant.now()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "UpdatePerson", request: request
    ) { [person] db in try PersonStore.update(person, now: now, in: db) }
  }

  public func getPerson(_ request: Tongxin_Membership_GetPersonRequest, context: ServerContext)
    async throws -> Tongxin_Membership_GetPersonResponse
  {
    let id = try Validation.id(request.id, "id")
    return try await database.read { db in
      var response = Tongxin_Membership_GetPersonResponse()
      response.person = try PersonStore.fetch(id, field: "id", in: db)
      response.memberships = try MembershipStore.memberships(of: id, in: db)
      return response
    }
  }
}
