import FoundationEssentials
import Glibc
import Logging
import TongxinProtobuf
import TongxinRPC
import TongxinWire
import ZeroMQ

/// The gateway's routing state and both sockets, confined to the broker's loop thread.
final class BrokerCore: @unchecked Sendable {
  // Confined to the loop thread: every method runs there (so exclusivity is not checked at
  // run time, see PollLoop).
  let configuration: Broker.Configuration
  let frontend: Socket
  /// Every response to a caller, sent at the end of the loop's turn (Outbox says why).
  let responses: Outbox
  let backend: Socket
  /// Answers libzmq's authentication requests; nil in plaintext.
  let zap: Socket?
  var security: GatewaySecurity? {
    didSet { callers = security?.callers() ?? [:] }
  }
  /// The admitted callers by public key, from `security`.
  var callers: [String: Caller] = [:]
  let frontendEndpoint: String
  let backendEndpoint: String
  /// In-process endpoints beside the TCP ones, for callers and instances living in the
  /// gateway process itself (the aggregates); unique per broker.
  let inprocFrontend: String
  let inprocBackend: String
  let loop: PollLoop
  let logger: Logger
  let startedAt = ContinuousClock.now

  @exclusivity(unchecked) var services: [String: ServiceState] = [:]
  @exclusivity(unchecked) var instances: [[UInt8]: InstanceRecord] = [:]
  @exclusivity(unchecked) var pending: [UInt64: PendingCall] = [:]
  /// Calls pending per caller connection (routing id); no entry without calls.
  @exclusivity(unchecked) var clients: [[UInt8]: ClientCalls] = [:]
  @exclusivity(unchecked) var statistics: [MethodKey: MethodStatistics] = [:]
  /// Calls given to instances this turn, not sent yet: see `send(_:to:)`.
  @exclusivity(unchecked) private var unsentRequests: [UnsentRequest] = []
  @exclusivity(unchecked) private var nextCallID: UInt64
  private var tickTimer: TimerID?
  private var stopped: CheckedContinuation<Void, Never>?
  /// `stop()` came before `start`, as a SIGTERM during start-up can.
  private var stopRequested = false

  init(
    configuration: Broker.Configuration, context: ZMQContext, loop: PollLoop, logger: Logger
  ) throws {
    self.configuration = configuration
    nextCallID = max(1, configuration.firstCallID)
    self.loop = loop
    self.logger = logger
    let frontend = try Self.makeRouter(context, configuration)
    // Requests libzmq holds per caller connection until the router reads them (up to about
    // 1.5 times this). Past it, libzmq stops reading that connection: a caller sending faster
    // than the router can even refuse fills its own send queue, not the gateway's memory.
    // With 100 000, four callers flooding 16 KiB calls grew the gateway by 300 MB (1 000: by
    // 140 MB); 256 keeps that under 50 MB and costs nothing, the router reading at most 256
    // at a time anyway (OverloadTests).
    try frontend.setReceiveHighWaterMark(Self.frontendReceiveBuffer)
    let backend = try Self.makeRouter(context, configuration)
    self.frontend = frontend
    responses = Outbox(socket: frontend, loop: loop) { [logger] _, error in
      // The caller disconnected: nobody is left to tell.
      logger.debug("caller gone, response dropped", metadata: ["error": "\(error)"])
    }
    self.backend = backend
    security = configuration.security
    callers = configuration.security?.callers() ?? [:]
    zap = try configuration.security.map {
      try Self.secure(frontend: frontend, backend: backend, with: $0, context: context)
    }
    try frontend.bind(configuration.frontendEndpoint)
    try backend.bind(configuration.backendEndpoint)
    frontendEndpoint = try frontend.lastEndpoint
    backendEndpoint = try backend.lastEndpoint
    let unique = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    inprocFrontend = "inproc://tongxin-frontend-\(unique)"
    inprocBackend = "inproc://tongxin-backend-\(unique)"
    try frontend.bind(inprocFrontend)
    try backend.bind(inprocBackend)
  }

  static let frontendReceiveBuffer: Int32 = 256

  private static func makeRouter(_ context: ZMQContext, _ configuration: Broker.Configuration)
    throws -> Socket
  {
    let socket = try Socket(context: context, type: .router)
    // Errors instead of silent drops when a peer has gone (PITFALLS.md).
    try socket.setRouterMandatory(true)
    try socket.setMaxMessageSize(Int64(configuration.maxMessageSize) * 4)
    try socket.setSendHighWaterMark(100_000)
    try socket.setReceiveHighWaterMark(100_000)
    return socket
  }

  func start(whenStopped continuation: CheckedContinuation<Void, Never>) {
    stopped = continuation
    loop.register(frontend) { [unowned self] in self.drain(self.frontend, self.handleFrontend) }
    loop.register(backend) { [unowned self] in self.drain(self.backend, self.handleBackend) }
    if let zap {
      loop.register(zap) { [unowned self] in self.drain(zap) { frames, _ in self.handleZAP(frames) } }
    }
    scheduleTick()
    logger.info(
      "gateway routing",
      metadata: [
        "frontend": "\(frontendEndpoint)", "backend": "\(backendEndpoint)",
        // What the thread got: a sandbox may refuse SCHED_BATCH.
        "scheduling": "\(ThreadScheduling.ofThisThread?.rawValue ?? "other")",
      ])
    if stopRequested { stop() }
  }

  func stop() {
    guard let stopped else {
      stopRequested = true
      return
    }
    self.stopped = nil
    loop.unregister(frontend)
    loop.unregister(backend)
    if let zap { loop.unregister(zap) }
    if let tickTimer { loop.cancel(tickTimer) }
    for call in Array(pending.values) {
      answer(call, RPCError(code: .unavailable, message: "the gateway is shutting down"))
    }
    // A write is answered once its audit record is committed, through the loop's queue (see
    // `audit`): once the log has committed them, those answers are queued ahead of this.
    configuration.auditLog?.waitForWrites()
    loop.execute { [self] in
      responses.flush()
      frontend.close()
      backend.close()
      zap?.close()
      logger.info("gateway stopped")
      stopped.resume()
    }
  }

  /// Handles waiting messages with the user id their connection authenticated as.
  private func drain(_ socket: Socket, _ handle: ([[UInt8]], String?) -> Void) {
    // A bounded batch per wake-up keeps one busy socket from starving the other.
    for _ in 0..<256 {
      do {
        // Without security no connection has a user id: asking libzmq for one on every
        // message cost about 2 % of the gateway's work per call.
        guard zap != nil else {
          guard let frames = try socket.receive(dontWait: true) else { return }
          handle(frames, nil)
          continue
        }
        guard let (frames, userID) = try socket.receiveWithUserID(dontWait: true) else { return }
        handle(frames, userID)
      } catch {
        logger.warning("receive failed: \(error)")
        return
      }
    }
  }

  // MARK: Calls

  func makeCallID() -> UInt64 {
    defer { nextCallID += 1 }
    return nextCallID
  }

  func service(named name: String) -> ServiceState {
    if let state = services[name] { return state }
    let state = ServiceState(name: name)
    services[name] = state
    return state
  }

  /// Sends a new `call` to a free instance of its service, or queues it.
  func dispatch(_ call: PendingCall) {
    let clientCalls = call.clientCalls.byCallerID.count
    let state = call.state
    if clientCalls > configuration.maxCallsPerClient {
      // One caller must not take every queue place (and the gateway's memory) alone.
      answer(
        call,
        RPCError(
          code: .resourceExhausted,
          message: "this connection already has \(clientCalls - 1) calls in flight at the "
            + "gateway, the most one caller may have"))
    } else if let instance = state.takeInstance(for: call.header.method) {
      send(call, to: instance)
    } else if state.queue.count >= configuration.maxQueueLength {
      answer(
        call,
        RPCError(
          code: .resourceExhausted,
          message: "service \"\(state.name)\" has \(state.queue.count) calls waiting for an "
            + "instance"))
    } else {
      call.queuedAt = .now
      state.queue.append(call.id)
    }
  }

  /// Gives `call` to `instance` now, so that routing counts it at once, and sends it at the
  /// end of the loop's turn with the others given in it (Outbox says why).
  private func send(_ call: PendingCall, to instance: InstanceRecord) {
    call.instance = instance.routingID
    call.queuedAt = nil
    call.attempts += 1
    instance.inFlight.insert(call.id)
    instance.calls += 1
    unsentRequests.append(UnsentRequest(callID: call.id, attempt: call.attempts))
    guard unsentRequests.count == 1 else { return }
    // Weak: a broker stopped in this turn is gone before its loop runs this.
    loop.atEndOfTurn { [weak self] in self?.sendRequests() }
  }

  /// Sends what this turn of the loop held back: the calls given to instances, then the
  /// responses. For `BrokerProbe`, after each event it drives; in the loop, each of the two
  /// queues its own flush with the first message it holds.
  func endTurn() {
    sendRequests()
    responses.flush()
  }

  /// Sends the calls given to instances this turn. A call that is no longer theirs (answered,
  /// cancelled, expired or given to another) is skipped. One that cannot be sent never reached
  /// its instance, so it goes back to the front of its queue whatever its method, and the
  /// instance, gone, is dropped once every call held for it is back in the queue.
  func sendRequests() {
    let unsent = unsentRequests
    unsentRequests.removeAll(keepingCapacity: true)
    var unreachable: [InstanceRecord] = []
    var undelivered: [PendingCall] = []
    for request in unsent {
      guard let call = pending[request.callID], call.attempts == request.attempt,
        let routingID = call.instance, let instance = instances[routingID]
      else { continue }
      do {
        try sendRequest(call, to: instance)
      } catch {
        logger.warning(
          "cannot reach instance, dropping it",
          metadata: ["instance": "\(instance.instanceID)", "error": "\(error)"])
        instance.inFlight.remove(call.id)
        call.instance = nil
        call.attempts -= 1
        call.queuedAt = .now
        undelivered.append(call)
        if !unreachable.contains(where: { $0 === instance }) { unreachable.append(instance) }
      }
    }
    // In reverse, so that they are back at the front in the order they were given.
    for call in undelivered.reversed() { call.state.queue.insert(call.id, at: 0) }
    for instance in unreachable { drop(instance) }
  }

  private func sendRequest(_ call: PendingCall, to instance: InstanceRecord) throws(ZMQError) {
    // The caller's bytes as they came, then the caller's identity and the gateway's call id
    // and time left (PROTOCOL.md): re-encoding the whole header cost a tenth of a call.
    var header: [UInt8] = []
    header.reserveCapacity(
      call.headerBytes.count + call.caller.identityHeader.count + appendedFieldsCapacity)
    header += call.headerBytes
    header += call.caller.identityHeader
    Tongxin_Rpc_RequestHeader.append(
      callID: call.id,
      timeoutMs: UInt32(clamping: max(1, (call.deadline - .now).wholeMilliseconds)), to: &header)
    try WireProtocol.send(
      .request, header, payload: call.payload, to: instance.routingID, on: backend,
      dontWait: true)
  }

  /// Whether `call` was given to its instance in this turn and waits to be sent.
  func isUnsent(_ call: PendingCall) -> Bool {
    unsentRequests.contains { $0.callID == call.id && $0.attempt == call.attempts }
  }

  /// Sends queued calls of `state` to instances that have room.
  func dispatchQueued(_ state: ServiceState) {
    var index = 0
    // Stops as soon as every instance is full: looking at every queued call (and its
    // method's instances) on each response cost hundreds of instructions per queued call.
    while index < state.queue.count && state.hasRoom {
      guard let call = pending[state.queue[index]] else {
        state.queue.remove(at: index)
        continue
      }
      guard let instance = state.takeInstance(for: call.header.method) else {
        index += 1
        continue
      }
      state.queue.remove(at: index)
      send(call, to: instance)
    }
  }

  /// Ends `call`: answers its caller, records it and frees its instance's slot.
  func answer(_ call: PendingCall, _ error: RPCError) {
    var header = Tongxin_Rpc_ResponseHeader()
    header.code = error.code
    header.message = error.message
    header.details = error.details
    finish(call, header: header, payload: [])
  }

  /// Ends `call` with `header`; `encoded` is the header as its instance encoded it, forwarded
  /// with the caller's call id appended instead of being encoded again.
  func finish(
    _ call: PendingCall, header: Tongxin_Rpc_ResponseHeader, encoded: ArraySlice<UInt8>? = nil,
    payload: [UInt8]
  ) {
    guard remove(call) else { return }
    // A call taken in the start-up grace may name a service or method that never registered:
    // made-up names must not grow the gateway's memory.
    let key = MethodKey(service: call.header.service, method: call.header.method)
    if call.listed || call.state.isDescribed && call.state.knows(method: key.method) {
      statistics[key, default: .init()].record(header.code, after: .now - call.receivedAt)
    }
    let bytes: [UInt8]
    if let encoded {
      var forwarded: [UInt8] = []
      forwarded.reserveCapacity(encoded.count + appendedFieldsCapacity)
      forwarded += encoded
      Tongxin_Rpc_ResponseHeader.append(callID: call.header.callID, to: &forwarded)
      bytes = forwarded
    } else {
      var header = header
      header.callID = call.header.callID
      bytes = header.serializedBytes()
    }
    // Most calls are reads: they need no record, nor the closure that waits for it. Asked
    // now, not when the call came: during the start-up grace its service was not known yet.
    guard configuration.auditLog != nil, call.state.writes(call.header.method) else {
      return respond(to: call.client, header: bytes, payload: payload)
    }
    audit(
      call.header, writes: true, department: call.caller.name, code: header.code,
      message: header.message,
      targetID: call.state.auditTargets[call.header.method]?
        .id(request: call.payload, response: payload) ?? ""
    ) { [client = call.client] in
      self.respond(to: client, header: bytes, payload: payload)
    }
  }

  /// Forgets `call` and frees its instance's slot; false when it was already gone.
  func remove(_ call: PendingCall) -> Bool {
    guard pending.removeValue(forKey: call.id) != nil else { return false }
    // Its place in the queue goes back at once: the bound is on calls that wait, and a burst
    // of cancelled or expired ones must not refuse everyone until the next sweep.
    if call.queuedAt != nil, let index = call.state.queue.firstIndex(of: call.id) {
      call.state.queue.remove(at: index)
    }
    call.clientCalls.byCallerID.removeValue(forKey: call.header.callID)
    if call.clientCalls.byCallerID.isEmpty { clients.removeValue(forKey: call.client) }
    if let timer = call.timer { loop.cancel(timer) }
    release(call)
    return true
  }

  /// Runs `respond` once a write call's record is on disk; other calls respond at once.
  func audit(
    _ request: Tongxin_Rpc_RequestHeader, writes: Bool, department: String,
    code: Tongxin_Rpc_StatusCode, message: String,
    targetID: @autoclosure () -> String, then respond: @escaping @Sendable () -> Void
  ) {
    guard writes, let auditLog = configuration.auditLog else { return respond() }
    let entry = AuditLog.Entry(
      time: Date(), department: department,
      service: request.service, method: request.method, targetID: targetID(), code: code,
      message: message, idempotencyKey: request.idempotencyKey)
    auditLog.append(entry) { [loop] in loop.execute(respond) }
  }

  func respond(to client: [UInt8], header: Tongxin_Rpc_ResponseHeader, payload: [UInt8]) {
    respond(to: client, header: header.serializedBytes(), payload: payload)
  }

  func respond(to client: [UInt8], header: [UInt8], payload: [UInt8]) {
    responses.send(.response, header, payload: payload, to: client)
  }

  // MARK: Time

  private func scheduleTick() {
    tickTimer = loop.schedule(after: configuration.heartbeatInterval) { [unowned self] in
      self.tick()
    }
  }

  /// Heartbeats every instance, drops the silent ones, expires calls queued too long.
  private func tick() {
    let now = ContinuousClock.now
    let silenceLimit = configuration.heartbeatInterval * configuration.heartbeatLiveness
    let heartbeat = Tongxin_Rpc_Heartbeat().serializedBytes()
    for instance in Array(instances.values) where instances[instance.routingID] === instance {
      if now - instance.lastHeard > silenceLimit {
        logger.warning(
          "instance silent, dropping it",
          metadata: [
            "instance": "\(instance.instanceID)", "silent": "\(now - instance.lastHeard)",
          ])
        drop(instance)
      } else {
        sendToInstance(instance.routingID, .heartbeat, heartbeat)
      }
    }
    for state in services.values {
      for id in state.queue {
        guard let call = pending[id], let queuedAt = call.queuedAt,
          now - queuedAt > configuration.maxQueueWait
        else { continue }
        answer(
          call,
          RPCError(
            code: .resourceExhausted,
            message: "no instance of \"\(state.name)\" was free for "
              + "\(configuration.maxQueueWait)"))
      }
      state.queue.removeAll { pending[$0] == nil }
    }
    scheduleTick()
  }

  func expire(_ id: UInt64) {
    guard let call = pending[id] else { return }
    call.timer = nil
    cancelAtInstance(call)
    let budget = call.deadline - call.receivedAt
    answer(
      call,
      RPCError(
        code: .deadlineExceeded, message: "deadline of \(budget.wholeMilliseconds) ms exceeded"))
  }
}

extension Duration {
  var wholeMilliseconds: Int64 {
    // One call of `components`: each divides a 128-bit count of attoseconds.
    let (seconds, attoseconds) = components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }
}
