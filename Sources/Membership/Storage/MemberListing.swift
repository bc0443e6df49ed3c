import GRDB
import TongxinMessages

/// ListMembers: one association's memberships in a scope, by member name, a page at a time.
enum MemberListing {
  typealias Request = Tongxin_Membership_ListMembersRequest
  typealias Response = Tongxin_Membership_ListMembersResponse

  static func queryHash(_ request: Request) -> UInt64 {
    QueryHash.of(["ListMembers", request.associationCode, String(request.scope.rawValue)])
  }

  static func run(_ request: Request, pageSize: Int, after token: PageToken?, in db: Database)
    throws -> Response
  {
    _ = try AssociationStore.fetch(request.associationCode, field: "association_code", in: db)
    let statuses = MembershipLifecycle.statuses(in: request.scope)
      .map { String($0.rawValue) }.joined(separator: ",")
    let filters = "m.association_code = :code AND m.status IN (\(statuses))"
    var arguments: [String: (any DatabaseValueConvertible)?] = ["code": request.associationCode]
    var response = Response()
    response.total = try Int32(
      Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM membership m WHERE \(filters)",
        arguments: StatementArguments(arguments)) ?? 0)
    // updateValue, not the subscript: assigning nil there would remove the key, and the
    // first page needs the cursor bound to NULL.
    arguments.updateValue(token?.key as (any DatabaseValueConvertible)?, forKey: "afterName")
    arguments.updateValue(token?.id as (any DatabaseValueConvertible)?, forKey: "afterID")
    arguments["limit"] = pageSize + 1
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT p.*, m.id AS m_id, m.person_id AS m_person_id,
          m.association_code AS m_association_code, m.post AS m_post, m.status AS m_status,
          m.joined_ns AS m_joined_ns, m.left_ns AS m_left_ns, m.version AS m_version
        FROM membership m JOIN person p ON p.id = m.person_id
        WHERE \(filters) AND (:afterName IS NULL OR (p.name, m.id) > (:afterName, :afterID))
        ORDER BY p.name, m.id LIMIT :limit
        """, arguments: StatementArguments(arguments))
    response.members = try rows.prefix(pageSize).map { row in
      var member = Tongxin_Membership_Member()
      member.membership = MembershipStore.record(row, prefix: "m_")
      member.person = try PersonStore.person(row, personalData: false, in: db)
      return member
    }
    if rows.count > pageSize, let last = response.members.last {
      response.nextPageToken =
        PageToken(
          query: queryHash(request), key: last.person?.name ?? "", id: last.membership?.id ?? ""
        ).encoded
    }
    return response
  }
}
