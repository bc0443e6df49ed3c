import FoundationEssentials
import TongxinMessages
import TongxinRPC
import TongxinWire

/// Serves the audit log as the service `audit`, from an instance inside the gateway process.
public struct AuditService: Tongxin_Audit_Audit.ServiceProtocol {
  let log: AuditLog

  public init(log: AuditLog) {
    self.log = log
  }

  public func listRecords(_ request: Tongxin_Audit_ListRecordsRequest, context: ServerContext)
    async throws -> Tongxin_Audit_ListRecordsResponse
  {
    guard request.limit <= 1000 else {
      throw RPCError(
        code: .invalidArgument, message: "limit is at most 1000, not \(request.limit)",
        details: ["field": "limit"])
    }
    let limit = request.limit == 0 ? 100 : Int(request.limit)
    let (sql, values) = Self.query(request, limit: limit)
    let records = try await log.read { connection in
      let statement = try connection.prepare(sql)
      try statement.bind(values)
      var records: [Tongxin_Audit_AuditRecord] = []
      while try statement.step() { records.append(Self.record(statement)) }
      return records
    }
    var response = Tongxin_Audit_ListRecordsResponse()
    response.records = Array(records.prefix(limit))
    // One more than asked was read: it says whether another page exists.
    response.nextBeforeSequence = records.count > limit ? response.records.last!.sequence : 0
    return response
  }

  /// The columns ``record(_:)`` reads, in its order.
  private static let columns =
    "sequence, time_ms, department, service, method, target_id, code, message, idempotency_key"

  /// The query and its values: only column names and placeholders are spliced into the SQL,
  /// every value the caller sent is a bound parameter.
  private static func query(_ request: Tongxin_Audit_ListRecordsRequest, limit: Int)
    -> (String, [SQLiteConnection.Value])
  {
    var conditions: [String] = []
    var values: [SQLiteConnection.Value] = []
    for (column, value) in [
      ("department", request.department), ("service", request.service),
      ("method", request.method), ("target_id", request.targetID),
    ] where !value.isEmpty {
      conditions.append("\(column) = ?")
      values.append(.text(value))
    }
    if !request.codes.isEmpty {
      conditions.append("code IN (\(request.codes.map { _ in "?" }.joined(separator: ", ")))")
      values += request.codes.map { .integer(Int64($0.rawValue)) }
    }
    if let since = request.since {
      conditions.append("time_ms >= ?")
      values.append(.integer(milliseconds(since)))
    }
    if let until = request.until {
      conditions.append("time_ms < ?")
      values.append(.integer(milliseconds(until)))
    }
    if request.beforeSequence > 0 {
      conditions.append("sequence < ?")
      values.append(.integer(Int64(clamping: request.beforeSequence)))
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    values.append(.integer(Int64(limit + 1)))
    let sql = "SELECT \(columns) FROM audit_record \(filter) ORDER BY sequence DESC LIMIT ?"
    return (sql, values)
  }

  /// Saturating: a caller's timestamp far out of range must not trap the gateway.
  private static func milliseconds(_ timestamp: Google_Protobuf_Timestamp) -> Int64 {
    let (ms, overflow) = timestamp.seconds.multipliedReportingOverflow(by: 1000)
    let (sum, overflowToo) = ms.addingReportingOverflow(Int64(timestamp.nanos / 1_000_000))
    if overflow || overflowToo { return timestamp.seconds < 0 ? .min : .max }
    return sum
  }

  private static func record(_ row: SQLiteConnection.Statement) -> Tongxin_Audit_AuditRecord {
    var record = Tongxin_Audit_AuditRecord()
    record.sequence = UInt64(clamping: row.int64(0))
    let ms = row.int64(1)
    var time = Google_Protobuf_Timestamp()
    time.seconds = ms / 1000
    time.nanos = Int32(ms % 1000) * 1_000_000
    record.time = time
    record.department = row.text(2)
    record.service = row.text(3)
    record.method = row.text(4)
    record.targetID = row.text(5)
    record.code = Int32(exactly: row.int64(6)).flatMap(Tongxin_Rpc_StatusCode.init) ?? .unknown
    record.message = row.text(7)
    record.idempotencyKey = row.text(8)
    return record
  }
}
