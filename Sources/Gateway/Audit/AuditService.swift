import Foundation
import GRDB
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
    let (sql, arguments) = Self.query(request, limit: limit)
    let records = try await log.database.read { db in
      try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record)
    }
    var response = Tongxin_Audit_ListRecordsResponse()
    response.records = Array(records.prefix(limit))
    // One more than asked was read: it says whether another page exists.
    response.nextBeforeSequence = records.count > limit ? response.records.last!.sequence : 0
    return response
  }

  private static func query(_ request: Tongxin_Audit_ListRecordsRequest, limit: Int)
    -> (String, StatementArguments)
  {
    var conditions: [String] = []
    var arguments: [any DatabaseValueConvertible] = []
    for (column, value) in [
      ("department", request.department), ("service", request.service),
      ("method", request.method), ("target_id", request.targetID),
    ] where !value.isEmpty {
      conditions.append("\(column) = ?")
      arguments.append(value)
    }
    if !request.codes.isEmpty {
      conditions.append("code IN (\(request.codes.map { _ in "?" }.joined(separator: ", ")))")
      arguments += request.codes.map { Int($0.rawValue) }
    }
    if let since = request.since {
      conditions.append("time_ms >= ?")
      arguments.append(milliseconds(since))
    }
    if let until = request.until {
      conditions.append("time_ms < ?")
      arguments.append(milliseconds(until))
    }
    if request.beforeSequence > 0 {
      conditions.append("sequence < ?")
      arguments.append(Int64(clamping: request.beforeSequence))
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = "SELECT * FROM audit_record \(filter) ORDER BY sequence DESC LIMIT \(limit + 1)"
    return (sql, StatementArguments(arguments))
  }

  private static func milliseconds(_ timestamp: Google_Protobuf_Timestamp) -> Int64 {
    timestamp.seconds * 1000 + Int64(timestamp.nanos / 1_000_000)
  }

  private static func record(_ row: Row) -> Tongxin_Audit_AuditRecord {
    var record = Tongxin_Audit_AuditRecord()
    record.sequence = UInt64(row["sequence"] as Int64)
    let ms: Int64 = row["time_ms"]
    var time = Google_Protobuf_Timestamp()
    time.seconds = ms / 1000
    time.nanos = Int32(ms % 1000) * 1_000_000
    record.time = time
    record.department = row["department"]
    record.service = row["service"]
    record.method = row["method"]
    record.targetID = row["target_id"]
    record.code = Tongxin_Rpc_StatusCode(rawValue: Int32(row["code"] as Int)) ?? .unknown
    record.message = row["message"]
    record.idempotencyKey = row["idempotency_key"]
    return record
  }
}
