import TongxinRPC
import TongxinWire
import ZeroMQ

/// A call the gateway has received and not yet answered.
/// Broker loop thread only (exclusivity is not checked at run time, see PollLoop).
final class PendingCall {
  /// The gateway's own id for the call, sent to the instance instead of the caller's.
  let id: UInt64
  /// The caller's routing id on the frontend.
  let client: [UInt8]
  /// The caller's calls in flight, this one among them.
  let clientCalls: ClientCalls
  /// Its service's routing state, looked up once (services are never removed).
  let state: ServiceState
  /// The caller's header, decoded: the caller's call id, the service and method.
  let header: Tongxin_Rpc_RequestHeader
  /// The same header as the caller encoded it, forwarded with the gateway's fields appended.
  let headerBytes: ArraySlice<UInt8>
  let caller: Caller
  let payload: [UInt8]
  let receivedAt: ContinuousClock.Instant
  let deadline: ContinuousClock.Instant
  /// Reads and writes with an idempotency key may run again on another instance.
  let safeToRetry: Bool
  /// Whether its service's description listed its method when it came: not so for calls
  /// taken in the start-up grace, before their service registered.
  let listed: Bool
  @exclusivity(unchecked) var timer: TimerID?
  /// The instance working on it (its backend routing id), nil while queued.
  @exclusivity(unchecked) var instance: [UInt8]?
  @exclusivity(unchecked) var queuedAt: ContinuousClock.Instant?
  @exclusivity(unchecked) var attempts = 0

  init(
    id: UInt64, client: [UInt8], clientCalls: ClientCalls, state: ServiceState,
    header: Tongxin_Rpc_RequestHeader, headerBytes: ArraySlice<UInt8>, caller: Caller,
    payload: [UInt8], receivedAt: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
    readOnly: Bool?
  ) {
    self.id = id
    self.client = client
    self.clientCalls = clientCalls
    self.state = state
    self.header = header
    self.headerBytes = headerBytes
    self.caller = caller
    self.payload = payload
    self.receivedAt = receivedAt
    self.deadline = deadline
    safeToRetry = readOnly == true || !header.idempotencyKey.isEmpty
    listed = readOnly != nil
  }
}

/// A call given to an instance in this turn of the loop, not sent yet. It is stale once the
/// call has been given again, which counts `attempts` up.
struct UnsentRequest {
  let callID: UInt64
  let attempt: Int
}

/// One caller connection's calls in flight at the gateway, by the caller's call id: for
/// cancellation, for refusing a call id twice and for `maxCallsPerClient`. Looked up once per
/// request and held by each of its calls, so that ending a call hashes a routing id only when
/// it was its caller's last.
final class ClientCalls {
  /// Caller's call id → gateway call id.
  @exclusivity(unchecked) var byCallerID: [UInt64: UInt64] = [:]
}
