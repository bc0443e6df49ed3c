import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Free slots of the rooms")
struct AvailabilityTests {
  /// Slots as (start, end) local hours of 2025-01-15 and later days.
  static func hours(_ slots: [Tongxin_Reception_Slot]) -> [[Double]] {
    slots.map { slot in
      [slot.start!.seconds, slot.end!.seconds].map { Double($0 - at(15, 0)) / 3600 }
    }
  }

  @Test("free time is open time minus bookings and their buffers, per room")
  func freeSlots() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve("tongxin", from: 10, to: 11, setup: 30, teardown: 15)
    try await fixture.reserve("ningxin", from: 14, to: 15)
    let cancelled = try await fixture.reserve("ningxin", from: 16, to: 17)
    _ = try await fixture.service.releaseBooking(
      .with {
        $0.id = cancelled.id
        $0.version = 1
      }, context: fixture.context())
    let day = try await fixture.service.getAvailability(
      .with {
        $0.start = stamp(at(15, 0))
        $0.end = stamp(at(16, 0))
      }, context: fixture.context())
    #expect(day.rooms.map(\.roomCode) == ["tongxin", "tongzhan", "dangqun", "ningxin"])
    #expect(Self.hours(day.rooms[0].free) == [[8, 9.5], [11.25, 22]])
    #expect(Self.hours(day.rooms[1].free) == [[8, 22]])
    #expect(Self.hours(day.rooms[3].free) == [[8, 14], [15, 22]])

    let long = try await fixture.service.getAvailability(
      .with {
        $0.roomCode = "tongxin"
        $0.start = stamp(at(15, 9))
        $0.end = stamp(at(16, 12))
        $0.minMinutes = 120
      }, context: fixture.context())
    #expect(long.rooms.count == 1)
    #expect(Self.hours(long.rooms[0].free) == [[11.25, 22], [32, 36]])
  }

  @Test("a slot that GetAvailability reports can be booked exactly")
  func reportedSlotsAreBookable() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve("dangqun", from: 9, to: 12, teardown: 20)
    let free = try await fixture.service.getAvailability(
      .with {
        $0.roomCode = "dangqun"
        $0.start = stamp(at(15, 0))
        $0.end = stamp(at(16, 0))
      }, context: fixture.context()
    ).rooms[0].free
    #expect(free.count == 2)
    for slot in free {
      _ = try await fixture.service.reserveRoom(
        .with {
          $0.roomCode = "dangqun"
          $0.start = slot.start
          $0.end = slot.end
          $0.holder = .with { $0.holder = .eventID("event-2") }
          $0.holdKey = "slot-\(slot.start!.seconds)"
        }, context: fixture.context())
    }
  }
}
