import Synchronization
import Testing
import TongxinMessages
import TongxinRPC

/// Two attempts of one create (one idempotency key) at once: the gateway retried the call on
/// the other instance because the first looked dead (frozen, starved), and the first then
/// carried on.
@Suite("Two attempts of one create at once", .serialized)
struct ConcurrentAttemptTests {
  @Test("an attempt that fails after a retry created the event leaves that event and its room")
  func failedAttemptAfterAcknowledgedRetry() async throws {
    let cluster = try await EventsCluster(peerTimeout: .seconds(30))
    try await cluster.stopReception()
    let reception = StallingReception(cluster.reception)
    let receptionTask = EventsCluster.serve(reception, id: "reception-2", broker: cluster.broker)
    try await cluster.waitForServices(["reception": 1])
    let request = eventRequest(room: "tongxin")

    // The first attempt claims the key and asks reception for the room; the answer is slow.
    let first = Task {
      try await cluster.events[0].createEvent(request, context: Self.context(key: "create-1"))
    }
    await reception.firstReserveArrived()
    // The retry, on the other instance, carries on the same saga and is acknowledged.
    let retry = try await cluster.events[1].createEvent(
      request, context: Self.context(key: "create-1"))
    #expect(!retry.bookingID.isEmpty)
    // Then the first attempt learns that its reservation failed, and gives up.
    reception.failFirstReserve()
    let failure = await rpcError { _ = try await first.value }
    #expect(failure?.code == .unavailable)

    // What the retry acknowledged is still there, with its room.
    let stored = try await cluster.api.getEvent(.with { $0.id = retry.id })
    #expect(stored.bookingID == retry.bookingID)
    #expect(cluster.reception.active.map(\.id) == [retry.bookingID])
    receptionTask.cancel()
    await cluster.shutdown()
  }

  static func context(key: String) -> ServerContext {
    ServerContext(
      service: "events", method: "CreateEvent", idempotencyKey: key,
      deadline: .now + .seconds(60), instanceID: "test")
  }
}

/// Reception whose first reservation waits until the test fails it (UNAVAILABLE, as when
/// reception died before answering); every other call goes to `inner`.
final class StallingReception: Tongxin_Reception_Reception.ServiceProtocol {
  private let inner: TestReception
  private let state = Mutex<(first: Bool, arrived: Bool, release: CheckedContinuation<Void, Never>?,
    arrivalWaiters: [CheckedContinuation<Void, Never>], released: Bool)>(
      (true, false, nil, [], false))

  init(_ inner: TestReception) { self.inner = inner }

  func reserveRoom(_ request: Tongxin_Reception_ReserveRoomRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    let isFirst = state.withLock { state in
      defer { state.first = false }
      return state.first
    }
    guard isFirst else { return try await inner.reserveRoom(request, context: context) }
    await withCheckedContinuation { continuation in
      let (waiters, releasedAlready) = state.withLock { state in
        state.arrived = true
        state.release = continuation
        defer { state.arrivalWaiters = [] }
        return (state.arrivalWaiters, state.released)
      }
      for waiter in waiters { waiter.resume() }
      if releasedAlready { releaseFirst() }
    }
    throw RPCError(code: .unavailable, message: "reception went away before answering")
  }

  /// Returns once the first reservation has arrived and waits.
  func firstReserveArrived() async {
    await withCheckedContinuation { continuation in
      let arrived = state.withLock { state in
        if !state.arrived { state.arrivalWaiters.append(continuation) }
        return state.arrived
      }
      if arrived { continuation.resume() }
    }
  }

  /// Lets the first reservation fail.
  func failFirstReserve() {
    state.withLock { $0.released = true }
    releaseFirst()
  }

  private func releaseFirst() {
    let release = state.withLock { state in
      defer { state.release = nil }
      return state.release
    }
    release?.resume()
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
