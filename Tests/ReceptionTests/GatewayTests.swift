import Foundation
import Testing
import TongxinMessages
import TongxinRPC
@testable import TongxinDemo
import TongxinTesting

@testable import Reception

@Suite("The reception service through a real gateway", .serialized)
struct GatewayTests {
  @Test("two reception processes behind tongxin-gateway: demo figures, rooms, honours, refusals")
  func throughTheGateway() async throws {
    let system = try await LocalSystem.start(services: ["reception": 2])
    do {
      try await Self.check(system)
    } catch {
      await system.stop()
      throw error
    }
    await system.stop()
  }

  static func check(_ system: LocalSystem) async throws {
    let reception = Tongxin_Reception_Reception.Client(wrapping: system.client)
    // The demo loaded twice: the second load is answered from the first and changes nothing.
    let first = try await ReceptionDemo().load(through: system.client)
    let second = try await ReceptionDemo().load(through: system.client)
    #expect(first == second)
    let statistics = try await reception.getStatistics(
      .with {
        $0.start = stamp(local(2017, 8, 1, 0))
        $0.end = stamp(local(2023, 7, 1, 0))
      })
    let total = try #require(statistics.total)
    // The document's figures: 91 delegations, "about a thousand" visitors, 50+ senior-led.
    #expect(total.delegations == 91)
    #expect(total.visitors >= 1000 && total.visitors == UInt32(ReceptionDemoData.visitorCount))
    #expect(total.seniorLed >= 50 && total.seniorLed == UInt32(ReceptionDemoData.seniorLedCount))
    #expect(first.hasPrefix("91 delegations"))
    #expect(statistics.byYear.first?.key == "2017" && statistics.byYear.last?.key == "2023")
    let delegations = try await reception.listDelegations(.with { $0.pageSize = 1000 })
    #expect(delegations.delegations.count == 91)
    #expect(
      delegations.delegations.allSatisfy { $0.status == .completed && $0.bookings.count == 2 })

    let profile = try await reception.getBaseProfile(.init())
    #expect(profile.areaSquareMetres == 1600 && profile.rooms.count == 4)
    #expect(profile.honours.first?.year == 2016 && profile.honours.count == 6)
    let rooms = try await reception.listRooms(.init())
    #expect(rooms.rooms.map(\.code) == ["tongxin", "tongzhan", "dangqun", "ningxin"])

    var request = Tongxin_Reception_ReserveRoomRequest.with {
      $0.roomCode = "ningxin"
      $0.start = stamp(local(2030, 3, 1, 14))
      $0.end = stamp(local(2030, 3, 1, 16))
      $0.holder = .with { $0.holder = .eventID("evt-forum") }
      $0.holdKey = "gateway-test-1"
    }
    let booking = try await reception.reserveRoom(request)
    request.holdKey = "gateway-test-2"
    request.start = stamp(local(2030, 3, 1, 15))
    let error = await expectRefusal(.failedPrecondition, field: "start") {
      _ = try await reception.reserveRoom(request)
    }
    #expect(error?.message.contains(booking.id) == true)
    #expect(error?.message.contains("2030-03-01T06:00:00Z") == true)
  }
}
