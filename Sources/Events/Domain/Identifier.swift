import TongxinRPC

/// The ids this service makes: a prefix and the row number, e.g. "ev-12".
///
/// Row numbers come from AUTOINCREMENT tables, so an id is never given twice, not even after a
/// row was deleted: a room booking held by "ev-12" can only ever mean one event.
enum Identifier: String {
  case event = "ev"
  case series = "sr"
  case registration = "rg"

  func make(_ row: Int64) -> String { "\(rawValue)-\(row)" }

  /// The row number of `id`; NOT_FOUND naming `field` when it is not an id of this kind (an id
  /// that cannot exist names nothing, like a well-formed one that does not).
  func row(_ id: String, _ field: String) throws -> Int64 {
    guard !id.isEmpty else { throw FieldError.invalid(field, "is required") }
    let prefix = rawValue + "-"
    guard id.hasPrefix(prefix), let row = Int64(id.dropFirst(prefix.count)), row > 0 else {
      throw FieldError.notFound(field, noun, String(id.prefix(64)))
    }
    return row
  }

  var noun: String {
    switch self {
    case .event: "event"
    case .series: "series"
    case .registration: "registration"
    }
  }
}
