import DequeModule
import Logging
import TongxinProtobuf
import TongxinWire
import ZeroMQ

/// The state of an ``RPCServer`` that lives on its loop thread: the connection to the
/// gateway, the registration, heartbeats and the calls in flight.
final class InstanceCore: @unchecked Sendable {
  // Confined to the loop thread: every method runs there, handler tasks come back through
  // `loop.execute` (so exclusivity is not checked at run time, see PollLoop).
  private enum Phase: Equatable {
    case registering
    case ready
    /// Leaving: `acknowledged` once the gateway confirmed it sends nothing more.
    case draining(acknowledged: Bool)
    case finished
  }

  private struct Request {
    var header: Tongxin_Rpc_RequestHeader
    var payload: [UInt8]
    var deadline: ContinuousClock.Instant
  }

  /// A call whose handler suspended: it ends on a later turn of the loop.
  private struct Running {
    var task: Task<Void, Never>
    /// Abandons the call at its deadline.
    var timer: TimerID
  }

  /// The call whose handler is running up to its first suspension, and whether it ended
  /// there: most handlers never suspend, and such a call never enters `running`.
  private struct Starting {
    var callID: UInt64
    var ended = false
  }

  private let description: Tongxin_Rpc_ServiceDescription
  private let router: RPCRouter
  private let instanceID: String
  private let configuration: RPCServer.Configuration
  private let context: ZMQContext
  private let loop: PollLoop
  private let logger: Logger

  @exclusivity(unchecked) private var socket: Socket?
  /// Every message to the gateway goes through it, in order (Outbox says why).
  @exclusivity(unchecked) private var outbox: Outbox?
  /// Logs a refused key plainly; the instance keeps trying, as the key may be admitted.
  private var handshakes: HandshakeWatch?
  @exclusivity(unchecked) private var phase = Phase.registering
  private var heartbeatInterval: Duration
  private var heartbeatLiveness: Int
  @exclusivity(unchecked) private var lastHeard = ContinuousClock.now
  private var reconnectDelay: Duration
  @exclusivity(unchecked) private var running: [UInt64: Running] = [:]
  @exclusivity(unchecked) private var starting: Starting?
  @exclusivity(unchecked) private var waiting = Deque<Request>()
  @exclusivity(unchecked) private var startingWaiting = false
  private var tickTimer: TimerID?
  /// When the last REGISTER went out on this connection.
  private var registeredAt: ContinuousClock.Instant?
  /// Sent with every REGISTER of this run: the gateway tells this instance reconnecting from
  /// another process started with the same instance id (PROTOCOL.md, "Registration").
  private let incarnation = String(UInt64.random(in: 0...UInt64.max), radix: 16)
  /// Why the gateway has not registered this instance yet, as logged while it registers: each
  /// reason once, not at each heartbeat interval it asks again (the gateway's answers to its
  /// REGISTER and to its heartbeats take turns). Bounded: the reasons are the gateway's text.
  private var waitReasons: Set<String> = []
  private var finished: CheckedContinuation<Result<Void, RPCError>, Never>?

  init(
    service: any RPCService, instanceID: String, configuration: RPCServer.Configuration,
    context: ZMQContext, loop: PollLoop, logger: Logger
  ) {
    var router = RPCRouter()
    service.registerMethods(with: &router)
    self.router = router
    self.description = service.serviceDescription
    self.instanceID = instanceID
    self.configuration = configuration
    self.context = context
    self.loop = loop
    self.logger = logger
    self.heartbeatInterval = configuration.heartbeatInterval
    self.heartbeatLiveness = configuration.heartbeatLiveness
    self.reconnectDelay = configuration.reconnectDelay
  }

  func start(whenFinished continuation: CheckedContinuation<Result<Void, RPCError>, Never>) {
    // Drained (SIGTERM, cancellation) before it started: there is nothing to serve.
    guard phase != .finished else { return continuation.resume(returning: .success(())) }
    finished = continuation
    if let error = connect() {
      // At start the endpoint or keys are wrong (libzmq resolves and connects later, in the
      // background): retrying cannot help, the operator must hear it.
      return finish(.failure(RPCError(code: .invalidArgument, message: error)))
    }
    scheduleTick()
  }

  // MARK: Connection

  /// Connects and registers; on failure, why (logged already).
  private func connect() -> String? {
    do {
      let socket = try Socket(context: context, type: .dealer)
      try socket.setSendHighWaterMark(100_000)
      try socket.setReceiveHighWaterMark(100_000)
      try configuration.security?.apply(to: socket)
      if configuration.security != nil {
        handshakes = try HandshakeWatch(socket, context: context, loop: loop, logger: logger) { _ in }
      }
      try socket.connect(configuration.gatewayEndpoint)
      loop.register(socket) { [unowned self] in self.receiveAll() }
      self.socket = socket
      outbox = Outbox(socket: socket, loop: loop) { [logger] command, error in
        logger.warning("cannot send \(command) to the gateway: \(error)")
      }
    } catch {
      let message = "cannot connect to the gateway at \(configuration.gatewayEndpoint): \(error)"
      logger.error("\(message)")
      return message
    }
    lastHeard = .now
    register()
    return nil
  }

  private func register() {
    var message = Tongxin_Rpc_RegisterInstance()
    message.service = description.name
    message.instanceID = instanceID
    message.version = configuration.version
    message.maxConcurrency = UInt32(clamping: max(1, configuration.maxConcurrency))
    message.description_p = description
    message.incarnation = incarnation
    send(.register, message.serializedBytes())
    registeredAt = .now
  }

  private func disconnect() {
    guard let socket else { return }
    outbox?.flush()
    outbox = nil
    registeredAt = nil
    loop.unregister(socket)
    handshakes?.close()
    handshakes = nil
    socket.close()
    self.socket = nil
  }

  private func scheduleTick() {
    tickTimer = loop.schedule(after: heartbeatInterval) { [unowned self] in self.tick() }
  }

  private func tick() {
    guard phase != .finished else { return }
    var heartbeat = Tongxin_Rpc_Heartbeat()
    heartbeat.inFlight = UInt32(clamping: running.count + waiting.count)
    if socket != nil { send(.heartbeat, heartbeat.serializedBytes()) }
    let silence = ContinuousClock.now - lastHeard
    if socket != nil, silence > heartbeatInterval * heartbeatLiveness {
      gatewayWentSilent(for: silence)
    }
    scheduleTick()
  }

  private func gatewayWentSilent(for silence: Duration) {
    disconnect()
    if case .draining = phase {
      // Nobody will acknowledge the leave: finish the calls we have and go.
      phase = .draining(acknowledged: true)
      finishIfDrained()
      return
    }
    logger.warning(
      "gateway silent, reconnecting",
      metadata: ["silent": "\(silence)", "retry_in": "\(reconnectDelay)"])
    abandonAll()
    phase = .registering
    scheduleReconnect()
  }

  private func scheduleReconnect() {
    let delay = reconnectDelay
    reconnectDelay = min(reconnectDelay * 2, configuration.reconnectDelayMax)
    _ = loop.schedule(after: delay) { [unowned self] in
      guard self.phase == .registering, self.socket == nil else { return }
      // It connected before with this endpoint: a failure now is passing (no descriptors
      // left, say), so it tries again later.
      if self.connect() != nil { self.scheduleReconnect() }
    }
  }

  private func send(_ command: WireProtocol.Command, _ body: [UInt8], payload: [UInt8]? = nil) {
    outbox?.send(command, body, payload: payload)
  }

  // MARK: Receiving

  private func receiveAll() {
    while let socket {
      let frames: [[UInt8]]?
      do {
        frames = try socket.receive(dontWait: true)
      } catch {
        logger.warning("receiving from the gateway failed: \(error)")
        return
      }
      guard let frames else { return }
      lastHeard = .now
      do {
        try handle(WireMessage(frames: frames[...]))
      } catch {
        logger.warning("dropped a message from the gateway: \(error)")
      }
    }
  }

  private func handle(_ message: WireMessage) throws {
    switch message.command {
    case .registered:
      registered(try Tongxin_Rpc_RegisterReply(serializedBytes: message.body))
    case .request:
      let header = try Tongxin_Rpc_RequestHeader(serializedBytes: message.body)
      let timeout = header.timeoutMs == 0 ? 30_000 : Int64(header.timeoutMs)
      accept(Request(header: header, payload: message.payload, deadline: .now + .milliseconds(timeout)))
    case .cancel:
      let cancel = try Tongxin_Rpc_Cancel(serializedBytes: message.body)
      abandon(cancel.callID)
    case .heartbeat:
      break
    case .disconnect:
      guard phase != .finished else { return }
      if case .draining = phase {
        phase = .draining(acknowledged: true)
        finishIfDrained()
      } else if phase == .ready {
        logger.info("the gateway does not know this instance; registering again")
        abandonAll()
        phase = .registering
        register()
      } else {
        // Registering already: the gateway answers each heartbeat and stray response with a
        // DISCONNECT until its REGISTER arrives, and a REGISTER it defers (another process
        // has this instance id) with one that says so. One more REGISTER per interval covers
        // a lost one, and asks again, without sending one per DISCONNECT.
        let reason = (try? Tongxin_Rpc_Disconnect(serializedBytes: message.body))?.reason ?? ""
        if reason == WireProtocol.unknownInstanceReason {
          logger.debug("the gateway does not know this instance yet")
        } else if !reason.isEmpty && waitReasons.count < 8 && waitReasons.insert(reason).inserted {
          logger.warning("the gateway has not registered this instance yet: \(reason)")
        }
        if let registeredAt, ContinuousClock.now - registeredAt > heartbeatInterval {
          register()
        }
      }
    case .leave:
      guard case .draining = phase else { return }
      phase = .draining(acknowledged: true)
      finishIfDrained()
    case .response, .register:
      logger.warning("dropped a \(message.command) message: gateways do not send it")
    }
  }

  private func registered(_ reply: Tongxin_Rpc_RegisterReply) {
    guard reply.accepted else {
      logger.error("the gateway refused the registration: \(reply.message)")
      finish(.failure(RPCError(code: .failedPrecondition, message: reply.message)))
      return
    }
    if reply.heartbeatIntervalMs > 0 {
      heartbeatInterval = .milliseconds(Int64(reply.heartbeatIntervalMs))
    }
    if reply.heartbeatLiveness > 0 { heartbeatLiveness = Int(reply.heartbeatLiveness) }
    reconnectDelay = configuration.reconnectDelay
    waitReasons = []
    if phase == .registering {
      phase = .ready
      logger.info(
        "registered", metadata: ["service": "\(description.name)", "methods": "\(router.methods)"])
    }
  }

  // MARK: Calls

  private func accept(_ request: Request) {
    if running.count < configuration.maxConcurrency {
      run(request)
    } else {
      waiting.append(request)
    }
  }

  private func run(_ request: Request) {
    let header = request.header
    guard ContinuousClock.now < request.deadline else {
      return respond(
        header.callID,
        .failure(RPCError(code: .deadlineExceeded, message: "call expired before it started")))
    }
    guard let handler = router.handler(for: header.method) else {
      return respond(
        header.callID,
        .failure(
          RPCError(
            code: .unimplemented,
            message: "service \"\(description.name)\" has no method \"\(header.method)\"")))
    }
    let context = ServerContext(
      service: header.service, method: header.method, metadata: header.metadata,
      idempotencyKey: header.idempotencyKey, deadline: request.deadline, instanceID: instanceID)
    let callID = header.callID
    let payload = request.payload
    // On the loop thread the task starts here, up to the handler's first suspension: no trip
    // through the loop's queue, and a handler that never suspends (most reads) answers before
    // the next message is received. Each closure is written where the task takes it: one kept
    // in a variable of its own type reached the task through three reabstraction thunks, each
    // an async frame of its own (1.3k instructions per call, Tests/Perf/callgrind echo).
    starting = Starting(callID: callID)
    let task =
      configuration.handlerExecution == .loopThread
      ? Task.immediate(executorPreference: loop) {
        await self.serve(callID, handler, payload, context)
      }
      : Task { await self.serve(callID, handler, payload, context) }
    let ended = starting?.ended == true
    starting = nil
    // A handler that never suspended has answered: a deadline timer and an entry in `running`
    // would be made and removed for nothing (a thousand instructions per call).
    if ended { return finishIfDrained() }
    let timer = loop.schedule(after: ContinuousClock.now.duration(to: request.deadline)) {
      [unowned self] in
      // The gateway has answered the caller already; stop the work and free the slot.
      self.abandon(callID)
    }
    running[callID] = Running(task: task, timer: timer)
  }

  /// Runs the handler of call `callID` and answers it, without leaving the task's executor
  /// (see `RPCClient.unary`).
  nonisolated(nonsending) private func serve(
    _ callID: UInt64, _ handler: RPCRouter.Handler, _ payload: [UInt8], _ context: ServerContext
  ) async {
    let result = await Self.invoke(handler, payload, context, logger: logger)
    // No closure to allocate when the handler ends on the loop thread, as most do.
    if loop.isOnLoopThread {
      complete(callID, result)
    } else {
      loop.execute { self.complete(callID, result) }
    }
  }

  nonisolated(nonsending) private static func invoke(
    _ handler: RPCRouter.Handler, _ payload: [UInt8], _ context: ServerContext, logger: Logger
  ) async -> Result<[UInt8], RPCError> {
    do {
      return .success(try await handler(payload, context))
    } catch let error as any RPCErrorConvertible where error.rpcError.code != .ok {
      return .failure(error.rpcError)
    } catch is CancellationError {
      return .failure(RPCError(code: .cancelled, message: "call cancelled"))
    } catch {
      logger.error(
        "handler failed", metadata: ["method": "\(context.method)", "error": "\(error)"])
      return .failure(
        RPCError(code: .internal, message: "internal error in \(context.service).\(context.method)"))
    }
  }

  private func complete(_ callID: UInt64, _ result: Result<[UInt8], RPCError>) {
    if starting?.callID == callID {
      // Ended before suspending: `run` finishes the bookkeeping.
      starting?.ended = true
      return respond(callID, result)
    }
    guard let entry = running.removeValue(forKey: callID) else { return }
    loop.cancel(entry.timer)
    respond(callID, result)
    startWaiting()
    finishIfDrained()
  }

  /// Stops every call of a connection the gateway no longer knows: it has answered or retried
  /// them, so their replies would be dropped, and left running they would hold the slots the
  /// calls of the new registration need (for as long as their deadlines, a minute or more).
  private func abandonAll() {
    guard !running.isEmpty || !waiting.isEmpty else { return }
    logger.warning(
      "abandoning the calls the gateway forgot",
      metadata: ["running": "\(running.count)", "waiting": "\(waiting.count)"])
    for entry in running.values {
      loop.cancel(entry.timer)
      entry.task.cancel()
    }
    running.removeAll()
    waiting.removeAll()
  }

  private func abandon(_ callID: UInt64) {
    if let entry = running.removeValue(forKey: callID) {
      loop.cancel(entry.timer)
      entry.task.cancel()
    } else {
      waiting.removeAll { $0.header.callID == callID }
    }
    startWaiting()
    finishIfDrained()
  }

  private func startWaiting() {
    // A call that ends as it starts completes inside `run`, which comes back here: the
    // outer loop goes on instead, so the stack stays flat however many calls wait.
    guard !startingWaiting else { return }
    startingWaiting = true
    defer { startingWaiting = false }
    while running.count < configuration.maxConcurrency, let request = waiting.popFirst() {
      run(request)
    }
  }

  private func respond(_ callID: UInt64, _ result: Result<[UInt8], RPCError>) {
    switch result {
    case .success(let payload):
      var header: [UInt8] = []
      Tongxin_Rpc_ResponseHeader.append(callID: callID, to: &header)
      send(.response, header, payload: payload)
    case .failure(let error):
      var header = Tongxin_Rpc_ResponseHeader()
      header.callID = callID
      header.code = error.code
      header.message = error.message
      header.details = error.details
      send(.response, header.serializedBytes(), payload: [])
    }
  }

  // MARK: Draining

  func drain(reason: String) {
    switch phase {
    case .finished, .draining: return
    case .registering where socket == nil:
      // Not connected: no gateway knows this instance, so there is nothing to wait for.
      phase = .draining(acknowledged: true)
    case .registering, .ready:
      // A registration sent may have been accepted, and calls routed here: the gateway must
      // hear that the instance leaves. It answers even if it never knew the instance; if it
      // is gone, its silence ends the wait (see gatewayWentSilent).
      phase = .draining(acknowledged: false)
      var leave = Tongxin_Rpc_Disconnect()
      leave.reason = reason
      send(.leave, leave.serializedBytes())
    }
    logger.info("draining", metadata: ["in_flight": "\(running.count + waiting.count)"])
    _ = loop.schedule(after: configuration.drainTimeout) { [unowned self] in
      guard self.phase != .finished else { return }
      self.logger.warning("drain timed out", metadata: ["abandoned": "\(self.running.count)"])
      for entry in self.running.values { entry.task.cancel() }
      self.finish(.success(()))
    }
    finishIfDrained()
  }

  private func finishIfDrained() {
    guard phase == .draining(acknowledged: true), running.isEmpty, waiting.isEmpty else {
      return
    }
    logger.info("drained")
    finish(.success(()))
  }

  private func finish(_ result: Result<Void, RPCError>) {
    guard phase != .finished else { return }
    phase = .finished
    // The gateway answers or retries elsewhere whatever this instance has not answered. A
    // waiting call started now (by an abandoned handler's end) would reply to nobody and
    // could apply a write a second time.
    waiting.removeAll()
    if let tickTimer { loop.cancel(tickTimer) }
    for entry in running.values { loop.cancel(entry.timer) }
    // Let the last responses leave before the socket closes.
    try? socket?.setLinger(.seconds(1))
    disconnect()
    finished?.resume(returning: result)
    finished = nil
  }
}
