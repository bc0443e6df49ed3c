import Foundation
import TongxinProtobuf
import TongxinWire
import TongxinRPC

/// A UTC instant to the second, as the database keeps it (seconds since 1970).
///
/// Reception keeps bookings to the second, so events do too: an event and its booking then
/// always agree on their times.
struct Instant: Hashable, Comparable, Sendable {
  var seconds: Int64

  /// Accepted range: 2000-01-01 to 2100-01-01, which also catches swapped or garbage dates.
  static let earliest = Instant(seconds: 946_684_800)
  static let latest = Instant(seconds: 4_102_444_800)

  init(seconds: Int64) { self.seconds = seconds }

  static func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }

  static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }

  var timestamp: Google_Protobuf_Timestamp {
    var timestamp = Google_Protobuf_Timestamp()
    timestamp.seconds = seconds
    return timestamp
  }

  /// RFC 3339, for messages.
  var text: String { ProtoJSON.timestampString(seconds: seconds, nanos: 0) ?? "\(seconds) s" }

  /// The instant of a required timestamp; INVALID_ARGUMENT naming `field` when it is absent,
  /// malformed or outside the accepted range. Fractions of a second are dropped.
  static func required(_ timestamp: Google_Protobuf_Timestamp?, _ field: String) throws -> Instant
  {
    guard let timestamp else { throw FieldError.invalid(field, "is required") }
    return try parse(timestamp, field)
  }

  /// As ``required(_:_:)``, but nil when absent.
  static func optional(_ timestamp: Google_Protobuf_Timestamp?, _ field: String) throws
    -> Instant?
  {
    guard let timestamp else { return nil }
    return try parse(timestamp, field)
  }

  private static func parse(_ timestamp: Google_Protobuf_Timestamp, _ field: String) throws
    -> Instant
  {
    guard (0..<1_000_000_000).contains(timestamp.nanos) else {
      throw FieldError.invalid(field, "nanos must be between 0 and 999999999")
    }
    guard (earliest.seconds..<latest.seconds).contains(timestamp.seconds) else {
      throw FieldError.invalid(
        field, "\(timestamp.seconds) s is not between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z")
    }
    return Instant(seconds: timestamp.seconds)
  }
}

/// A calendar date, for recurrence rules evaluated in the base's local time.
struct LocalDate: Hashable, Comparable, Sendable {
  var year: Int
  var month: Int
  var day: Int

  /// China Standard Time, UTC+08:00, which has no daylight saving: plain arithmetic is exact.
  static let offsetSeconds: Int64 = 8 * 3600

  static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
  var dayNumber: Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  init(dayNumber: Int64) {
    let z = dayNumber + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.init(year: Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), month: Int(m), day: Int(d))
  }

  /// 1 = Monday … 7 = Sunday (ISO 8601, as RRULE's MO…SU).
  var weekday: Int {
    let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (ISO 4).
    return Int(w < 0 ? w + 7 : w) + 1
  }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The local date of `instant` and the seconds since local midnight.
  static func local(_ instant: Instant) -> (date: LocalDate, secondOfDay: Int64) {
    let local = instant.seconds + offsetSeconds
    let (days, rest) = local.quotientAndRemainder(dividingBy: 86_400)
    return rest < 0
      ? (LocalDate(dayNumber: days - 1), rest + 86_400) : (LocalDate(dayNumber: days), rest)
  }

  /// The UTC instant of `secondOfDay` local time on this date.
  func instant(at secondOfDay: Int64) -> Instant {
    Instant(seconds: dayNumber * 86_400 + secondOfDay - Self.offsetSeconds)
  }

  /// This date moved by whole months, with the day kept (the caller checks it exists).
  func addingMonths(_ months: Int) -> (year: Int, month: Int) {
    let index = year * 12 + (month - 1) + months
    return (index / 12, index % 12 + 1)
  }
}
