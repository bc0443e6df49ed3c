import Logging
import TongxinMessages
import TongxinRPC
import ZeroMQ

/// The gateway's handling of messages, without its network: for the fuzz harness
/// (`Sources/TongxinFuzzing`) and its tests, not for production code.
///
/// It holds a real `BrokerCore` with real sockets, bound to in-process endpoints only, that is
/// never started: nothing is received, and messages are handed to `handleFrontend` and
/// `handleBackend` directly, as the poll loop does after receiving them. What the gateway
/// sends goes out through its sockets as usual (to unknown peers it fails, as it would for
/// peers that left). Time is played by `expireCall` and `dropInstance`, which run the code of
/// a call's deadline timer and of the heartbeat check that finds an instance silent.
///
/// Everything here must run on the thread of `loop`, which must not be running anything else
/// that uses the probe.
package final class BrokerProbe {
  private let core: BrokerCore

  /// A broker with `configuration` (its endpoints replaced by in-process ones).
  package init(
    configuration: Broker.Configuration, context: ZMQContext, loop: PollLoop, logger: Logger
  ) throws {
    var configuration = configuration
    let unique = UInt64.random(in: 0...UInt64.max)
    configuration.frontendEndpoint = "inproc://tongxin-probe-frontend-\(unique)"
    configuration.backendEndpoint = "inproc://tongxin-probe-backend-\(unique)"
    core = try BrokerCore(configuration: configuration, context: context, loop: loop, logger: logger)
  }

  /// Where test peers connect a DEALER (with a routing id) so the gateway can reach them.
  package var frontendEndpoint: String { core.frontendEndpoint }
  package var backendEndpoint: String { core.backendEndpoint }

  /// Lets the sockets take in the peers that connected (a poll does: a send may not yet,
  /// since libzmq looks at new connections at most every millisecond when sending).
  package func acceptPeers() throws {
    var items = [PollItem(socket: core.frontend), PollItem(socket: core.backend)]
    try ZMQ.poll(&items, timeout: .zero)
  }

  // Each event below is followed by the end of the loop's turn, when the gateway sends what
  // it held back in it, except inside `inOneTurn`.
  private var turnOpen = false

  /// Runs `events` as if the loop had received them all in one turn, which ends after them.
  package func inOneTurn(_ events: () throws -> Void) rethrows {
    turnOpen = true
    defer {
      turnOpen = false
      core.endTurn()
    }
    try events()
  }

  private func endTurn() {
    if !turnOpen { core.endTurn() }
  }

  /// A message received on the frontend: `[routing id, version, command, ...]`.
  package func frontend(_ frames: [[UInt8]]) {
    core.handleFrontend(frames)
    endTurn()
  }

  /// A message received on the backend: `[routing id, version, command, ...]`.
  package func backend(_ frames: [[UInt8]]) {
    core.handleBackend(frames)
    endTurn()
  }

  package var pendingCalls: Int { core.pending.count }
  package var instanceCount: Int { core.instances.count }

  /// The deadline of a pending call passes (the `index`-th by gateway call id, modulo).
  package func expireCall(_ index: Int) {
    let ids = core.pending.keys.sorted()
    guard !ids.isEmpty, let call = core.pending[ids[index % ids.count]] else { return }
    // `expire` is what the call's timer runs; the timer has not fired, so cancel it first.
    if let timer = call.timer { core.loop.cancel(timer) }
    core.expire(call.id)
    endTurn()
  }

  /// An instance goes silent and is dropped (the `index`-th by routing id, modulo).
  package func dropInstance(_ index: Int) {
    let ids = core.instances.keys.sorted { $0.lexicographicallyPrecedes($1) }
    guard !ids.isEmpty, let instance = core.instances[ids[index % ids.count]] else { return }
    core.drop(instance)
    endTurn()
  }

  /// Drops an instance like `dropInstance`, then the same record again: as a walk over a
  /// snapshot of the instances (the heartbeat check's) meets one that went while it walked.
  package func dropInstanceTwice(_ index: Int) {
    let ids = core.instances.keys.sorted { $0.lexicographicallyPrecedes($1) }
    guard !ids.isEmpty, let instance = core.instances[ids[index % ids.count]] else { return }
    core.drop(instance)
    endTurn()
    core.drop(instance)
    endTurn()
  }

  /// Every deadline passes and every instance goes silent; then closes the sockets.
  /// Afterwards nothing may be left: see `consistencyProblems()`.
  package func finish() {
    while !core.pending.isEmpty { expireCall(0) }
    while !core.instances.isEmpty { dropInstance(0) }
    core.frontend.close()
    core.backend.close()
  }

  /// What is inconsistent in the routing state; empty when all is well.
  package func consistencyProblems() -> [String] {
    var problems: [String] = []
    var byClient = 0
    for (client, calls) in core.clients {
      if calls.byCallerID.isEmpty { problems.append("caller \(client) kept without calls") }
      for (callerID, id) in calls.byCallerID {
        let call = core.pending[id]
        if call?.client != client || call?.header.callID != callerID || call?.clientCalls !== calls {
          problems.append("caller \(client) names call \(id), which is not pending as its")
        }
      }
      byClient += calls.byCallerID.count
    }
    if byClient != core.pending.count {
      problems.append("\(core.pending.count) calls pending, \(byClient) by caller")
    }
    var queued: [UInt64: Int] = [:]
    for state in core.services.values {
      for id in state.queue {
        guard let call = core.pending[id] else { continue }  // removed lazily
        queued[id, default: 0] += 1
        if call.header.service != state.name {
          problems.append(
            "call \(id) of service \"\(call.header.service)\" queued for \"\(state.name)\"")
        }
      }
      for instance in state.instances {
        if core.instances[instance.routingID] !== instance || instance.service != state.name {
          problems.append("service \"\(state.name)\" lists instance \(instance.instanceID) wrongly")
        }
      }
    }
    for call in core.pending.values {
      if call.timer == nil { problems.append("call \(call.id) has no deadline timer") }
      if let routingID = call.instance {
        if core.instances[routingID]?.inFlight.contains(call.id) != true {
          problems.append("call \(call.id) is at an instance that does not have it")
        }
        if queued[call.id] != nil { problems.append("call \(call.id) is both queued and sent") }
      } else if queued[call.id] != 1 {
        problems.append("call \(call.id) waits in \(queued[call.id] ?? 0) queues, not 1")
      }
    }
    for (routingID, instance) in core.instances {
      if instance.routingID != routingID {
        problems.append("instance \(instance.instanceID) is filed under another routing id")
      }
      if core.services[instance.service]?.instances.contains(where: { $0 === instance }) != true {
        problems.append("instance \(instance.instanceID) is missing from its service")
      }
      for id in instance.inFlight where core.pending[id]?.instance != routingID {
        problems.append("instance \(instance.instanceID) holds call \(id), which is not its")
      }
      // PROTOCOL.md: the gateway routes a method to the instances that list it.
      if !instance.draining, let state = core.services[instance.service] {
        for method in instance.methods.sorted() where !state.knows(method: method) {
          problems.append(
            "\(instance.service).\(method) is refused as unknown, yet instance "
              + "\(instance.instanceID) serves it")
        }
      }
    }
    // Memory that callers could grow at will: statistics only for methods that exist (or
    // did: instances come and go), and few services awaited in the start-up grace.
    let systemMethods = Set(Tongxin_System_System.description.methods.map(\.name))
    for key in core.statistics.keys {
      let existed =
        key.service == SystemService.name
        ? systemMethods.contains(key.method) : core.services[key.service]?.description != nil
      if !existed {
        problems.append("statistics kept for \"\(key.service).\(key.method)\", which never existed")
      }
    }
    let awaited = core.services.values.count { $0.description == nil }
    if awaited > core.configuration.maxAwaitedServices {
      problems.append(
        "\(awaited) services awaited, more than \(core.configuration.maxAwaitedServices)")
    }
    return problems
  }
}
