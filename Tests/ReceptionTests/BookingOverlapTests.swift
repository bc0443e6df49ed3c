import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Bookings of one room never overlap")
struct BookingOverlapTests {
  @Test("back-to-back bookings of one room are fine")
  func backToBack() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve(from: 10, to: 11)
    let next = try await fixture.reserve(from: 11, to: 12)
    #expect(next.status == .booked)
  }

  @Test("an overlapping booking is refused, naming the booking in the way and its time")
  func overlapIsRefused() async throws {
    let fixture = try ReceptionFixture()
    let first = try await fixture.reserve(from: 10, to: 11)
    let error = await expectRefusal(.failedPrecondition, field: "start") {
      try await fixture.reserve(from: 10.5, to: 11.5)
    }
    #expect(error?.details["conflicting_booking_id"] == first.id)
    #expect(error?.message.contains(first.id) == true)
    #expect(error?.message.contains("2025-01-15T02:00:00Z") == true)
  }

  @Test("the same time in another room is fine")
  func otherRoom() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve("tongxin", from: 10, to: 11)
    try await fixture.reserve("ningxin", from: 10, to: 11)
  }

  @Test("a set-up buffer counts as taken time")
  func setupCounts() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve(from: 10, to: 11)
    await expectRefusal(.failedPrecondition) {
      try await fixture.reserve(from: 11, to: 12, setup: 15)
    }
    try await fixture.reserve(from: 11.25, to: 12, setup: 15)
  }

  @Test("a tear-down buffer counts as taken time")
  func teardownCounts() async throws {
    let fixture = try ReceptionFixture()
    try await fixture.reserve(from: 10, to: 11, teardown: 30)
    await expectRefusal(.failedPrecondition) { try await fixture.reserve(from: 11.25, to: 12) }
    try await fixture.reserve(from: 11.5, to: 12)
  }

  @Test("a cancelled booking frees its slot")
  func cancelledFrees() async throws {
    let fixture = try ReceptionFixture()
    let first = try await fixture.reserve(from: 10, to: 11)
    await expectRefusal(.failedPrecondition) { try await fixture.reserve(from: 10, to: 11) }
    let released = try await fixture.service.releaseBooking(
      .with {
        $0.id = first.id
        $0.version = first.version
        $0.reason = "plans changed"
      }, context: fixture.context())
    #expect(released.status == .cancelled)
    #expect(released.version == first.version + 1)
    let second = try await fixture.reserve(from: 10, to: 11)
    #expect(second.id != first.id)
    await expectRefusal(.failedPrecondition, field: "id") {
      _ = try await fixture.service.releaseBooking(
        .with {
          $0.id = first.id
          $0.version = released.version
        }, context: fixture.context())
    }
  }

  @Test("a booking moves within its own time but not onto another's, and keeps its buffers")
  func move() async throws {
    let fixture = try ReceptionFixture()
    let first = try await fixture.reserve(from: 10, to: 11, setup: 30)
    try await fixture.reserve(from: 12, to: 13)
    let moved = try await fixture.service.moveBooking(
      .with {
        $0.id = first.id
        $0.version = first.version
        $0.start = stamp(at(15, 10.5))
        $0.end = stamp(at(15, 11.5))
      }, context: fixture.context())
    #expect(moved.version == 2 && moved.setupMinutes == 30)
    await expectRefusal(.failedPrecondition) {
      _ = try await fixture.service.moveBooking(
        .with {
          $0.id = first.id
          $0.version = moved.version
          $0.start = stamp(at(15, 11.5))
          $0.end = stamp(at(15, 12.5))
        }, context: fixture.context())
    }
    let stale = await expectRefusal(.aborted, field: "version") {
      _ = try await fixture.service.moveBooking(
        .with {
          $0.id = first.id
          $0.version = first.version
          $0.start = stamp(at(15, 10))
          $0.end = stamp(at(15, 11))
        }, context: fixture.context())
    }
    #expect(stale?.details["current_version"] == "2")
  }

  @Test("reserving again with a hold key returns the same booking; other details are refused")
  func holdKey() async throws {
    let fixture = try ReceptionFixture()
    let first = try await fixture.reserve(from: 10, to: 11, holdKey: "event-7/room")
    let retry = try await fixture.reserve(from: 10, to: 11, holdKey: "event-7/room")
    #expect(retry == first)
    await expectRefusal(.alreadyExists, field: "hold_key") {
      try await fixture.reserve(from: 14, to: 15, holdKey: "event-7/room")
    }
    let listed = try await fixture.service.listBookings(.init(), context: fixture.context())
    #expect(listed.bookings.map(\.id) == [first.id])
  }

  @Test("a booking must lie within the room's bookable hours, buffers included")
  func bookableHours() async throws {
    let fixture = try ReceptionFixture()
    await expectRefusal(.invalidArgument, field: "start") {
      try await fixture.reserve(from: 7.5, to: 9)
    }
    await expectRefusal(.invalidArgument, field: "start") {
      try await fixture.reserve(from: 8, to: 9, setup: 15)
    }
    await expectRefusal(.invalidArgument, field: "end") {
      try await fixture.reserve(from: 21, to: 22, teardown: 10)
    }
    try await fixture.reserve(from: 8, to: 22)
  }
}
