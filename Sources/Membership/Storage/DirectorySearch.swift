import GRDB
import TongxinMessages

/// SearchDirectory: people matching every filter given, by name then id, a page at a time.
enum DirectorySearch {
  typealias Request = Tongxin_Membership_SearchDirectoryRequest
  typealias Response = Tongxin_Membership_SearchDirectoryResponse

  /// The query's identity for page tokens: every filter, none of the paging fields.
  static func queryHash(_ request: Request) -> UInt64 {
    QueryHash.of([
      "SearchDirectory", request.associationCode, request.companyID,
      String(request.titleLevel.rawValue), String(request.category.rawValue), request.tag,
      request.nameContains,
    ])
  }

  /// Runs a validated request. Unknown association or company ids are NOT_FOUND rather than an
  /// empty page, so a typo is not mistaken for "nobody".
  static func run(_ request: Request, pageSize: Int, after token: PageToken?, in db: Database)
    throws -> Response
  {
    if !request.associationCode.isEmpty {
      _ = try AssociationStore.fetch(request.associationCode, field: "association_code", in: db)
    }
    if !request.companyID.isEmpty {
      _ = try CompanyStore.fetch(request.companyID, field: "company_id", in: db)
    }
    let current = MembershipLifecycle.current.map { String($0.rawValue) }.joined(separator: ",")
    let filters = """
      (:association = '' OR EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id
        AND m.association_code = :association AND m.status IN (\(current))))
      AND (:company = '' OR p.company_id = :company)
      AND (:title = 0 OR p.title_level = :title)
      AND (:category = 0 OR p.category = :category)
      AND (:tag = '' OR EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id AND t.tag = :tag))
      AND (:name = '' OR instr(lower(p.name), lower(:name)) > 0)
      """
    var arguments: [String: (any DatabaseValueConvertible)?] = [
      "association": request.associationCode, "company": request.companyID,
      "title": request.titleLevel.rawValue, "category": request.category.rawValue,
      "tag": request.tag, "name": request.nameContains,
    ]
    var response = Response()
    response.total = try Int32(
      Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM person p WHERE \(filters)",
        arguments: StatementArguments(arguments)) ?? 0)
    // updateValue, not the subscript: assigning nil there would remove the key, and the
    // first page needs the cursor bound to NULL.
    arguments.updateValue(token?.key as (any DatabaseValueConvertible)?, forKey: "afterName")
    arguments.updateValue(token?.id as (any DatabaseValueConvertible)?, forKey: "afterID")
    arguments["limit"] = pageSize + 1
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT p.* FROM person p WHERE \(filters)
          AND (:afterName IS NULL OR (p.name, p.id) > (:afterName, :afterID))
        ORDER BY p.name, p.id LIMIT :limit
        """, arguments: StatementArguments(arguments))
    // Contact details and affiliation are personal data: a directory lists people, it does not
    // hand out their personal data.
    response.people = try rows.prefix(pageSize).map {
      try PersonStore.person($0, personalData: false, in: db)
    }
    if rows.count > pageSize, let last = response.people.last {
      response.nextPageToken =
        PageToken(query: queryHash(request), key: last.name, id: last.id).encoded
    }
    return response
  }
}
