import GRDB
import TongxinMessages
import TongxinRPC

/// A checked ListEvents request, as SQL: filters, order of start, keyset paging.
struct EventQuery: Sendable {
  var start: Instant?
  var end: Instant?
  var statuses: [Int32]
  var association: String?
  var series: Int64?
  var pageSize: Int
  /// The (start, id) of the last event of the previous page.
  var after: (start: Int64, id: Int64)?

  init(_ request: Tongxin_Events_ListEventsRequest) throws {
    start = try Instant.optional(request.start, "start")
    end = try Instant.optional(request.end, "end")
    if let start, let end, end <= start {
      throw FieldError.invalid("end", "must be after start")
    }
    statuses = try request.statuses.map { try Validation.required($0, "statuses").rawValue }
    association = request.associationCode.isEmpty
      ? nil : try Validation.code(request.associationCode, "association_code")
    series = request.seriesID.isEmpty
      ? nil : try Identifier.series.row(request.seriesID, "series_id")
    guard request.pageSize <= 500 else {
      throw FieldError.invalid("page_size", "must be at most 500")
    }
    pageSize = request.pageSize == 0 ? 100 : Int(request.pageSize)
    if !request.pageToken.isEmpty {
      let parts = request.pageToken.split(separator: ".")
      guard parts.count == 2, let start = Int64(parts[0]), let id = Int64(parts[1]) else {
        throw FieldError.invalid("page_token", "is not a token this service gave")
      }
      after = (start, id)
    }
  }

  func run(in db: Database) throws -> Tongxin_Events_ListEventsResponse {
    // Hidden: creations whose room is not yet confirmed, and abandoned ones.
    var sql = """
      SELECT * FROM events WHERE (room_state IN ('none', 'held', 'moving')
        OR (room_state = 'releasing' AND status IN (3, 4)))
      """
    var arguments: StatementArguments = []
    if let end {
      sql += " AND start < ?"
      arguments += [end.seconds]
    }
    if let start {
      sql += " AND \"end\" > ?"
      arguments += [start.seconds]
    }
    if !statuses.isEmpty {
      sql += " AND status IN (\(statuses.map(String.init).joined(separator: ",")))"
    }
    if let association {
      sql += " AND associations LIKE ?"
      arguments += ["%,\(association),%"]
    }
    if let series {
      sql += " AND series_id = ?"
      arguments += [series]
    }
    if let after {
      sql += " AND (start > ? OR (start = ? AND id > ?))"
      arguments += [after.start, after.start, after.id]
    }
    sql += " ORDER BY start, id LIMIT ?"
    arguments += [pageSize + 1]
    let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map(EventRow.init)
    var response = Tongxin_Events_ListEventsResponse()
    response.events = try rows.prefix(pageSize).map { try EventStore.message($0, in: db) }
    if rows.count > pageSize, let last = rows.prefix(pageSize).last {
      response.nextPageToken = "\(last.details.start.seconds).\(last.id)"
    }
    return response
  }
}
