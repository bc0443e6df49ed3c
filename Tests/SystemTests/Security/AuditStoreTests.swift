import Foundation
import GRDB
import Logging
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting
import TongxinWire

@testable import Gateway

/// The audit log's store alone, on a real file in a temporary folder (SQLite's C API; GRDB
/// here only to look at the file from outside, as the GRDB version of the gateway did).
@Suite("The audit log's SQLite store", .timeLimit(.minutes(1)))
struct AuditStoreTests {
  @Test("a new file: WAL, synchronous FULL on the writer, the append-only schema")
  func newFile() async throws {
    try await withFolder { folder in
      let path = folder.appendingPathComponent("sub/audit.sqlite").path  // the folder is made
      let log = try AuditLog(path: path, logger: Logger(label: "test"))
      #expect(try log.writerValue("PRAGMA journal_mode") == .text("wal"))
      #expect(try log.writerValue("PRAGMA synchronous") == .integer(2))  // FULL
      #expect(try log.writerValue("PRAGMA busy_timeout") == .integer(10_000))
      await append(log, [entry(method: "CreateCompany")])

      let database = try DatabaseQueue(path: path)
      #expect(refused(database, "UPDATE audit_record SET code = 0"))
      #expect(refused(database, "DELETE FROM audit_record"))
      let count = try await database.read {
        try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_record")
      }
      #expect(count == 1)
    }
  }

  @Test("a file made by the GRDB version opens as it is, keeps its records and its schema")
  func grdbFile() async throws {
    try await withFolder { folder in
      let path = folder.appendingPathComponent("audit.sqlite").path
      do {
        let pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("audit_record") { try $0.execute(sql: Self.grdbSchema) }
        try migrator.migrate(pool)
        try await pool.write { db in
          try db.execute(
            sql: """
              INSERT INTO audit_record
                (time_ms, department, service, method, target_id, code, message, idempotency_key)
              VALUES (1700000000123, 'd', 'membership', 'Old', 't', 0, '', 'k')
              """)
        }
      }
      let schema = try Self.schema(path)

      let log = try AuditLog(path: path, logger: Logger(label: "test"))
      await append(log, [entry(method: "New")])
      let records = try await list(log, .init())
      #expect(records.records.map(\.method) == ["New", "Old"])
      #expect(records.records.map(\.sequence) == [2, 1])
      #expect(records.records.last?.time?.seconds == 1_700_000_000)
      #expect(records.records.last?.time?.nanos == 123_000_000)
      #expect(try Self.schema(path) == schema)
    }
  }

  @Test("a new file has exactly the GRDB version's schema")
  func sameSchema() async throws {
    try await withFolder { folder in
      let grdbPath = folder.appendingPathComponent("grdb.sqlite").path
      var migrator = DatabaseMigrator()
      migrator.registerMigration("audit_record") { try $0.execute(sql: Self.grdbSchema) }
      try migrator.migrate(try DatabaseQueue(path: grdbPath))
      let path = folder.appendingPathComponent("audit.sqlite").path
      _ = try AuditLog(path: path, logger: Logger(label: "test"))
      let grdbSchema = try Self.schema(grdbPath).filter { !$0.contains("grdb_") }
      #expect(try Self.schema(path) == grdbSchema)
    }
  }

  @Test("appends waiting together complete after their commit; listing filters and pages")
  func appendAndList() async throws {
    try await withFolder { folder in
      let log = try AuditLog(
        path: folder.appendingPathComponent("audit.sqlite").path, logger: Logger(label: "test"))
      // Concurrent: batched into few transactions; every completion runs.
      let many = (0..<60).map { entry(method: "M\($0 % 3)", target: "t\($0 % 2)") }
      await withTaskGroup(of: Void.self) { group in
        for entry in many { group.addTask { await append(log, [entry]) } }
      }
      let thousand = try await list(log, .with { $0.limit = 1000 })
      #expect(thousand.records.count == 60)

      for entry in [  // one after another: in this order
        entry(department: "销售部", method: "Create", target: "x1", code: .ok, time: 1),
        entry(department: "销售部", method: "Update", target: "x1", code: .notFound, time: 2),
        entry(department: "财务部", method: "Create", target: "x2", code: .ok, time: 3),
      ] {
        await append(log, [entry])
      }
      let all = try await list(log, .init())
      #expect(all.records.count == 63)
      #expect(all.records.map(\.sequence) == all.records.map(\.sequence).sorted(by: >))
      #expect(all.nextBeforeSequence == 0)
      let newest = try #require(all.records.first)
      #expect(newest.department == "财务部")
      #expect(newest.targetID == "x2")
      #expect(newest.service == "membership")
      #expect(newest.message == "message of Create")
      #expect(newest.idempotencyKey == "key-Create")

      let sales = try await list(log, .with { $0.department = "销售部" }).records
      #expect(sales.map(\.method) == ["Update", "Create"])
      let x1 = try await list(log, .with { $0.targetID = "x1" })
      #expect(x1.records.count == 2)
      let m1 = try await list(log, .with { $0.method = "M1" })
      #expect(m1.records.count == 20)
      let other = try await list(log, .with { $0.service = "other" })
      #expect(other.records.isEmpty)
      let notFound = try await list(log, .with { $0.codes = [.notFound, .alreadyExists] })
      #expect(notFound.records.map(\.method) == ["Update"])
      let window = try await list(log, .with {
        $0.since = .with { $0.seconds = 2 }
        $0.until = .with { $0.seconds = 3 }
      })
      #expect(window.records.map(\.method) == ["Update"])
      let farFuture = try await list(log, .with { $0.since = .with { $0.seconds = .max } })
      #expect(farFuture.records.isEmpty)  // and the gateway did not trap on the overflow
      let farPast = try await list(log, .with { $0.until = .with { $0.seconds = .min } })
      #expect(farPast.records.isEmpty)
      // Values are bound, never spliced into the SQL.
      let injected = try await list(log, .with { $0.department = "x' OR '1'='1" })
      #expect(injected.records.isEmpty)

      // Pages of 25, newest first, until next_before_sequence is 0.
      var sequences: [UInt64] = []
      var before: UInt64 = 0
      repeat {
        let page = try await list(log, .with {
          $0.limit = 25
          $0.beforeSequence = before
        })
        #expect(page.records.count <= 25)
        sequences += page.records.map(\.sequence)
        before = page.nextBeforeSequence
      } while before != 0
      #expect(sequences == all.records.map(\.sequence))
      let byDefault = try await list(log, .init())  // 100 by default
      #expect(byDefault.records.count == 63)
    }
  }

  @Test("a limit over 1000 is INVALID_ARGUMENT naming limit")
  func limit() async throws {
    try await withFolder { folder in
      let log = try AuditLog(
        path: folder.appendingPathComponent("audit.sqlite").path, logger: Logger(label: "test"))
      do {
        _ = try await list(log, .with { $0.limit = 1001 })
        Issue.record("no error")
      } catch let error as RPCError {
        #expect(error.code == .invalidArgument)
        #expect(error.details["field"] == "limit")
      }
    }
  }

  @Test("a write that fails is logged critically and still completes")
  func failedWrite() async throws {
    try await withFolder { folder in
      let path = folder.appendingPathComponent("audit.sqlite").path
      let recorder = LogRecorder()
      let log = try AuditLog(path: path, logger: recorder.logger("test"))
      try await DatabaseQueue(path: path).write { try $0.execute(sql: "DROP TABLE audit_record") }
      await append(log, [entry(method: "Lost"), entry(method: "Lost too")])
      let logged = recorder.lines
      // One line per batch: both entries may have waited together, or not.
      #expect(!logged.isEmpty)
      for line in logged {
        #expect(line.contains("critical audit records could not be written"))
        #expect(line.contains("no such table: audit_record"))
      }
    }
  }

  // MARK: Helpers

  /// The migration of the GRDB version of the audit log, as it was.
  static let grdbSchema = """
    CREATE TABLE audit_record (
      sequence INTEGER PRIMARY KEY AUTOINCREMENT,
      time_ms INTEGER NOT NULL,
      department TEXT NOT NULL,
      service TEXT NOT NULL,
      method TEXT NOT NULL,
      target_id TEXT NOT NULL,
      code INTEGER NOT NULL,
      message TEXT NOT NULL,
      idempotency_key TEXT NOT NULL
    );
    CREATE INDEX audit_record_by_time ON audit_record (time_ms);
    CREATE INDEX audit_record_by_target ON audit_record (target_id);
    CREATE TRIGGER audit_record_append_only_update BEFORE UPDATE ON audit_record
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_record_append_only_delete BEFORE DELETE ON audit_record
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """

  static func schema(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      try String.fetchAll(
        db, sql: "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name")
    }
  }
}

/// Whether SQLite refuses `sql` (the append-only triggers).
///
/// No closures inside `#expect(...)` in this file: with Swift 6.3 a closure in a macro expansion
/// got the same symbol as another closure of the test, and that other closure ran instead of it.
private func refused(_ database: DatabaseQueue, _ sql: String) -> Bool {
  do {
    try database.write { try $0.execute(sql: sql) }
    return false
  } catch {
    return error is DatabaseError
  }
}

private func withFolder(_ body: (URL) async throws -> Void) async throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("audit-store-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  try await body(folder)
}

private func entry(
  department: String = "d", method: String, target: String = "t",
  code: Tongxin_Rpc_StatusCode = .ok, time: TimeInterval? = nil
) -> AuditLog.Entry {
  AuditLog.Entry(
    time: time.map { Date(timeIntervalSince1970: $0) } ?? Date(), department: department,
    service: "membership", method: method, targetID: target, code: code,
    message: "message of \(method)", idempotencyKey: "key-\(method)")
}

/// Appends `entries` at once and waits for every completion.
private func append(_ log: AuditLog, _ entries: [AuditLog.Entry]) async {
  await withTaskGroup(of: Void.self) { group in
    for entry in entries {
      group.addTask { await withCheckedContinuation { done in log.append(entry) { done.resume() } } }
    }
  }
}

private func list(_ log: AuditLog, _ request: Tongxin_Audit_ListRecordsRequest) async throws
  -> Tongxin_Audit_ListRecordsResponse
{
  try await AuditService(log: log).listRecords(
    request,
    context: ServerContext(
      service: "audit", method: "ListRecords", deadline: .now + .seconds(10),
      instanceID: "audit-test"))
}
