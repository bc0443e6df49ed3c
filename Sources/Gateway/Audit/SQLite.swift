internal import CSQLite

/// A connection to a SQLite file through the C API, as much of it as the audit log needs:
/// executing SQL, prepared statements with bound parameters, stepping through rows.
///
/// Not thread-safe by design (opened with `SQLITE_OPEN_NOMUTEX`): each connection is used from
/// one serial queue only (see ``AuditLog``). Closed when the last reference goes.
final class SQLiteConnection {
  /// An SQL value: what a statement binds and what a column holds in the audit log.
  enum Value: Sendable, Equatable {
    case integer(Int64)
    case text(String)
  }

  private let handle: OpaquePointer

  /// Opens (creating it if `readOnly` is false) the file at `path`; waits up to
  /// `busyTimeoutMs` for locks held by other connections.
  init(path: String, readOnly: Bool = false, busyTimeoutMs: Int32) throws {
    var handle: OpaquePointer?
    let flags =
      (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
      | SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &handle, flags, nil)
    guard let handle else { throw SQLiteError(code: code, message: "cannot open \(path)") }
    guard code == SQLITE_OK else {
      let error = SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
      sqlite3_close_v2(handle)
      throw error
    }
    self.handle = handle
    sqlite3_busy_timeout(handle, busyTimeoutMs)
  }

  deinit {
    // Statements keep their connection alive, so none is left to finalize.
    sqlite3_close_v2(handle)
  }

  /// Runs `sql`, one or more statements without parameters, ignoring any rows.
  func execute(_ sql: String) throws {
    var message: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(handle, sql, nil, nil, &message)
    guard code == SQLITE_OK else {
      let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
      sqlite3_free(message)
      throw SQLiteError(code: code, message: text, sql: sql)
    }
  }

  /// The first column of the first row `sql` returns (e.g. a pragma's value), if any.
  func value(_ sql: String) throws -> Value? {
    let statement = try prepare(sql)
    return try statement.step() ? statement.column(0) : nil
  }

  /// Compiles `sql`, a single statement with `?` parameters.
  func prepare(_ sql: String) throws -> Statement {
    var pointer: OpaquePointer?
    let code = sqlite3_prepare_v2(handle, sql, -1, &pointer, nil)
    guard code == SQLITE_OK, let pointer else { throw error(code, sql: sql) }
    return Statement(pointer, connection: self, sql: sql)
  }

  /// Runs `body` in an immediate transaction (the write lock taken at once, so two writers
  /// never deadlock upgrading); commits unless `body` throws, else rolls back.
  func transaction(_ body: () throws -> Void) throws {
    try execute("BEGIN IMMEDIATE")
    do {
      try body()
      try execute("COMMIT")
    } catch {
      // A failed COMMIT may have ended the transaction already.
      if sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
      throw error
    }
  }

  fileprivate func error(_ code: Int32, sql: String) -> SQLiteError {
    SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
  }

  /// A prepared statement; finalized when the last reference goes.
  final class Statement {
    private let pointer: OpaquePointer
    private let connection: SQLiteConnection
    private let sql: String

    fileprivate init(_ pointer: OpaquePointer, connection: SQLiteConnection, sql: String) {
      self.pointer = pointer
      self.connection = connection
      self.sql = sql
    }

    deinit { sqlite3_finalize(pointer) }

    /// Binds `values` to the parameters in order, after resetting a statement run before.
    func bind(_ values: [Value]) throws {
      sqlite3_reset(pointer)
      sqlite3_clear_bindings(pointer)
      guard values.count == Int(sqlite3_bind_parameter_count(pointer)) else {
        throw SQLiteError(
          code: SQLITE_RANGE,
          message: "\(values.count) values for \(sqlite3_bind_parameter_count(pointer)) parameters",
          sql: sql)
      }
      for (offset, value) in values.enumerated() {
        let index = Int32(offset + 1)
        let code: Int32
        switch value {
        case .integer(let integer):
          code = sqlite3_bind_int64(pointer, index, integer)
        case .text(let text):
          // The length given, so text with NUL characters is stored whole; copied by SQLite.
          code = text.withCString {
            sqlite3_bind_text(pointer, index, $0, Int32(text.utf8.count), Self.transient)
          }
        }
        guard code == SQLITE_OK else { throw connection.error(code, sql: sql) }
      }
    }

    /// Advances to the next row: true when there is one, false when the statement is done.
    @discardableResult
    func step() throws -> Bool {
      switch sqlite3_step(pointer) {
      case SQLITE_ROW: return true
      case SQLITE_DONE: return false
      case let code:
        // Since SQLite 3.7.15 sqlite3_step returns the detailed code itself; reset so that
        // the statement may run again.
        sqlite3_reset(pointer)
        throw connection.error(code, sql: sql)
      }
    }

    /// Column `index` (from 0) of the current row; NULL is nil.
    func column(_ index: Int32) -> Value? {
      switch sqlite3_column_type(pointer, index) {
      case SQLITE_NULL: return nil
      case SQLITE_INTEGER: return .integer(sqlite3_column_int64(pointer, index))
      default: return .text(text(index))
      }
    }

    /// Column `index` of the current row as an integer (NULL and text that is not a number
    /// read as 0, as SQLite converts them).
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(pointer, index) }

    /// Column `index` of the current row as text (NULL reads as empty).
    func text(_ index: Int32) -> String {
      // Text first, then its length: the order SQLite asks for.
      guard let text = sqlite3_column_text(pointer, index) else { return "" }
      let count = Int(sqlite3_column_bytes(pointer, index))
      return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// SQLITE_TRANSIENT, a macro Swift does not import: SQLite copies the bound bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
  }
}

/// A failed SQLite call: its result code and SQLite's message (sqlite3_errmsg).
struct SQLiteError: Error, CustomStringConvertible {
  var code: Int32
  var message: String
  var sql: String?

  /// Another connection held the lock past the busy timeout.
  var isBusy: Bool { code & 0xff == SQLITE_BUSY }

  var description: String {
    "SQLite error \(code): \(message)" + (sql.map { " (in `\($0)`)" } ?? "")
  }
}
