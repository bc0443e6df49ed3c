import GRDB
import Synchronization
import Testing
import TongxinMessages
import TongxinRPC

/// A reservation whose answer was lost lands after its creation was given up.
@Suite("A reservation that lands too late", .serialized)
struct LateReservationTests {
  @Test("a booking held for an event that no longer exists is released by reconciliation")
  func orphanBookingIsReleased() async throws {
    let cluster = try await EventsCluster()
    try await cluster.stopReception()
    let reception = LateReception(cluster.reception)
    let receptionTask = EventsCluster.serve(reception, id: "reception-2", broker: cluster.broker)
    try await cluster.waitForServices(["reception": 1])
    let api = cluster.api
    let request = eventRequest(room: "tongxin")
    let options = CallOptions(idempotencyKey: "late-1")

    // Reception does not answer the reservation: the creation is given up and deleted.
    let failed = await rpcError { _ = try await api.createEvent(request, options: options) }
    #expect(failed?.code == .unavailable)
    let events = try await cluster.database.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events")
    }
    #expect(events == 0)

    // Then the reservation is made after all (a frozen reception instance woke up), for an
    // event that is gone: the room is taken, the caller's retry is refused.
    try await reception.landLateReservation()
    #expect(cluster.reception.active.count == 1)
    let refused = await rpcError { _ = try await api.createEvent(request, options: options) }
    #expect(refused?.code == .failedPrecondition)

    // One round of reconciliation frees the room; a booking of a live event stays.
    await cluster.events[0].reconcileRooms()
    #expect(cluster.reception.active.isEmpty)
    let created = try await api.createEvent(request, options: options)
    await cluster.events[1].reconcileRooms()
    #expect(cluster.reception.active.map(\.id) == [created.bookingID])
    receptionTask.cancel()
    await cluster.shutdown()
  }
}

/// Reception that answers the first reservation UNAVAILABLE without making it, and makes it
/// when the test says so; everything else goes to `inner`.
final class LateReception: Tongxin_Reception_Reception.ServiceProtocol {
  private let inner: TestReception
  private let first = Mutex<(seen: Bool, request: Tongxin_Reception_ReserveRoomRequest?)>(
    (false, nil))

  init(_ inner: TestReception) { self.inner = inner }

  func reserveRoom(_ request: Tongxin_Reception_ReserveRoomRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    let isFirst = first.withLock { first in
      defer { first.seen = true }
      if !first.seen { first.request = request }
      return !first.seen
    }
    guard isFirst else { return try await inner.reserveRoom(request, context: context) }
    throw RPCError(code: .unavailable, message: "reception went away before answering")
  }

  /// Makes the reservation that was answered UNAVAILABLE.
  func landLateReservation() async throws {
    guard let request = first.withLock({ $0.request }) else { return }
    let context = ServerContext(
      service: "reception", method: "ReserveRoom", deadline: .now + .seconds(10),
      instanceID: "reception-late")
    _ = try await inner.reserveRoom(request, context: context)
  }

  func releaseBooking(_ request: Tongxin_Reception_ReleaseBookingRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    try await inner.releaseBooking(request, context: context)
  }

  func listBookings(_ request: Tongxin_Reception_ListBookingsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_ListBookingsResponse
  {
    try await inner.listBookings(request, context: context)
  }
}
