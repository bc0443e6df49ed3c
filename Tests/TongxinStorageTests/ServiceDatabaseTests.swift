import Foundation
import GRDB
import Testing
import TongxinMessages
import TongxinRPC
import TongxinStorage

@Suite("A service database shared by instances")
struct ServiceDatabaseTests {
  static func migrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.create(table: "counter") { table in
        table.column("name", .text).primaryKey()
        table.column("value", .integer).notNull()
      }
    }
    return migrator
  }

  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-storage-\(UUID().uuidString)/service.sqlite").path
  }

  static func increment(_ db: Database) throws -> Tongxin_Echo_CountResponse {
    try db.execute(
      sql: "INSERT INTO counter (name, value) VALUES ('n', 1) "
        + "ON CONFLICT(name) DO UPDATE SET value = value + 1")
    var response = Tongxin_Echo_CountResponse()
    response.count = try UInt64(Int.fetchOne(db, sql: "SELECT value FROM counter")!)
    return response
  }

  @Test("two handles on one file (two instances) both migrate and both write")
  func twoHandlesShareTheFile() async throws {
    let path = Self.temporaryPath()
    let first = try ServiceDatabase(path: path, migrator: Self.migrator())
    let second = try ServiceDatabase(path: path, migrator: Self.migrator())
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<40 {
        let database = index.isMultiple(of: 2) ? first : second
        group.addTask { _ = try await database.write(Self.increment) }
      }
      try await group.waitForAll()
    }
    let total = try await first.read { try Int.fetchOne($0, sql: "SELECT value FROM counter") }
    #expect(total == 40)
    #expect(try await first.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
  }

  @Test("the connection that commits syncs every commit: WAL with synchronous = FULL")
  func durableSettings() async throws {
    let database = try ServiceDatabase(path: Self.temporaryPath(), migrator: Self.migrator())
    // Asked inside a write: that runs on the writer, the connection whose commits matter
    // (opening a pool once left it at NORMAL while readers said FULL). 2 is FULL.
    let (journal, synchronous) = try await database.write { db in
      (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try Int.fetchOne(db, sql: "PRAGMA synchronous"))
    }
    #expect(journal == "wal")
    #expect(synchronous == 2)
  }

  @Test("a write retried with the same idempotency key is applied once")
  func idempotentWrite() async throws {
    let path = Self.temporaryPath()
    let first = try ServiceDatabase(path: path, migrator: Self.migrator())
    let second = try ServiceDatabase(path: path, migrator: Self.migrator())
    let request = Tongxin_Echo_CountRequest.with { $0.tag = "a" }
    let answers = try await withThrowingTaskGroup(of: UInt64.self) { group in
      for index in 0..<10 {
        let database = index.isMultiple(of: 2) ? first : second
        group.addTask {
          try await database.idempotentWrite(
            key: "retry-1", scope: "Count", request: request, Self.increment
          ).count
        }
      }
      return try await group.reduce(into: Set<UInt64>()) { $0.insert($1) }
    }
    #expect(answers == [1])
    let other = try await first.idempotentWrite(
      key: "retry-2", scope: "Count", request: request, Self.increment)
    #expect(other.count == 2)
  }

  @Test("the same key with a different request is refused")
  func keyReuseIsRefused() async throws {
    let database = try ServiceDatabase(path: Self.temporaryPath(), migrator: Self.migrator())
    var request = Tongxin_Echo_CountRequest()
    request.tag = "a"
    _ = try await database.idempotentWrite(
      key: "k", scope: "Count", request: request, Self.increment)
    request.tag = "b"
    await #expect(throws: RPCError.self) {
      _ = try await database.idempotentWrite(
        key: "k", scope: "Count", request: request, Self.increment)
    }
  }

  @Test("an RPCError thrown in a write rolls it back")
  func errorsRollBack() async throws {
    let database = try ServiceDatabase(path: Self.temporaryPath(), migrator: Self.migrator())
    await #expect(throws: RPCError.self) {
      try await database.write { db in
        _ = try Self.increment(db)
        throw RPCError(code: .aborted, message: "stale version")
      }
    }
    #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM counter") } == 0)
  }
}
