/// The base's calendar: China Standard Time, UTC+08:00 all year (China has kept no daylight
/// saving since 1991), so local days and months are plain arithmetic on UTC seconds.
enum BaseCalendar {
  static let utcOffset: Int64 = 8 * 3600
  static let secondsPerDay: Int64 = 86_400

  /// The local day number (days since 1970-01-01 in UTC+08:00) of an instant.
  static func day(of instant: Int64) -> Int64 {
    floorDivide(instant + utcOffset, secondsPerDay)
  }

  /// The instant local midnight begins `day`.
  static func midnight(ofDay day: Int64) -> Int64 {
    day * secondsPerDay - utcOffset
  }

  /// Local year and month of an instant.
  static func yearMonth(of instant: Int64) -> (year: Int64, month: Int64) {
    let date = civil(fromDays: day(of: instant))
    return (date.year, date.month)
  }

  /// The instant of a local date and time, for seeds, demos and tests.
  static func instant(
    year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0
  ) -> Int64 {
    midnight(ofDay: days(fromYear: year, month: month, day: day)) + hour * 3600 + minute * 60
  }

  private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
  }

  // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
  static func civil(fromDays z: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = z + 719_468
    let era = floorDivide(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
