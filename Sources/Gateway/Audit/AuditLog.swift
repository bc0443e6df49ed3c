import Foundation
import GRDB
import Logging
import Synchronization
import TongxinStorage
import TongxinWire

/// The gateway's record of every write call, in a SQLite file of its own: append-only (the
/// schema refuses updates and deletes), kept across restarts, written off the routing thread.
///
/// A write call's answer reaches its caller only once its record is on disk, so nobody can
/// have been told "done" about a write the log does not show.
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

  let database: ServiceDatabase
  private let logger: Logger
  private let waiting = Mutex(Waiting())
  // GRDB's synchronous writes block: they run here, never on the broker's thread or the
  // cooperative pool.
  private let queue = DispatchQueue(label: "tongxin.audit")

  public init(path: String, logger: Logger) throws {
    database = try ServiceDatabase(path: path, migrator: Self.migrator)
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
    if start { queue.async { self.writeWaiting() } }
  }

  /// Commits everything waiting in one transaction, again until nothing waits: under load one
  /// fsync covers many calls.
  private func writeWaiting() {
    while true {
      let batch = waiting.withLock { state in
        defer { state.entries = [] }
        if state.entries.isEmpty { state.writing = false }
        return state.entries
      }
      if batch.isEmpty { return }
      do {
        try database.pool.write { db in
          for (entry, _) in batch { try Self.insert(entry, into: db) }
        }
      } catch {
        logger.critical(
          "audit records could not be written",
          metadata: ["count": "\(batch.count)", "error": "\(error)"])
      }
      for (_, done) in batch { done() }
    }
  }

  private static func insert(_ entry: Entry, into db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO audit_record
          (time_ms, department, service, method, target_id, code, message, idempotency_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        Int64((entry.time.timeIntervalSince1970 * 1000).rounded()), entry.department,
        entry.service, entry.method, entry.targetID, Int(entry.code.rawValue), entry.message,
        entry.idempotencyKey,
      ])
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("audit_record") { db in
      try db.execute(
        sql: """
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
          """)
    }
    return migrator
  }
}
