import Foundation
import GRDB
import TongxinProtobuf
import TongxinRPC

/// The SQLite database of one service, shared safely by all its instances on one machine.
///
/// WAL journal (readers never wait for the writer), a busy timeout (instances take turns for
/// the write lock instead of failing), `synchronous = FULL` on the writer (each commit syncs the
/// WAL before it returns: an acknowledged write survives a crash of the process, and a power
/// loss as far as the disk honours fsync), immediate write transactions (two instances never
/// deadlock upgrading a read to a write), and versioned migrations applied at open, each once,
/// whichever instance gets there first.
public final class ServiceDatabase: Sendable {
  public let pool: DatabasePool
  public let path: String

  /// Opens (creating if needed) the database at `path` and applies `migrator`'s migrations.
  public init(path: String, migrator: DatabaseMigrator) throws {
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: path).deletingLastPathComponent(),
      withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    pool = try Self.retryingStartupRaces {
      let pool = try DatabasePool(path: path, configuration: configuration)
      // Only now: opening the pool switches the writer to WAL and then sets `synchronous =
      // NORMAL` itself (GRDB's default for WAL), which does not sync the WAL at each commit,
      // so a power loss could undo acknowledged writes. A setting made before, in
      // `prepareDatabase`, would be overridden. The writer is the pool's only connection that
      // commits, and it lives as long as the pool.
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
      }
      return pool
    }
    self.path = path
    var migrator = migrator
    IdempotencyStore.registerMigration(in: &migrator)
    try Self.retryingStartupRaces { try migrator.migrate(pool) }
  }

  /// Runs `body` again when it fails because other instances open the same new file.
  ///
  /// Instances start together after a deploy. Switching a new file to WAL needs its exclusive
  /// lock; when two connections both hold the shared lock and want it, SQLite answers one of
  /// them `SQLITE_BUSY` at once instead of waiting out the busy timeout, since waiting could
  /// deadlock. Two instances may also both find a migration missing; the second to get the
  /// write lock then fails on what the first created. Either way the other instance finishes
  /// soon, and trying again finds its work done.
  private static func retryingStartupRaces<T>(_ body: () throws -> T) throws -> T {
    var attempt = 1
    while true {
      do {
        return try body()
      } catch is DatabaseError where attempt < 5 {
        attempt += 1
        // Staggered, so instances that collided do not collide again in step.
        usleep(useconds_t(50_000 * attempt + Int.random(in: 0..<20_000)))
      }
    }
  }

  /// Runs `body` in an immediate write transaction; it commits unless `body` throws.
  ///
  /// Throwing an ``RPCError`` from `body` rolls back and answers with that status.
  public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws
    -> T
  {
    try await mapErrors {
      try await pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    }
  }

  /// Runs `body` on a snapshot of the database.
  public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws
    -> T
  {
    try await mapErrors { try await pool.read(body) }
  }

  /// A write that a retry with the same idempotency key applies at most once.
  ///
  /// The first call with `key` runs `body` and stores its response in the same transaction;
  /// a later call with the same key and the same request returns the stored response without
  /// running `body`; the same key with a different request is `INVALID_ARGUMENT`. An empty
  /// key runs `body` every time. `scope` names the method, so keys of different methods never
  /// meet.
  public func idempotentWrite<Request: ProtoMessage, Response: ProtoMessage>(
    key: String, scope: String, request: Request,
    _ body: @escaping @Sendable (Database) throws -> Response
  ) async throws -> Response {
    guard !key.isEmpty else { return try await write(body) }
    let requestBytes = request.serializedBytes()
    return try await write { db in
      if let stored = try IdempotencyStore.response(scope: scope, key: key, in: db) {
        guard stored.request == requestBytes else {
          throw RPCError(
            code: .invalidArgument,
            message: "idempotency key \"\(key)\" was already used for a different \(scope) request",
            details: ["field": "idempotency_key"])
        }
        return try Response(serializedBytes: stored.response)
      }
      let response = try body(db)
      try IdempotencyStore.store(
        scope: scope, key: key, request: requestBytes, response: response.serializedBytes(),
        in: db)
      return response
    }
  }

  private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
      throw RPCError(code: .unavailable, message: "the database is busy; try again")
    } catch let error as DatabaseError {
      // Details stay in the log of the instance; callers learn only that it failed.
      throw StorageError(underlying: error)
    }
  }
}

/// A database failure that is not the caller's fault: answered `INTERNAL`, logged in full.
public struct StorageError: Error, CustomStringConvertible {
  public var underlying: DatabaseError
  public var description: String { "database error: \(underlying)" }
}
