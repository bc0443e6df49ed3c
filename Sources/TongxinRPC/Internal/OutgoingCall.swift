import Synchronization

/// One call of an ``RPCClient``, handed from the calling task to the client's loop thread.
final class OutgoingCall: @unchecked Sendable {
  // Written by the calling task before it hands the call over; read only on the loop thread.
  let id: UInt64
  let header: [UInt8]
  let payload: [UInt8]
  let deadline: ContinuousClock.Instant
  var continuation: UnsafeContinuation<Result<[UInt8], RPCError>, Never>?
  /// Whether the request has left for the gateway (loop thread only).
  var sent = false
  /// Set by the task's cancellation handler, which may run before the loop sees the call.
  let cancelled = Atomic<Bool>(false)

  init(id: UInt64, header: [UInt8], payload: [UInt8], deadline: ContinuousClock.Instant) {
    self.id = id
    self.header = header
    self.payload = payload
    self.deadline = deadline
  }
}
