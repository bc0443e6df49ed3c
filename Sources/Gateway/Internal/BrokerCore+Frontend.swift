import TongxinProtobuf
import TongxinRPC
import TongxinWire

extension BrokerCore {
  /// A message from a caller: `[routing id, version, command, ...]`, from a connection that
  /// authenticated as `userID` (see ``caller(userID:)``).
  func handleFrontend(_ frames: [[UInt8]], userID: String? = nil) {
    guard frames.count >= 2, let client = frames.first else { return }
    let message: WireMessage
    do {
      message = try WireMessage(frames: frames.dropFirst())
    } catch {
      logger.debug("refused a message from a caller", metadata: ["error": "\(error)"])
      return refuse(client, callID: 0, error)
    }
    switch message.command {
    case .request:
      handleRequest(from: client, userID: userID, header: message.body, payload: message.payload)
    case .cancel:
      guard let cancel = try? Tongxin_Rpc_Cancel(serializedBytes: message.body),
        let id = clients[client]?.byCallerID[cancel.callID],
        let call = pending[id]
      else { return }
      cancelAtInstance(call)
      _ = remove(call)
    default:
      refuse(
        client, callID: 0,
        RPCError(
          code: .invalidArgument, message: "\(message.command) is not a command for callers"))
    }
  }

  /// Refuses a call whose caller is known; a refused write is recorded in the audit log.
  private func refuseAudited(
    _ client: [UInt8], _ header: Tongxin_Rpc_RequestHeader, department: String, _ error: RPCError
  ) {
    audit(
      header, writes: services[header.service]?.writes(header.method) == true,
      department: department, code: error.code, message: error.message, targetID: ""
    ) { [callID = header.callID] in
      self.refuse(client, callID: callID, error)
    }
  }

  func refuse(_ client: [UInt8], callID: UInt64, _ error: RPCError) {
    var header = Tongxin_Rpc_ResponseHeader()
    header.callID = callID
    header.code = error.code
    header.message = error.message
    respond(to: client, header: header, payload: [])
  }

  private func handleRequest(
    from client: [UInt8], userID: String?, header bytes: ArraySlice<UInt8>, payload: [UInt8]
  ) {
    let header: Tongxin_Rpc_RequestHeader
    do {
      header = try Tongxin_Rpc_RequestHeader(serializedBytes: bytes)
    } catch {
      return refuse(
        client, callID: 0, RPCError(code: .invalidArgument, message: "request header: \(error)"))
    }
    if let problem = problem(with: header, payload: payload) {
      return refuse(client, callID: header.callID, problem)
    }
    let caller: Caller
    switch self.caller(userID: userID) {
    case .success(let known): caller = known
    case .failure(let error):
      return refuseAudited(client, header, department: "unknown key", error)
    }
    guard caller.allows(service: header.service, method: header.method) else {
      return refuseAudited(
        client, header, department: caller.name,
        RPCError(
          code: .permissionDenied,
          message: "department \"\(caller.name)\" may not call \(header.service).\(header.method)"))
    }
    let now = ContinuousClock.now
    let timeout =
      header.timeoutMs == 0
      ? configuration.defaultTimeout
      : min(.milliseconds(Int64(header.timeoutMs)), configuration.maxTimeout)
    if header.service == SystemService.name {
      return answerSystemCall(from: client, header: header, payload: payload, receivedAt: now)
    }
    let state: ServiceState
    let readOnly: Bool?
    switch route(header, at: now) {
    case .success(let routed): (state, readOnly) = routed
    case .failure(let problem): return refuse(client, callID: header.callID, problem)
    }
    let clientCalls: ClientCalls
    if let known = clients[client] {
      if known.byCallerID[header.callID] != nil {
        return refuse(
          client, callID: header.callID,
          RPCError(code: .alreadyExists, message: "call id \(header.callID) is already in flight"))
      }
      clientCalls = known
    } else {
      clientCalls = ClientCalls()
      clients[client] = clientCalls
    }
    let call = PendingCall(
      id: makeCallID(), client: client, clientCalls: clientCalls, state: state, header: header,
      headerBytes: bytes, caller: caller, payload: payload, receivedAt: now,
      deadline: now + timeout, readOnly: readOnly)
    pending[call.id] = call
    clientCalls.byCallerID[header.callID] = call.id
    let id = call.id
    call.timer = loop.schedule(after: timeout) { [unowned self] in self.expire(id) }
    dispatch(call)
  }

  /// What is wrong with a request on its face, before any routing.
  private func problem(with header: Tongxin_Rpc_RequestHeader, payload: [UInt8]) -> RPCError? {
    if header.service.isEmpty {
      return RPCError(code: .invalidArgument, message: "request header has no service")
    }
    if header.method.isEmpty {
      return RPCError(code: .invalidArgument, message: "request header has no method")
    }
    if let key = header.metadata.keys.first(where: { $0.hasPrefix(CallerIdentity.reservedPrefix) }) {
      return RPCError(
        code: .invalidArgument, message: "metadata key \"\(key)\" is reserved for the gateway")
    }
    if payload.count > configuration.maxMessageSize {
      return RPCError(
        code: .resourceExhausted,
        message: "payload of \(payload.count) bytes exceeds the limit of "
          + "\(configuration.maxMessageSize) bytes")
    }
    return nil
  }

  /// The service to route a call to and whether its description calls the method read-only
  /// (nil when it does not list it), or why the service or method cannot be routed at all.
  private func route(_ header: Tongxin_Rpc_RequestHeader, at now: ContinuousClock.Instant)
    -> Result<(ServiceState, readOnly: Bool?), RPCError>
  {
    guard let state = services[header.service], state.isDescribed else {
      // Its instances may not have registered yet: calls wait for them. For a bounded number
      // of names: each is kept, and callers must not grow the gateway's memory at will.
      if now - startedAt < configuration.startupGrace {
        if services[header.service] != nil || awaitedServices < configuration.maxAwaitedServices
        {
          return .success((service(named: header.service), nil))
        }
        return .failure(
          RPCError(
            code: .unimplemented,
            message: "unknown service \"\(header.service)\": calls already wait for "
              + "\(configuration.maxAwaitedServices) services that have not registered"))
      }
      let known = ([SystemService.name] + services.values.filter { $0.description != nil }.map(\.name))
        .sorted().joined(separator: ", ")
      return .failure(RPCError(
        code: .unimplemented, message: "unknown service \"\(header.service)\"; known: \(known)"))
    }
    let readOnly = state.readOnly[header.method]
    guard readOnly != nil || state.knows(method: header.method) else {
      return .failure(RPCError(
        code: .unimplemented,
        message: "service \"\(header.service)\" has no method \"\(header.method)\""))
    }
    return .success((state, readOnly))
  }

  /// Services that calls were taken for in the start-up grace, none of whose instances has
  /// registered (yet).
  private var awaitedServices: Int { services.values.count { $0.description == nil } }

  /// Tells the instance working on `call` that nobody waits for it any more. A call given to
  /// it in this turn has not left yet: once removed it never will, and the instance hears of
  /// it not at all (sending the cancel would send the call first).
  func cancelAtInstance(_ call: PendingCall) {
    guard let routingID = call.instance, instances[routingID] != nil, !isUnsent(call) else {
      return
    }
    var cancel = Tongxin_Rpc_Cancel()
    cancel.callID = call.id
    sendToInstance(routingID, .cancel, cancel.serializedBytes())
  }

  /// Frees the slot `call` held at its instance, if any, and lets a queued call have it.
  func release(_ call: PendingCall) {
    guard let routingID = call.instance, let instance = instances[routingID] else { return }
    instance.inFlight.remove(call.id)
    if instance.draining && instance.inFlight.isEmpty {
      forget(instance)
    } else {
      // The call's service is its instance's.
      dispatchQueued(call.state)
    }
  }
}
