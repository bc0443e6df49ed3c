import GRDB
import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Statistics, and the purge of personal data")
struct StatisticsAndPurgeTests {
  /// Four received delegations and one cancelled, over 2022 and 2023 (local time).
  static func history(_ fixture: ReceptionFixture) async throws {
    let visits: [(start: Int64, senior: Bool, body: String, visitors: Int)] = [
      (local(2022, 11, 3, 10), true, "广州市委统战部", 10),
      (local(2023, 6, 30, 23, 30), false, "杭州市委统战部", 7),  // still June locally
      (local(2023, 7, 1, 0, 30), true, "广州市委统战部", 5),  // July locally, June in UTC
      (local(2023, 7, 20, 9), false, "成都市委统战部", 3),
    ]
    for visit in visits {
      var delegation = try await fixture.createDelegation(
        headCount: 20, senior: visit.senior, body: visit.body, start: visit.start,
        end: visit.start + 3600)
      try await fixture.addVisitors(delegation, count: visit.visitors)
      delegation = try await fixture.setStatus(delegation, .confirmed)
      delegation = try await fixture.setStatus(delegation, .checkedIn)
      _ = try await fixture.setStatus(delegation, .completed)
    }
    let cancelled = try await fixture.createDelegation(
      start: local(2023, 8, 1, 9), end: local(2023, 8, 1, 10))
    try await fixture.addVisitors(cancelled, count: 4)
    _ = try await fixture.setStatus(cancelled, .cancelled, reason: "postponed")
  }

  @Test("received delegations, visitors and senior-led ones, by year, month and body")
  func statistics() async throws {
    let fixture = try ReceptionFixture()
    try await Self.history(fixture)
    let all = try await fixture.service.getStatistics(.init(), context: fixture.context())
    #expect(
      all.total
        == .with {
          $0.delegations = 4
          $0.visitors = 25
          $0.seniorLed = 2
        })
    #expect(all.byYear.map(\.key) == ["2022", "2023"])
    #expect(all.byMonth.map(\.key) == ["2022-11", "2023-06", "2023-07"])
    #expect(all.byMonth.map(\.delegations) == [1, 1, 2])
    #expect(
      all.byVisitingBody.first
        == .with {
          $0.key = "广州市委统战部"
          $0.delegations = 2
          $0.visitors = 15
          $0.seniorLed = 2
        })
    let firstHalf = try await fixture.service.getStatistics(
      .with {
        $0.start = stamp(local(2023, 1, 1, 0))
        $0.end = stamp(local(2023, 7, 1, 0))
      }, context: fixture.context())
    #expect(firstHalf.total?.delegations == 1 && firstHalf.total?.visitors == 7)
  }

  @Test("the purge clears phone and ID numbers after the retention period; figures stay")
  func purge() async throws {
    let fixture = try ReceptionFixture()
    try await Self.history(fixture)
    let before = try await fixture.service.getStatistics(.init(), context: fixture.context())
    // Now is 2025-01-10: the 2022 visit ended more than 2 years ago, the others less.
    #expect(try await fixture.purge(retentionDays: 730).purgeDue() == 10)
    #expect(try await fixture.purge(retentionDays: 730).purgeDue() == 0)
    struct Personal: Sendable {
      var start: Int64
      var name: String
      var phone: String
      var idNumber: String
      var purgedAt: Int64?
    }
    let personal = try await fixture.database.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.start_at, v.name, v.phone, v.id_number, v.personal_data_purged_at
          FROM visitors v JOIN delegations d ON d.id = v.delegation_id
          """
      ).map {
        Personal(
          start: $0["start_at"], name: $0["name"], phone: $0["phone"], idNumber: $0["id_number"],
          purgedAt: $0["personal_data_purged_at"])
      }
    }
    #expect(personal.count == 29)
    for visitor in personal {
      let purged = visitor.start < local(2023, 1, 1, 0)
      #expect(visitor.phone.isEmpty == purged)
      #expect(visitor.idNumber.isEmpty == purged)
      #expect(visitor.purgedAt == (purged ? fixture.clock.now : nil))
      #expect(!visitor.name.isEmpty)
    }
    fixture.clock.advance(days: 800)
    #expect(try await fixture.purge(retentionDays: 730).purgeDue() == 19)
    let after = try await fixture.service.getStatistics(.init(), context: fixture.context())
    #expect(after == before)
    let listed = try await fixture.service.listDelegations(.init(), context: fixture.context())
    let visitors = try await fixture.service.listVisitors(
      .with { $0.delegationID = listed.delegations[0].id }, context: fixture.context())
    #expect(visitors.visitors.allSatisfy { $0.phone.isEmpty && $0.personalDataPurgedAt != nil })
  }

  @Test("the scheduled purge runs on its own and stops when cancelled")
  func scheduledPurge() async throws {
    let fixture = try ReceptionFixture()
    try await Self.history(fixture)
    var purge = fixture.purge(retentionDays: 0)
    purge.interval = .milliseconds(20)
    let job = Task { await purge.run() }
    let deadline = ContinuousClock.now + .seconds(5)
    var remaining = 1
    while remaining > 0, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
      remaining = try await fixture.database.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM visitors WHERE phone != ''") ?? 0
      }
    }
    job.cancel()
    await job.value
    #expect(remaining == 0)
  }
}
