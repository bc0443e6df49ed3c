import TongxinRPC

/// The subset of iCalendar's RRULE (RFC 5545) that series use, parsed and checked.
///
/// Supported: FREQ=WEEKLY|MONTHLY, INTERVAL, BYDAY (plain weekdays for WEEKLY, one ordinal
/// weekday each such as 2TH or -1FR for MONTHLY), BYMONTHDAY (MONTHLY), and exactly one of
/// COUNT and UNTIL. Anything else is refused with INVALID_ARGUMENT rather than silently
/// ignored, so a rule never means something other than what its author expects.
struct RecurrenceRule: Hashable, Sendable {
  enum Frequency: Hashable, Sendable {
    case weekly
    case monthly
  }

  /// A BYDAY entry: a weekday (1 = Monday … 7 = Sunday), with an ordinal for MONTHLY.
  struct Weekday: Hashable, Sendable {
    var ordinal: Int?
    var day: Int
  }

  /// The most occurrences one series materialises.
  static let maxOccurrences = 200

  var frequency: Frequency
  var interval = 1
  var byDay: [Weekday] = []
  var byMonthDay: [Int] = []
  var count: Int?
  /// Inclusive: an occurrence starting at this instant still belongs to the series.
  var until: Instant?

  private static let weekdayCodes = ["MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7]

  /// Parses `text`; INVALID_ARGUMENT naming `field` and the part at fault.
  static func parse(_ text: String, field: String = "rrule") throws -> RecurrenceRule {
    var body = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
    if body.hasPrefix("RRULE:") { body = body.dropFirst(6) }
    guard !body.isEmpty else { throw FieldError.invalid(field, "is required") }
    guard body.count <= 200 else { throw FieldError.invalid(field, "is longer than 200 characters") }
    var parts: [String: String] = [:]
    for part in body.split(separator: ";", omittingEmptySubsequences: true) {
      let pair = part.split(separator: "=", maxSplits: 1)
      guard pair.count == 2 else {
        throw FieldError.invalid(field, "\"\(part)\" is not NAME=VALUE")
      }
      let name = String(pair[0])
      guard parts.updateValue(String(pair[1]), forKey: name) == nil else {
        throw FieldError.invalid(field, "\(name) is given twice")
      }
    }
    let supported: Set = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"]
    if let unknown = parts.keys.sorted().first(where: { !supported.contains($0) }) {
      throw FieldError.invalid(
        field, "\(unknown) is not supported; use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL")
    }
    let rule: RecurrenceRule
    switch parts["FREQ"] {
    case "WEEKLY": rule = RecurrenceRule(frequency: .weekly)
    case "MONTHLY": rule = RecurrenceRule(frequency: .monthly)
    case nil: throw FieldError.invalid(field, "FREQ is required (WEEKLY or MONTHLY)")
    case let other?: throw FieldError.invalid(field, "FREQ=\(other) is not supported; WEEKLY or MONTHLY")
    }
    return try rule.reading(parts, field: field)
  }

  private func reading(_ parts: [String: String], field: String) throws -> RecurrenceRule {
    var rule = self
    if let text = parts["INTERVAL"] {
      guard let value = Int(text), (1...12).contains(value) else {
        throw FieldError.invalid(field, "INTERVAL must be a whole number from 1 to 12")
      }
      rule.interval = value
    }
    if let text = parts["BYDAY"] {
      rule.byDay = try text.split(separator: ",").map { try Self.weekday($0, frequency, field) }
      guard Set(rule.byDay).count == rule.byDay.count else {
        throw FieldError.invalid(field, "BYDAY names a day twice")
      }
    }
    if let text = parts["BYMONTHDAY"] {
      guard frequency == .monthly else {
        throw FieldError.invalid(field, "BYMONTHDAY is only supported with FREQ=MONTHLY")
      }
      guard rule.byDay.isEmpty else {
        throw FieldError.invalid(field, "give BYDAY or BYMONTHDAY, not both")
      }
      rule.byMonthDay = try text.split(separator: ",").map {
        guard let day = Int($0), (1...31).contains(day) || day == -1 else {
          throw FieldError.invalid(field, "BYMONTHDAY \"\($0)\" must be 1 to 31 or -1")
        }
        return day
      }
    }
    switch (parts["COUNT"], parts["UNTIL"]) {
    case (let count?, nil):
      guard let value = Int(count), (1...Self.maxOccurrences).contains(value) else {
        throw FieldError.invalid(field, "COUNT must be from 1 to \(Self.maxOccurrences)")
      }
      rule.count = value
    case (nil, let until?):
      rule.until = try Self.untilInstant(until, field)
    case (nil, nil):
      throw FieldError.invalid(field, "COUNT or UNTIL is required: a series must end")
    case (_?, _?):
      throw FieldError.invalid(field, "give COUNT or UNTIL, not both")
    }
    return rule
  }

  private static func weekday(_ text: Substring, _ frequency: Frequency, _ field: String) throws
    -> Weekday
  {
    let code = String(text.suffix(2))
    let ordinalText = text.dropLast(2)
    guard let day = weekdayCodes[code] else {
      throw FieldError.invalid(field, "BYDAY \"\(text)\" does not end in MO, TU, WE, TH, FR, SA or SU")
    }
    switch frequency {
    case .weekly:
      guard ordinalText.isEmpty else {
        throw FieldError.invalid(field, "BYDAY \"\(text)\": ordinals are only supported with MONTHLY")
      }
      return Weekday(ordinal: nil, day: day)
    case .monthly:
      let trimmed = ordinalText.hasPrefix("+") ? ordinalText.dropFirst() : ordinalText
      guard let ordinal = Int(trimmed), (1...5).contains(ordinal) || ordinal == -1 else {
        throw FieldError.invalid(
          field, "BYDAY \"\(text)\": MONTHLY needs an ordinal 1 to 5 or -1 before the weekday, e.g. 2TH")
      }
      return Weekday(ordinal: ordinal, day: day)
    }
  }

  /// UNTIL as a UTC date-time (YYYYMMDDTHHMMSSZ) or a date (YYYYMMDD: the whole local day).
  private static func untilInstant(_ text: String, _ field: String) throws -> Instant {
    let chars = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= chars.count else { return nil }
      return Int(String(decoding: chars[range], as: UTF8.self))
    }
    let invalid = FieldError.invalid(
      field, "UNTIL \"\(text)\" must be YYYYMMDD or YYYYMMDDTHHMMSSZ (UTC)")
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
      (2000...2099).contains(year), (1...12).contains(month),
      (1...LocalDate.daysIn(year: year, month: month)).contains(day)
    else { throw invalid }
    let date = LocalDate(year: year, month: month, day: day)
    if chars.count == 8 {
      return date.instant(at: 86_399)
    }
    guard chars.count == 16, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z"),
      let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
      hour < 24, minute < 60, second < 60
    else { throw invalid }
    let utcMidnight = date.dayNumber * 86_400
    return Instant(seconds: utcMidnight + Int64(hour * 3600 + minute * 60 + second))
  }
}
