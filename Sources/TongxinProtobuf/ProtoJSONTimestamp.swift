// google.protobuf.Timestamp in JSON: an RFC 3339 string such as "2017-08-01T00:00:00Z", with
// 3, 6 or 9 digits of fractional seconds when nanos is not zero. Any offset is read ("+08:00");
// "Z" is written. Plain calendar arithmetic (proleptic Gregorian, no leap seconds), no
// Foundation.

extension ProtoJSON {
  /// The range of seconds protobuf allows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
  static let timestampSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

  /// The RFC 3339 text of a Timestamp; nil when outside protobuf's range.
  public static func timestampString(seconds: Int64, nanos: Int32) -> String? {
    guard timestampSeconds.contains(seconds), (0..<1_000_000_000).contains(nanos) else {
      return nil
    }
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civil(fromDays: days)
    var text =
      digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2) + "T"
      + digits(secondOfDay / 3600, 2) + ":" + digits(secondOfDay / 60 % 60, 2) + ":"
      + digits(secondOfDay % 60, 2)
    if nanos != 0 {
      let n = Int64(nanos)
      if n % 1_000_000 == 0 {
        text += "." + digits(n / 1_000_000, 3)
      } else if n % 1_000 == 0 {
        text += "." + digits(n / 1_000, 6)
      } else {
        text += "." + digits(n, 9)
      }
    }
    return text + "Z"
  }

  /// Seconds and nanos of an RFC 3339 time (`2017-08-01T08:00:00.5+08:00`); nil when `text` is
  /// not one or is outside protobuf's range.
  public static func timestamp(parsing text: String) -> (seconds: Int64, nanos: Int32)? {
    let b = Array(text.utf8)
    var i = 0
    func number(_ count: Int) -> Int64? {
      guard i + count <= b.count else { return nil }
      var n: Int64 = 0
      for c in b[i..<(i + count)] {
        guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
        n = n * 10 + Int64(c - UInt8(ascii: "0"))
      }
      i += count
      return n
    }
    func skip(_ separators: String) -> Bool {
      guard i < b.count, separators.utf8.contains(b[i]) else { return false }
      i += 1
      return true
    }
    guard let year = number(4), skip("-"), let month = number(2), skip("-"),
      let day = number(2), skip("Tt"), let hour = number(2), skip(":"),
      let minute = number(2), skip(":"), let second = number(2)
    else { return nil }
    guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
      hour < 24, minute < 60, second < 60
    else { return nil }
    var nanos: Int64 = 0
    if skip(".") {
      var count = 0
      while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
        guard count < 9 else { return nil }
        nanos = nanos * 10 + Int64(b[i] - UInt8(ascii: "0"))
        count += 1
        i += 1
      }
      guard count > 0 else { return nil }
      for _ in count..<9 { nanos *= 10 }
    }
    var offset: Int64 = 0
    if skip("Zz") {
    } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
      let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
      i += 1
      guard let h = number(2), skip(":"), let m = number(2), h < 24, m < 60 else { return nil }
      offset = sign * (h * 3600 + m * 60)
    } else {
      return nil
    }
    guard i == b.count else { return nil }
    let seconds =
      days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
      - offset
    guard timestampSeconds.contains(seconds) else { return nil }
    return (seconds, Int32(nanos))
  }

  /// Writes a Timestamp as its RFC 3339 string (generated `encodeProtoJSON(to:)`).
  public static func encodeTimestamp(seconds: Int64, nanos: Int32, to encoder: any Encoder)
    throws
  {
    guard let text = timestampString(seconds: seconds, nanos: nanos) else {
      throw EncodingError.invalidValue(
        (seconds, nanos),
        EncodingError.Context(
          codingPath: encoder.codingPath,
          debugDescription:
            "google.protobuf.Timestamp(seconds: \(seconds), nanos: \(nanos)) is outside 0001-01-01T00:00:00Z...9999-12-31T23:59:59.999999999Z"
        ))
    }
    var c = encoder.singleValueContainer()
    try c.encode(text)
  }

  /// Reads a Timestamp from its RFC 3339 string (generated `decodeProtoJSON(from:)`).
  public static func decodeTimestamp(from decoder: any Decoder) throws -> (
    seconds: Int64, nanos: Int32
  ) {
    guard let text = try? decoder.singleValueContainer().decode(String.self) else {
      throw ProtoJSONValueError.mismatch("an RFC 3339 time string", decoder)
    }
    guard let time = timestamp(parsing: text) else {
      throw ProtoJSONValueError.invalid(
        "\(quoted(text)) is not an RFC 3339 time like \"2017-08-01T00:00:00Z\" between years 1 and 9999"
      )
    }
    return time
  }

  // MARK: Calendar (Howard Hinnant's days_from_civil and civil_from_days)

  private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  private static func civil(fromDays z: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = z + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  private static func digits(_ n: Int64, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }
}
