import GRDB
import TongxinMessages
import TongxinRPC

/// ListRecommendations: oldest first, filtered, a page at a time.
enum RecommendationListing {
  typealias Request = Tongxin_Membership_ListRecommendationsRequest
  typealias Response = Tongxin_Membership_ListRecommendationsResponse

  static func queryHash(_ request: Request) -> UInt64 {
    QueryHash.of([
      "ListRecommendations", request.nomineePersonID, String(request.target.rawValue),
      String(request.track.rawValue), String(request.status.rawValue),
    ])
  }

  /// The token's key is the creation time in nanoseconds; INVALID_ARGUMENT if it is not one.
  static func run(_ request: Request, pageSize: Int, after token: PageToken?, in db: Database)
    throws -> Response
  {
    var after: Int64?
    if let token {
      guard let created = Int64(token.key) else {
        throw FieldError.invalid("page_token", "is not a page token of ListRecommendations")
      }
      after = created
    }
    let filters = """
      (:nominee = '' OR nominee_person_id = :nominee)
      AND (:target = 0 OR target = :target)
      AND (:track = 0 OR track = :track)
      AND (:status = 0 OR status = :status)
      """
    var arguments: [String: (any DatabaseValueConvertible)?] = [
      "nominee": request.nomineePersonID, "target": request.target.rawValue,
      "track": request.track.rawValue, "status": request.status.rawValue,
    ]
    var response = Response()
    response.total = try Int32(
      Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM recommendation WHERE \(filters)",
        arguments: StatementArguments(arguments)) ?? 0)
    // updateValue, not the subscript: assigning nil there would remove the key, and the
    // first page needs the cursor bound to NULL.
    arguments.updateValue(after as (any DatabaseValueConvertible)?, forKey: "afterCreated")
    arguments.updateValue(token?.id as (any DatabaseValueConvertible)?, forKey: "afterID")
    arguments["limit"] = pageSize + 1
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT * FROM recommendation WHERE \(filters)
          AND (:afterCreated IS NULL OR (created_ns, id) > (:afterCreated, :afterID))
        ORDER BY created_ns, id LIMIT :limit
        """, arguments: StatementArguments(arguments))
    response.recommendations = try rows.prefix(pageSize).map {
      try RecommendationStore.recommendation($0, in: db)
    }
    if rows.count > pageSize, let last = rows.prefix(pageSize).last {
      let created: Int64 = last["created_ns"]
      response.nextPageToken =
        PageToken(query: queryHash(request), key: String(created), id: last["id"]).encoded
    }
    return response
  }
}
