import Testing
import TongxinRPC

@testable import Events

@Suite("Recurrence rules")
struct RecurrenceRuleTests {
  /// Local (UTC+08:00) dates of the occurrences of `rule` starting at `first` 14:30 local.
  func dates(_ rule: String, first: LocalDate) throws -> [String] {
    let start = first.instant(at: 14 * 3600 + 1800)
    return try RecurrenceRule.parse(rule).occurrences(from: start).map {
      let (date, second) = LocalDate.local($0)
      #expect(second == 14 * 3600 + 1800, "every occurrence keeps the time of day")
      return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }
  }

  @Test("the second Thursday of each month")
  func secondThursday() throws {
    let result = try dates("FREQ=MONTHLY;BYDAY=2TH;COUNT=4", first: .init(year: 2027, month: 1, day: 14))
    #expect(result == ["2027-01-14", "2027-02-11", "2027-03-11", "2027-04-08"])
  }

  @Test("months without a fifth Friday are skipped, not moved")
  func fifthWeekday() throws {
    let result = try dates(
      "FREQ=MONTHLY;BYDAY=5FR;UNTIL=20270630", first: .init(year: 2027, month: 1, day: 29))
    #expect(result == ["2027-01-29", "2027-04-30"])
  }

  @Test("the 31st is skipped in shorter months and -1 is always the last day")
  func monthEnds() throws {
    #expect(
      try dates("FREQ=MONTHLY;COUNT=4", first: .init(year: 2027, month: 1, day: 31))
        == ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31"])
    #expect(
      try dates("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", first: .init(year: 2028, month: 1, day: 31))
        == ["2028-01-31", "2028-02-29", "2028-03-31"])
    #expect(
      try dates("FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2;COUNT=3", first: .init(year: 2027, month: 1, day: 29))
        == ["2027-01-29", "2027-03-26", "2027-05-28"])
  }

  @Test("weekly on several days every other week, until a date")
  func weekly() throws {
    #expect(
      try dates(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270131", first: .init(year: 2027, month: 1, day: 5))
        == ["2027-01-05", "2027-01-07", "2027-01-19", "2027-01-21"])
  }

  @Test(
    "rules outside the supported subset are refused naming rrule",
    arguments: [
      "", "FREQ=DAILY;COUNT=3", "FREQ=MONTHLY", "FREQ=MONTHLY;COUNT=3;UNTIL=20270101",
      "FREQ=MONTHLY;BYDAY=TH;COUNT=3", "FREQ=MONTHLY;BYDAY=6TH;COUNT=3", "FREQ=WEEKLY;BYDAY=2TH;COUNT=3",
      "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;COUNT=201", "FREQ=WEEKLY;BYSETPOS=1;COUNT=2",
      "FREQ=WEEKLY;UNTIL=2027-01-01", "FREQ=WEEKLY;INTERVAL=0;COUNT=2", "FREQ=WEEKLY;BYDAY=XX;COUNT=2",
      "FREQ=WEEKLY;UNTIL=20301231",
    ])
  func refused(rule: String) throws {
    let error = #expect(throws: RPCError.self) {
      _ = try RecurrenceRule.parse(rule).occurrences(from: Instant(seconds: 1_800_000_000))
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.details["field"] == "rrule")
  }
}
