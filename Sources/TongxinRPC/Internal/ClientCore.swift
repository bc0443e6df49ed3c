import Logging
import TongxinProtobuf
import TongxinWire
import ZeroMQ

/// The state of an ``RPCClient`` that lives on its loop thread: the socket and calls in flight.
final class ClientCore: @unchecked Sendable {
  // Confined to the loop thread: every method runs there (so exclusivity is not checked at
  // run time, see PollLoop).
  private struct Pending {
    var call: OutgoingCall
    var timer: TimerID
  }

  private let socket: Socket
  private let loop: PollLoop
  private let logger: Logger
  private let maxOutstanding: Int
  @exclusivity(unchecked) private var pending: [UInt64: Pending] = [:]
  /// Calls started in this turn of the loop, sent together at its end (Outbox says why).
  @exclusivity(unchecked) private var unsent: [OutgoingCall] = []
  @exclusivity(unchecked) private var closed = false
  private var handshakes: HandshakeWatch?

  init(
    configuration: RPCClient.Configuration, context: ZMQContext, loop: PollLoop, logger: Logger
  ) throws {
    socket = try Socket(context: context, type: .dealer)
    try socket.setSendHighWaterMark(100_000)
    try socket.setReceiveHighWaterMark(100_000)
    try socket.setReconnectInterval(.milliseconds(100))
    try socket.setReconnectIntervalMax(.seconds(5))
    try configuration.security?.apply(to: socket)
    try socket.connect(configuration.endpoint)
    self.loop = loop
    self.logger = logger
    self.maxOutstanding = configuration.maxOutstandingCalls
    loop.register(socket) { [unowned self] in self.receiveAll() }
    if configuration.security != nil {
      handshakes = try HandshakeWatch(socket, context: context, loop: loop, logger: logger) {
        [unowned self] refusal in self.failAll(refusal)
      }
    }
  }

  /// Ends every call in flight with `error`: the gateway will not answer them.
  private func failAll(_ error: RPCError) {
    for id in Array(pending.keys) {
      if let call = take(id) { finish(call, .failure(error)) }
    }
  }

  /// Forgets call `id` and its deadline timer; nil if it has ended already.
  private func take(_ id: UInt64) -> OutgoingCall? {
    guard let entry = pending.removeValue(forKey: id) else { return nil }
    loop.cancel(entry.timer)
    return entry.call
  }

  func start(_ call: OutgoingCall) {
    guard !call.cancelled.load(ordering: .acquiring) else {
      return finish(call, .failure(RPCError(code: .cancelled, message: "call cancelled")))
    }
    guard !closed else {
      return finish(call, .failure(.clientClosed))
    }
    if let refusal = handshakes?.refusal {
      return finish(call, .failure(refusal))
    }
    guard pending.count < maxOutstanding else {
      return finish(
        call,
        .failure(
          RPCError(
            code: .resourceExhausted,
            message: "\(maxOutstanding) calls already in flight on this client")))
    }
    let timer = loop.schedule(after: ContinuousClock.now.duration(to: call.deadline)) {
      [unowned self] in self.expire(call.id)
    }
    pending[call.id] = Pending(call: call, timer: timer)
    unsent.append(call)
    // Weak: a client closed and released in this turn is gone when the turn ends.
    if unsent.count == 1 { loop.atEndOfTurn { [weak self] in self?.sendUnsent() } }
  }

  /// Sends the calls started in this turn that are still waiting for an answer.
  private func sendUnsent() {
    for call in unsent {
      guard call.continuation != nil else { continue }  // ended before it left
      do {
        try WireProtocol.send(
          .request, call.header, payload: call.payload, on: socket, dontWait: true)
        call.sent = true
      } catch {
        // A DEALER refuses a message when its queue is full, and also when it has no
        // connection at all: libzmq gives up on a connection whose handshake failed (a
        // plaintext client facing a CURVE gateway, say) and does not reconnect.
        let reason =
          error.wouldBlock
          ? "no connection to the gateway can take the call (its handshake failed, or the "
            + "send queue to it is full)" : "\(error)"
        if take(call.id) != nil {
          finish(call, .failure(RPCError(code: .unavailable, message: reason)))
        }
      }
    }
    unsent.removeAll(keepingCapacity: true)
  }

  func cancel(_ id: UInt64) {
    guard let call = take(id) else { return }
    sendCancel(call)
    finish(call, .failure(RPCError(code: .cancelled, message: "call cancelled")))
  }

  func close() {
    closed = true
    let cancelling = !pending.isEmpty
    for id in Array(pending.keys) {
      guard let call = take(id) else { continue }
      // The gateway cannot see a caller leave: without this its calls would hold their
      // queue places and instance slots until they end by themselves.
      sendCancel(call)
      finish(call, .failure(.clientClosed))
    }
    loop.unregister(socket)
    handshakes?.close()
    // Long enough for those cancels to leave, short enough never to hold up an exit.
    if cancelling { try? socket.setLinger(.milliseconds(500)) }
    socket.close()
  }

  private func expire(_ id: UInt64) {
    // Not `take`: its timer is the one running.
    guard let entry = pending.removeValue(forKey: id) else { return }
    sendCancel(entry.call)
    let message = "deadline exceeded waiting for the gateway"
    finish(entry.call, .failure(RPCError(code: .deadlineExceeded, message: message)))
  }

  /// Tells the gateway that nobody waits for `call` any more, if it has it: a call still held
  /// in this turn is not sent at all.
  private func sendCancel(_ call: OutgoingCall) {
    guard call.sent else { return }
    var cancel = Tongxin_Rpc_Cancel()
    cancel.callID = call.id
    try? socket.send(WireProtocol.frames(.cancel, cancel.serializedBytes()), dontWait: true)
  }

  private func finish(_ call: OutgoingCall, _ result: Result<[UInt8], RPCError>) {
    call.continuation?.resume(returning: result)
    call.continuation = nil
  }

  private func receiveAll() {
    while !closed {
      let frames: [[UInt8]]?
      do {
        frames = try socket.receive(dontWait: true)
      } catch {
        logger.warning("receiving from the gateway failed: \(error)")
        return
      }
      guard let frames else { return }
      handle(frames)
    }
  }

  private func handle(_ frames: [[UInt8]]) {
    let header: Tongxin_Rpc_ResponseHeader
    let payload: [UInt8]
    do {
      let message = try WireMessage(frames: frames[...])
      guard message.command == .response else {
        logger.warning("dropped a \(message.command) message from the gateway")
        return
      }
      header = try Tongxin_Rpc_ResponseHeader(serializedBytes: message.body)
      payload = message.payload
    } catch {
      logger.warning("dropped a message from the gateway: \(error)")
      return
    }
    guard let call = take(header.callID) else {
      if header.callID == 0 {
        logger.error("the gateway refused a message: \(RPCError(header))")
      }
      return  // answered after it was cancelled or expired
    }
    finish(call, header.code == .ok ? .success(payload) : .failure(RPCError(header)))
  }
}
