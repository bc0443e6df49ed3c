import Foundation
import Testing
import TongxinDemo
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// The gateway's aggregates over the real services, as processes, with the demo data.
@Suite("Aggregates over the whole system", .serialized)
struct AggregateTests {
  static let services = ["membership": 1, "events": 1, "reception": 1]

  @Test("with every service up, the overview has every part and the document's figures")
  func overviewWithEverythingUp() async throws {
    try await LocalSystem.with(services: Self.services) { system in
      _ = try await DemoLoader.loadAll(through: system.client)
      let overview = try await Tongxin_Aggregates_Aggregates.Client(wrapping: system.client)
        .getBaseOverview(.init(), options: CallOptions(timeout: .seconds(10)))
      #expect(overview.missing.isEmpty, "\(overview.missing)")
      let members = Dictionary(
        uniqueKeysWithValues: overview.members?.associations.map {
          ($0.association?.code ?? "", $0.currentMembers)
        } ?? [])
      #expect(members["zhilianhui"] == 39)
      #expect(members["xinlianhui"] == 42)
      #expect(overview.profile?.rooms.count == 4)
      let allTime = try #require(overview.receptionAllTime?.total)
      #expect(allTime.delegations == 91)
      #expect(allTime.visitors >= 1000)
      #expect(allTime.seniorLed >= 50)
    }
  }

  @Test("with events stopped, the overview still answers in time and names the missing part")
  func overviewWithEventsStopped() async throws {
    try await LocalSystem.with(services: Self.services) { system in
      let events = try #require(system.instance("events-1"))
      _ = await events.stop()
      let started = ContinuousClock.now
      let overview = try await Tongxin_Aggregates_Aggregates.Client(wrapping: system.client)
        .getBaseOverview(.init(), options: CallOptions(timeout: .seconds(4)))
      #expect(ContinuousClock.now - started < .seconds(4))
      #expect(overview.missing.map(\.part) == ["upcoming_events"])
      #expect(overview.members != nil)
      #expect(overview.profile?.rooms.count == 4)
    }
  }

  @Test("loading the demo data twice changes nothing")
  func demoLoadTwice() async throws {
    try await LocalSystem.with(services: Self.services) { system in
      _ = try await DemoLoader.loadAll(through: system.client)
      let first = try await Self.counts(system.client)
      _ = try await DemoLoader.loadAll(through: system.client)
      #expect(try await Self.counts(system.client) == first)
      #expect(first.members == 81)
      #expect(first.delegations == 91)
    }
  }

  static func counts(_ client: RPCClient) async throws -> (members: Int32, delegations: UInt32) {
    let statistics = try await Tongxin_Membership_Membership.Client(wrapping: client)
      .getStatistics(.init())
    let zhilianhui = statistics.associations.first { $0.association?.code == "zhilianhui" }
    let xinlianhui = statistics.associations.first { $0.association?.code == "xinlianhui" }
    let reception = try await Tongxin_Reception_Reception.Client(wrapping: client)
      .getStatistics(.init())
    return (
      (zhilianhui?.currentMembers ?? 0) + (xinlianhui?.currentMembers ?? 0),
      reception.total?.delegations ?? 0
    )
  }
}
