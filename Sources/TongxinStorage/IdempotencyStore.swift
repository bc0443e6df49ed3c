import Foundation
import GRDB

/// The responses of writes made with an idempotency key, kept beside the service's data so
/// that both commit in one transaction.
enum IdempotencyStore {
  static func registerMigration(in migrator: inout DatabaseMigrator) {
    migrator.registerMigration("tongxin.idempotency.v1") { db in
      try db.create(table: "idempotency") { table in
        table.column("scope", .text).notNull()
        table.column("key", .text).notNull()
        table.column("request", .blob).notNull()
        table.column("response", .blob).notNull()
        table.column("created_at", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
        table.primaryKey(["scope", "key"])
      }
    }
  }

  static func response(scope: String, key: String, in db: Database) throws
    -> (request: [UInt8], response: [UInt8])?
  {
    let row = try Row.fetchOne(
      db, sql: "SELECT request, response FROM idempotency WHERE scope = ? AND key = ?",
      arguments: [scope, key])
    guard let row else { return nil }
    let request: Data = row["request"]
    let response: Data = row["response"]
    return ([UInt8](request), [UInt8](response))
  }

  static func store(
    scope: String, key: String, request: [UInt8], response: [UInt8], in db: Database
  ) throws {
    try db.execute(
      sql: "INSERT INTO idempotency (scope, key, request, response) VALUES (?, ?, ?, ?)",
      arguments: [scope, key, Data(request), Data(response)])
  }
}
