import Dispatch
import FoundationEssentials
import Logging
import Synchronization
import TongxinRPC
import TongxinWire

/// The gateway's record of every write call, in a SQLite file of its own: append-only (the
/// schema refuses updates and deletes), kept across restarts, written off the routing thread.
///
/// A write call's answer reaches its caller only once its record is on disk, so nobody can
/// have been told "done" about a write the log does not show.
///
/// Straight on the SQLite C API (``SQLiteConnection``) rather than GRDB, so that the gateway
/// does not link GRDB: its code cost the gateway process more resident memory than the 30 MB
/// allowed. Files made by the GRDB version open as they are (same schema and names).
public final class AuditLog: Sendable {
  /// One write call as the gateway saw it end.
  struct Entry: Sendable {
    var time: Date
    var department: String
    var service: String
    var method: String
    var targetID: String
    var code: Tongxin_Rpc_StatusCode
    var message: String
    var idempotencyKey: String
  }

  private struct Waiting {
    var entries: [(Entry, @Sendable () -> Void)] = []
    var writing = false
  }

  let path: String
  private let logger: Logger
  private let waiting = Mutex(Waiting())
  /// The connection that commits. Its writes block (each commit syncs the WAL): they run on
  /// its queue, never on the broker's thread or the cooperative pool.
  private let writer: Confined
  /// A second connection for ``AuditService``: in WAL mode reads and the writer never wait
  /// for each other, so a listing never delays a write call's answer.
  private let reader: Confined

  /// How long a connection waits for a lock another holds (another process on the same file,
  /// a checkpoint) before failing with SQLITE_BUSY.
  static let busyTimeoutMs: Int32 = 10_000

  public init(path: String, logger: Logger) throws {
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: path).deletingLastPathComponent(),
      withIntermediateDirectories: true)
    writer = try Confined(label: "tongxin.audit") {
      let connection = try SQLiteConnection(path: path, busyTimeoutMs: AuditLog.busyTimeoutMs)
      try AuditLog.prepareWriter(connection)
      return connection
    }
    // Only once the writer has made the file WAL and created the schema.
    reader = try Confined(label: "tongxin.audit.read") {
      try SQLiteConnection(path: path, readOnly: true, busyTimeoutMs: AuditLog.busyTimeoutMs)
    }
    self.path = path
    self.logger = logger
  }

  /// Appends `entry`; `done` runs once it is committed (or could not be, which is logged:
  /// the call's answer still goes out, since the write it reports has happened).
  func append(_ entry: Entry, then done: @escaping @Sendable () -> Void) {
    let start = waiting.withLock { state in
      state.entries.append((entry, done))
      defer { state.writing = true }
      return !state.writing
    }
    if start { writer.async { self.writeWaiting(with: $0) } }
  }

  /// Returns once every entry appended before has been committed and its `done` has run.
  /// Never from the writer's queue.
  func waitForWrites() {
    _ = try? writer.sync { _ in }
  }

  /// Commits everything waiting in one transaction, again until nothing waits: under load one
  /// fsync covers many calls.
  private func writeWaiting(with connection: SQLiteConnection) {
    while true {
      let batch = waiting.withLock { state in
        defer { state.entries = [] }
        if state.entries.isEmpty { state.writing = false }
        return state.entries
      }
      if batch.isEmpty { return }
      do {
        try connection.transaction {
          let insert = try connection.prepare(Self.insertSQL)
          for (entry, _) in batch {
            try insert.bind(Self.values(entry))
            try insert.step()
          }
        }
      } catch {
        logger.critical(
          "audit records could not be written",
          metadata: ["count": "\(batch.count)", "error": "\(error)"])
      }
      for (_, done) in batch { done() }
    }
  }

  /// Runs `body` with the reading connection on its queue; the caller's thread only awaits.
  func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T)
    async throws -> T
  {
    try Task.checkCancellation()
    do {
      return try await withCheckedThrowingContinuation { continuation in
        reader.async { connection in continuation.resume(with: Result { try body(connection) }) }
      }
    } catch let error as SQLiteError where error.isBusy {
      throw RPCError(code: .unavailable, message: "the database is busy; try again")
    }
  }

  /// The first value `sql` returns on the writing connection, e.g. `PRAGMA synchronous`: for
  /// tests and diagnostics. Blocks until the writes queued before it are done.
  func writerValue(_ sql: String) throws -> SQLiteConnection.Value? {
    try writer.sync { try $0.value(sql) }
  }

  /// WAL (readers never wait for the writer), `synchronous = FULL` (each commit syncs the WAL
  /// before it returns: a record acknowledged survives a crash of the process, and a power
  /// loss as far as the disk honours fsync), then the schema if the file is new.
  private static func prepareWriter(_ connection: SQLiteConnection) throws {
    guard case .text(let mode) = try connection.value("PRAGMA journal_mode = WAL"),
      mode.lowercased() == "wal"
    else { throw SQLiteError(code: 1, message: "the audit log cannot use WAL mode") }
    try connection.execute("PRAGMA synchronous = FULL")
    // Read back: a pragma SQLite does not accept is ignored without an error.
    guard case .integer(2) = try connection.value("PRAGMA synchronous") else {
      throw SQLiteError(code: 1, message: "the audit log cannot use synchronous = FULL")
    }
    // In one immediate transaction: gateways opening a new file together take turns, and the
    // second finds everything there.
    try connection.transaction { try connection.execute(schemaSQL) }
  }

  /// The schema of the GRDB version's migration "audit_record", made idempotent: files that
  /// version created (with its `grdb_migrations` table) are left as they are.
  static let schemaSQL = """
    CREATE TABLE IF NOT EXISTS audit_record (
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
    CREATE INDEX IF NOT EXISTS audit_record_by_time ON audit_record (time_ms);
    CREATE INDEX IF NOT EXISTS audit_record_by_target ON audit_record (target_id);
    CREATE TRIGGER IF NOT EXISTS audit_record_append_only_update BEFORE UPDATE ON audit_record
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_record_append_only_delete BEFORE DELETE ON audit_record
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """

  private static let insertSQL = """
    INSERT INTO audit_record
      (time_ms, department, service, method, target_id, code, message, idempotency_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    """

  private static func values(_ entry: Entry) -> [SQLiteConnection.Value] {
    [
      .integer(Int64((entry.time.timeIntervalSince1970 * 1000).rounded())),
      .text(entry.department), .text(entry.service), .text(entry.method),
      .text(entry.targetID), .integer(Int64(entry.code.rawValue)), .text(entry.message),
      .text(entry.idempotencyKey),
    ]
  }
}

/// A SQLite connection and the serial queue that alone uses it (the connection is not
/// thread-safe); closed with the last reference.
private final class Confined: @unchecked Sendable {
  private let queue: DispatchQueue
  private let connection: SQLiteConnection

  /// Opens the connection on the queue.
  init(label: String, open: () throws -> SQLiteConnection) throws {
    queue = DispatchQueue(label: label)
    connection = try queue.sync(execute: open)
  }

  func async(_ body: @escaping @Sendable (SQLiteConnection) -> Void) {
    queue.async { body(self.connection) }
  }

  /// Never from the queue itself.
  func sync<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    try queue.sync { try body(connection) }
  }
}
