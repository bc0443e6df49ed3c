import TongxinProtobuf
import TongxinRPC
import TongxinWire

extension BrokerCore {
  /// A message from a service instance: `[routing id, version, command, ...]`.
  func handleBackend(_ frames: [[UInt8]], userID: String? = nil) {
    guard frames.count >= 2, let routingID = frames.first else { return }
    let message: WireMessage
    do {
      message = try WireMessage(frames: frames.dropFirst())
    } catch {
      logger.warning("dropped a message from an instance", metadata: ["error": "\(error)"])
      return
    }
    let instance = instances[routingID]
    instance?.lastHeard = .now
    do {
      switch message.command {
      case .register:
        register(
          routingID, try Tongxin_Rpc_RegisterInstance(serializedBytes: message.body),
          userID: userID)
      case .heartbeat:
        if instance == nil { sendDisconnect(routingID, reason: WireProtocol.unknownInstanceReason) }
      case .response:
        guard let instance else {
          // Answers a call of a gateway run before this one, or of a connection dropped since.
          logger.notice("dropped a response from an unknown instance; it will register again")
          return sendDisconnect(routingID, reason: WireProtocol.unknownInstanceReason)
        }
        let header = try Tongxin_Rpc_ResponseHeader(serializedBytes: message.body)
        response(from: instance, header: header, encoded: message.body, payload: message.payload)
      case .leave:
        sendToInstance(routingID, .leave, Tongxin_Rpc_Disconnect().serializedBytes())
        if let instance { leave(instance) }
      case .request, .cancel, .registered, .disconnect:
        logger.warning(
          "dropped a \(message.command) message: instances do not send it",
          metadata: ["instance": "\(instance?.instanceID ?? "unknown")"])
      }
    } catch {
      logger.warning(
        "dropped a \(message.command) message from an instance",
        metadata: ["instance": "\(instance?.instanceID ?? "unknown")", "error": "\(error)"])
    }
  }

  private func register(
    _ routingID: [UInt8], _ registration: Tongxin_Rpc_RegisterInstance, userID: String?
  ) {
    // The same instance on a new connection (it reconnected before we noticed the old one
    // die) has the same service, key and incarnation. One of another service or key with its
    // id is a mistake to refuse, and another process of the same service waits (`deferTwin`):
    // neither is a reason to drop the live one, which would register again and drop this one
    // in turn.
    let stale = instances.values.first {
      $0.instanceID == registration.instanceID && $0.routingID != routingID
    }
    if let problem = problem(with: registration, from: routingID)
      ?? mayRegister(registration.service, userID: userID)
      ?? stale.flatMap({ conflict(of: registration, userID: userID, with: $0) })
    {
      logger.warning(
        "refused a registration",
        metadata: ["instance": "\(registration.instanceID)", "reason": "\(problem)"])
      var reply = Tongxin_Rpc_RegisterReply()
      reply.message = problem
      return sendToInstance(routingID, .registered, reply.serializedBytes())
    }
    if let stale, isTwin(registration, of: stale) {
      return deferTwin(routingID, registration, of: stale)
    }
    // The old connection is dead, so its record goes, and its calls are retried.
    if let stale {
      logger.info("instance reconnected", metadata: ["instance": "\(stale.instanceID)"])
      drop(stale)
    }
    if let previous = instances[routingID], previous.service != registration.service {
      // Another service on the same connection: the calls it has are of the old service, so
      // its old record goes as if it had died (else, should it die, they would be queued
      // for the new service and sent to its instances; found by the fuzz harness).
      drop(previous)
    }
    if let previous = instances[routingID] {
      // Registering again on the same connection: keep the calls it already has.
      let record = InstanceRecord(routingID: routingID, registration: registration, publicKey: userID)
      record.inFlight = previous.inFlight
      record.calls = previous.calls
      service(named: previous.service).remove(previous)
      instances[routingID] = record
    } else {
      instances[routingID] = InstanceRecord(
        routingID: routingID, registration: registration, publicKey: userID)
    }
    let record = instances[routingID]!
    let state = service(named: registration.service)
    state.description = registration.description_p
    state.add(record)
    var reply = Tongxin_Rpc_RegisterReply()
    reply.accepted = true
    reply.heartbeatIntervalMs = UInt32(clamping: configuration.heartbeatInterval.wholeMilliseconds)
    reply.heartbeatLiveness = UInt32(clamping: configuration.heartbeatLiveness)
    sendToInstance(routingID, .registered, reply.serializedBytes())
    logger.info(
      "instance registered",
      metadata: [
        "service": "\(record.service)", "instance": "\(record.instanceID)",
        "version": "\(record.version)", "max_concurrency": "\(record.maxConcurrency)",
      ])
    dispatchQueued(state)
  }

  private func problem(with registration: Tongxin_Rpc_RegisterInstance, from routingID: [UInt8])
    -> String?
  {
    if registration.service.isEmpty { return "registration has no service" }
    if registration.service == SystemService.name {
      return "service \"\(SystemService.name)\" belongs to the gateway"
    }
    if registration.instanceID.isEmpty { return "registration has no instance_id" }
    if registration.maxConcurrency == 0 { return "max_concurrency must be at least 1" }
    guard let description = registration.description_p, !description.methods.isEmpty else {
      return "registration lists no methods"
    }
    if description.name != registration.service {
      return "description is of service \"\(description.name)\", not \"\(registration.service)\""
    }
    return nil
  }

  /// Whether `registration` comes from another process than the live `other` with its id and
  /// service: both name their incarnation, and not the same one. An instance that reconnects
  /// sends its own again.
  private func isTwin(_ registration: Tongxin_Rpc_RegisterInstance, of other: InstanceRecord)
    -> Bool
  {
    !registration.incarnation.isEmpty && !other.incarnation.isEmpty
      && registration.incarnation != other.incarnation
  }

  /// Leaves `other` serving, and the newcomer unregistered: the DISCONNECT makes it register
  /// again a heartbeat interval later, so it takes over once `other` has left or died (a
  /// restart under a fixed id), and waits for as long as `other` lives (two processes started
  /// with one id). Taking the id from the live one instead dropped its calls (writes answered
  /// UNAVAILABLE), and each then took it back from the other at every heartbeat.
  private func deferTwin(
    _ routingID: [UInt8], _ registration: Tongxin_Rpc_RegisterInstance, of other: InstanceRecord
  ) {
    let reason =
      "instance_id \"\(registration.instanceID)\" is held by a live instance of "
      + "\"\(other.service)\" that another process runs; registering again once it is gone "
      + "(give each instance its own id)"
    // Once per live holder: the newcomer asks again every heartbeat interval.
    if !other.twinReported {
      other.twinReported = true
      logger.warning(
        "a second process registers with a live instance's id; it waits",
        metadata: ["instance": "\(other.instanceID)", "service": "\(other.service)"])
    }
    sendDisconnect(routingID, reason: reason)
  }

  private func conflict(
    of registration: Tongxin_Rpc_RegisterInstance, userID: String?, with other: InstanceRecord
  ) -> String? {
    guard other.service != registration.service || other.publicKey != userID else { return nil }
    return "instance_id \"\(registration.instanceID)\" belongs to a live instance of service "
      + "\"\(other.service)\"\(other.publicKey != userID ? " with another key" : ""); "
      + "give each instance its own id"
  }

  private func response(
    from instance: InstanceRecord, header: Tongxin_Rpc_ResponseHeader,
    encoded: ArraySlice<UInt8>, payload: [UInt8]
  ) {
    guard let call = pending[header.callID], call.instance == instance.routingID else {
      logger.warning(
        "dropped a response to a call the instance does not have",
        metadata: ["instance": "\(instance.instanceID)", "call": "\(header.callID)"])
      return
    }
    finish(call, header: header, encoded: encoded, payload: header.code == .ok ? payload : [])
  }

  private func leave(_ instance: InstanceRecord) {
    logger.info(
      "instance leaving",
      metadata: ["instance": "\(instance.instanceID)", "in_flight": "\(instance.inFlight.count)"])
    instance.draining = true
    if instance.inFlight.isEmpty { forget(instance) }
  }

  /// Drops an instance that died: retries its calls elsewhere when safe, fails the rest.
  func drop(_ instance: InstanceRecord) {
    // Once: a record dropped already (while a snapshot of the instances that holds it is being
    // walked) must not take back calls that have been retried on other instances since.
    guard instances[instance.routingID] === instance else { return }
    forget(instance)
    let state = service(named: instance.service)
    let calls = instance.inFlight
    instance.inFlight.removeAll()
    for id in calls.sorted().reversed() {
      guard let call = pending[id] else { continue }
      // Given in this turn and not sent yet, it never reached the instance: any call may go
      // to another.
      let neverSent = isUnsent(call)
      call.instance = nil
      if neverSent || call.safeToRetry && call.attempts < configuration.maxAttempts {
        call.queuedAt = .now
        state.queue.insert(id, at: 0)
      } else {
        let reason =
          call.safeToRetry
          ? "instance \(instance.instanceID) stopped answering after \(call.attempts) attempts"
          : "instance \(instance.instanceID) stopped answering; the call may or may not have "
            + "been applied"
        answer(call, RPCError(code: .unavailable, message: reason))
      }
    }
    dispatchQueued(state)
  }

  /// Removes an instance from routing; its calls in flight are the caller's business.
  func forget(_ instance: InstanceRecord) {
    guard instances[instance.routingID] === instance else { return }
    instances.removeValue(forKey: instance.routingID)
    service(named: instance.service).remove(instance)
    logger.info("instance removed", metadata: ["instance": "\(instance.instanceID)"])
  }

  func sendDisconnect(_ routingID: [UInt8], reason: String) {
    var message = Tongxin_Rpc_Disconnect()
    message.reason = reason
    sendToInstance(routingID, .disconnect, message.serializedBytes())
  }

  /// Sends to an instance at once: the way for everything but calls, which are held to the
  /// turn's end.
  func sendToInstance(_ routingID: [UInt8], _ command: WireProtocol.Command, _ body: [UInt8]) {
    // After the calls held in this turn: an instance that reads the answer to its Leave
    // before a call given to it earlier exits without it, and the call waits for its
    // heartbeats to stop.
    sendRequests()
    do {
      try WireProtocol.send(command, body, to: routingID, on: backend, dontWait: true)
    } catch {
      logger.debug("instance gone, \(command) dropped", metadata: ["error": "\(error)"])
    }
  }
}
