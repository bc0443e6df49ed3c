import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Listing bookings and delegations")
struct ListingTests {
  @Test("bookings by room, holder and window, a page at a time")
  func bookings() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    let a = try await fixture.reserve("tongxin", from: 9, to: 10)
    let b = try await fixture.reserve("tongxin", from: 11, to: 12, holder: .delegationID("d-01"))
    let c = try await fixture.reserve("ningxin", from: 13, to: 14)
    #expect(b.holder?.holder == .delegationID(delegation.id))

    let first = try await fixture.service.listBookings(
      .with { $0.pageSize = 2 }, context: fixture.context())
    #expect(first.bookings.map(\.id) == [a.id, b.id] && !first.nextPageToken.isEmpty)
    let second = try await fixture.service.listBookings(
      .with {
        $0.pageSize = 2
        $0.pageToken = first.nextPageToken
      }, context: fixture.context())
    #expect(second.bookings.map(\.id) == [c.id] && second.nextPageToken.isEmpty)

    let inRoom = try await fixture.service.listBookings(
      .with { $0.roomCode = "ningxin" }, context: fixture.context())
    #expect(inRoom.bookings.map(\.id) == [c.id])
    let held = try await fixture.service.listBookings(
      .with { $0.holder = .with { $0.holder = .delegationID(delegation.id) } },
      context: fixture.context())
    #expect(held.bookings.map(\.id) == [b.id])
    // Half-open: a window ending when a booking starts does not include it.
    let window = try await fixture.service.listBookings(
      .with {
        $0.start = stamp(at(15, 9.5))
        $0.end = stamp(at(15, 11))
      }, context: fixture.context())
    #expect(window.bookings.map(\.id) == [a.id])
  }

  @Test("delegations by start and status")
  func delegations() async throws {
    let fixture = try ReceptionFixture()
    let early = try await fixture.createDelegation(start: at(14, 9), end: at(14, 10))
    let late = try await fixture.createDelegation(start: at(16, 9), end: at(16, 10))
    _ = try await fixture.setStatus(late, .confirmed)
    let confirmed = try await fixture.service.listDelegations(
      .with { $0.statuses = [.confirmed] }, context: fixture.context())
    #expect(confirmed.delegations.map(\.id) == [late.id])
    let before = try await fixture.service.listDelegations(
      .with { $0.end = stamp(at(15, 0)) }, context: fixture.context())
    #expect(before.delegations.map(\.id) == [early.id])
  }
}
