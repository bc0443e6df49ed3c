import Gateway
import Testing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

@Suite("The gateway's routing, one turn of its loop at a time", .timeLimit(.minutes(1)))
struct GatewayTurnTests {
  @Test("a call given to an instance in the turn its Leave comes reaches it before the answer")
  func callReachesALeavingInstanceBeforeTheAnswerToItsLeave() throws {
    let commands = try withProbe(instances: ["instance"]) { probe, connections in
      probe.register("instance", as: "echo-1")
      probe.inOneTurn {
        probe.call(1, "Echo", echoRequest("hi").serializedBytes())
        probe.backend(
          [Array("instance".utf8)]
            + WireProtocol.frames(.leave, Tongxin_Rpc_Disconnect().serializedBytes()))
      }
      return try commandsReceived(by: connections["instance"]!)
    }
    #expect(commands == [.registered, .request, .leave])
  }

  @Test("an instance dropped twice does not take back the calls retried on another")
  func droppingTwiceTakesNothingBack() throws {
    let problems = try withProbe(instances: ["a", "b"]) { probe, _ in
      probe.register("a", as: "echo-a", maxConcurrency: 1)
      probe.register("b", as: "echo-b", maxConcurrency: 1)
      // Goes to "a", the least recently used; once "a" is dropped, it is retried on "b".
      probe.call(1, "Echo", echoRequest("hi").serializedBytes())
      probe.dropInstanceTwice(0)
      return probe.consistencyProblems() + (probe.pendingCalls == 1 ? [] : ["call not pending"])
    }
    #expect(problems == [])
  }

  @Test("a write given to an instance dropped in the same turn goes to another, never sent")
  func writeGivenInTheTurnOfTheDropIsRequeued() throws {
    let (problems, pending, commands) = try withProbe(instances: ["old", "new"]) {
      probe, connections in
      probe.register("old", as: "echo-1")
      probe.inOneTurn {
        // A write without an idempotency key: not safe to retry.
        probe.call(1, "Count", Tongxin_Echo_CountRequest().serializedBytes())
        // The instance reconnected: its old connection is dropped before the call left.
        probe.register("new", as: "echo-1")
      }
      return (
        probe.consistencyProblems(), probe.pendingCalls,
        try commandsReceived(by: connections["new"]!)
      )
    }
    #expect(problems == [])
    #expect(pending == 1, "the write was not failed UNAVAILABLE")
    #expect(commands == [.registered, .request], "it went to the instance's new connection")
  }

  @Test("a method is read-only only if every live version says so, whoever registered last")
  func readOnlyOnlyWhenEveryVersionSaysSo() throws {
    let (pending, problems) = try withProbe(instances: ["v1", "v2"]) { probe, _ in
      probe.register("v1", as: "echo-v1", maxConcurrency: 1)  // Count writes
      var later = Tongxin_Echo_Echo.description
      for index in later.methods.indices where later.methods[index].name == "Count" {
        later.methods[index].readOnly = true
      }
      probe.register("v2", as: "echo-v2", maxConcurrency: 1, description: later)
      // Goes to v1, the least recently used, which may apply it: once v1 is gone, it must not
      // run again on v2, which takes it for a read.
      probe.call(1, "Count", Tongxin_Echo_CountRequest().serializedBytes())
      probe.dropInstance(0)
      return (probe.pendingCalls, probe.consistencyProblems())
    }
    #expect(problems == [])
    #expect(pending == 0, "answered UNAVAILABLE, not retried on v2")
  }

  @Test("a call cancelled in the turn it came never reaches the instance, nor does its cancel")
  func callCancelledInItsTurnIsNeverSent() throws {
    let (commands, pending) = try withProbe(instances: ["instance"]) { probe, connections in
      probe.register("instance", as: "echo-1")
      probe.inOneTurn {
        probe.call(1, "Echo", echoRequest("hi").serializedBytes())
        probe.frontend(
          [Array("caller".utf8)]
            + WireProtocol.frames(
              .cancel, Tongxin_Rpc_Cancel.with { $0.callID = 1 }.serializedBytes()))
      }
      return (try commandsReceived(by: connections["instance"]!), probe.pendingCalls)
    }
    #expect(commands == [.registered])
    #expect(pending == 0)
  }
}

/// Runs `body` on a loop of its own with a probe of a default gateway and, connected to its
/// backend, a DEALER for each of `instances`, whose names are their routing ids.
private func withProbe<T>(
  instances: [String], _ body: @escaping (BrokerProbe, [String: Socket]) throws -> T
) throws -> T {
  let context = try ZMQContext()
  let loop = PollLoop(name: "turn-test")
  defer { loop.stop() }
  return try loop.runAndWait {
    let probe = try BrokerProbe(
      configuration: Broker.Configuration(), context: context, loop: loop,
      logger: quietLogger("turn-test"))
    var connections: [String: Socket] = [:]
    defer { for connection in connections.values { connection.close() } }
    for name in instances {
      let connection = try Socket(context: context, type: .dealer)
      try connection.setRoutingID(Array(name.utf8))
      try connection.connect(probe.backendEndpoint)
      connections[name] = connection
    }
    try probe.acceptPeers()
    return try body(probe, connections)
  }
}

/// The commands `socket` received until none came for 200 ms.
private func commandsReceived(by socket: Socket) throws -> [WireProtocol.Command?] {
  var commands: [WireProtocol.Command?] = []
  var items = [PollItem(socket: socket)]
  while try ZMQ.poll(&items, timeout: .milliseconds(200)) > 0,
    let frames = try socket.receive(dontWait: true)
  {
    commands.append(wireMessage(frames[...])?.command)
  }
  return commands
}

extension BrokerProbe {
  /// The connection `routingID` registers an echo instance.
  fileprivate func register(
    _ routingID: String, as instanceID: String, maxConcurrency: UInt32 = 4,
    description: Tongxin_Rpc_ServiceDescription = Tongxin_Echo_Echo.description
  ) {
    let registration = Tongxin_Rpc_RegisterInstance.with {
      $0.service = "echo"
      $0.instanceID = instanceID
      $0.maxConcurrency = maxConcurrency
      $0.description_p = description
    }
    backend(
      [Array(routingID.utf8)] + WireProtocol.frames(.register, registration.serializedBytes()))
  }

  /// The caller "caller" calls `echo.method`.
  fileprivate func call(_ callID: UInt64, _ method: String, _ payload: [UInt8]) {
    let header = Tongxin_Rpc_RequestHeader.with {
      $0.callID = callID
      $0.service = "echo"
      $0.method = method
    }
    frontend(
      [Array("caller".utf8)]
        + WireProtocol.frames(.request, header.serializedBytes(), payload: payload))
  }
}
