import TongxinRPC
import TongxinWire

/// Wire timestamps to and from the service's whole UTC seconds.
///
/// Instants are kept to the second: room bookings and visits are planned in minutes, and whole
/// seconds make intervals compare exactly. Fractions of a second are dropped, not rounded, so
/// that a start never moves later than the caller asked.
enum Timestamps {
  /// The years the service accepts, 2000 to 2099: history and plans fit, and arithmetic on
  /// instants and buffers can never overflow.
  static let accepted: Range<Int64> = 946_684_800..<4_102_444_800

  static func message(_ seconds: Int64) -> Google_Protobuf_Timestamp {
    var timestamp = Google_Protobuf_Timestamp()
    timestamp.seconds = seconds
    return timestamp
  }

  static func message(_ seconds: Int64?) -> Google_Protobuf_Timestamp? {
    seconds.map { message($0) }
  }

  /// The seconds of a timestamp that must be present.
  static func required(_ timestamp: Google_Protobuf_Timestamp?, _ field: String)
    throws(RPCError) -> Int64
  {
    guard let seconds = try optional(timestamp, field) else { throw Refusal.missing(field) }
    return seconds
  }

  /// The seconds of a timestamp that may be absent.
  static func optional(_ timestamp: Google_Protobuf_Timestamp?, _ field: String)
    throws(RPCError) -> Int64?
  {
    guard let timestamp else { return nil }
    guard (0..<1_000_000_000).contains(timestamp.nanos) else {
      throw Refusal.invalid(field, "has nanos \(timestamp.nanos), outside 0 to 999999999")
    }
    guard accepted.contains(timestamp.seconds) else {
      throw Refusal.invalid(field, "must lie between the years 2000 and 2099")
    }
    return timestamp.seconds
  }

  /// A half-open interval [start, end) whose both ends are required and in order.
  static func interval(
    _ start: Google_Protobuf_Timestamp?, _ end: Google_Protobuf_Timestamp?,
    startField: String = "start", endField: String = "end"
  ) throws(RPCError) -> Range<Int64> {
    let lower = try required(start, startField)
    let upper = try required(end, endField)
    guard lower < upper else { throw Refusal.invalid(endField, "must be after \(startField)") }
    return lower..<upper
  }

  /// RFC 3339 text for messages to people, e.g. "2023-06-01T02:00:00Z".
  static func text(_ seconds: Int64) -> String {
    let (days, second) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
    let date = BaseCalendar.civil(fromDays: days)
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(second / 3600)):"
      + "\(two(second / 60 % 60)):\(two(second % 60))Z"
  }
}

extension Int64 {
  fileprivate func floorDivided(by d: Int64) -> Int64 { self >= 0 ? self / d : (self - d + 1) / d }
  fileprivate func floorModulo(_ d: Int64) -> Int64 { self - floorDivided(by: d) * d }
}
