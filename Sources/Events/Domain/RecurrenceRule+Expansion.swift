import TongxinRPC

extension RecurrenceRule {
  /// The start of every occurrence, the first being `first` itself, in order.
  ///
  /// Dates the rule names but the calendar lacks (a 5th Thursday, 31 April) are skipped, as
  /// RFC 5545 requires, rather than moved to another day. INVALID_ARGUMENT naming `field`
  /// when an UNTIL rule would make more than ``maxOccurrences``.
  func occurrences(from first: Instant, field: String = "rrule") throws -> [Instant] {
    let (firstDate, timeOfDay) = LocalDate.local(first)
    var result = [first]
    var period = 0
    // Enough periods for 200 occurrences even when most months lack the day asked for.
    let maxPeriods = 2_000
    periods: while period < maxPeriods {
      for date in dates(inPeriod: period, from: firstDate) where date > firstDate {
        let start = date.instant(at: timeOfDay)
        if let until, start > until { break periods }
        if let count, result.count >= count { break periods }
        guard start < Instant.latest else { break periods }
        result.append(start)
        if result.count > Self.maxOccurrences {
          throw FieldError.invalid(
            field, "makes more than \(Self.maxOccurrences) occurrences; end it sooner")
        }
      }
      period += interval
    }
    return result
  }

  /// The dates the rule names in the week or month `period` periods after the first one's.
  private func dates(inPeriod period: Int, from first: LocalDate) -> [LocalDate] {
    switch frequency {
    case .weekly:
      // Weeks start on Monday (RFC 5545's default WKST).
      let monday = first.dayNumber - Int64(first.weekday - 1) + Int64(period * 7)
      let days = byDay.isEmpty ? [first.weekday] : byDay.map(\.day)
      return days.sorted().map { LocalDate(dayNumber: monday + Int64($0 - 1)) }
    case .monthly:
      let (year, month) = first.addingMonths(period)
      let length = LocalDate.daysIn(year: year, month: month)
      var days: [Int]
      if !byDay.isEmpty {
        days = byDay.compactMap { Self.day(of: $0, year: year, month: month, length: length) }
      } else if !byMonthDay.isEmpty {
        days = byMonthDay.map { $0 == -1 ? length : $0 }.filter { $0 <= length }
      } else {
        days = first.day <= length ? [first.day] : []
      }
      return Set(days).sorted().map { LocalDate(year: year, month: month, day: $0) }
    }
  }

  /// The day of the month of an ordinal weekday (2TH, -1FR), or nil when the month has none.
  private static func day(of weekday: Weekday, year: Int, month: Int, length: Int) -> Int? {
    let firstWeekday = LocalDate(year: year, month: month, day: 1).weekday
    let firstMatch = 1 + (weekday.day - firstWeekday + 7) % 7
    guard let ordinal = weekday.ordinal else { return nil }
    if ordinal == -1 {
      return firstMatch + (length - firstMatch) / 7 * 7
    }
    let day = firstMatch + (ordinal - 1) * 7
    return day <= length ? day : nil
  }
}
