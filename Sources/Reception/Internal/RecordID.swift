import TongxinRPC

/// The ids this service makes: a kind prefix and the row number, e.g. "b-12".
///
/// The prefix lets a person (and a log reader) tell a booking id from a delegation id at a
/// glance, and makes a mixed-up id NOT_FOUND instead of silently naming another record.
enum RecordID {
  static let booking = "b-"
  static let delegation = "d-"
  static let visitor = "v-"

  static func make(_ prefix: String, _ row: Int64) -> String { "\(prefix)\(row)" }

  /// The row number in `text`; INVALID_ARGUMENT when empty, NOT_FOUND when it cannot be ours.
  static func row(_ text: String, prefix: String, kind: String, field: String) throws(RPCError)
    -> Int64
  {
    guard !text.isEmpty else { throw Refusal.missing(field) }
    guard text.hasPrefix(prefix), let row = Int64(text.dropFirst(prefix.count)), row > 0 else {
      throw Refusal.notFound(kind, text, field: field)
    }
    return row
  }
}
