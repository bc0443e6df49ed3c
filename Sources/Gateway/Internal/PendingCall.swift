import TongxinRPC
import TongxinWire
import ZeroMQ

/// A call the gateway has received and not yet answered.
final class PendingCall {
  /// The gateway's own id for the call, sent to the instance instead of the caller's.
  let id: UInt64
  /// The caller's routing id on the frontend.
  let client: [UInt8]
  /// Its service's routing state, looked up once (services are never removed).
  let state: ServiceState
  /// The caller's header, decoded: the caller's call id, the service and method.
  let header: Tongxin_Rpc_RequestHeader
  /// The same header as the caller encoded it, forwarded with the gateway's fields appended.
  let headerBytes: [UInt8]
  let caller: Caller
  let payload: [UInt8]
  let receivedAt: ContinuousClock.Instant
  let deadline: ContinuousClock.Instant
  /// Reads and writes with an idempotency key may run again on another instance.
  let safeToRetry: Bool
  var timer: TimerID?
  /// The instance working on it (its backend routing id), nil while queued.
  var instance: [UInt8]?
  var queuedAt: ContinuousClock.Instant?
  var attempts = 0

  init(
    id: UInt64, client: [UInt8], state: ServiceState, header: Tongxin_Rpc_RequestHeader,
    headerBytes: [UInt8], caller: Caller, payload: [UInt8],
    receivedAt: ContinuousClock.Instant, deadline: ContinuousClock.Instant, safeToRetry: Bool
  ) {
    self.id = id
    self.client = client
    self.state = state
    self.header = header
    self.headerBytes = headerBytes
    self.caller = caller
    self.payload = payload
    self.receivedAt = receivedAt
    self.deadline = deadline
    self.safeToRetry = safeToRetry
  }

  var clientKey: ClientCallKey { ClientCallKey(client: client, callID: header.callID) }
}

/// A call as its caller knows it: for cancellation from the caller.
struct ClientCallKey: Hashable {
  var client: [UInt8]
  var callID: UInt64
}
