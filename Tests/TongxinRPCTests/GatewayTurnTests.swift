import Gateway
import Testing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

@Suite("What the gateway holds back in a turn of its loop", .timeLimit(.minutes(1)))
struct GatewayTurnTests {
  @Test("a call given to an instance in the turn its Leave comes reaches it before the answer")
  func callReachesALeavingInstanceBeforeTheAnswerToItsLeave() throws {
    let context = try ZMQContext()
    let loop = PollLoop(name: "turn-test")
    defer { loop.stop() }
    let commands = try loop.runAndWait { () -> [UInt8] in
      let probe = try BrokerProbe(
        configuration: Broker.Configuration(), context: context, loop: loop,
        logger: quietLogger("turn-test"))
      let instance = try Socket(context: context, type: .dealer)
      defer { instance.close() }
      let instanceID = Array("instance".utf8)
      try instance.setRoutingID(instanceID)
      try instance.connect(probe.backendEndpoint)
      try probe.acceptPeers()

      let registration = Tongxin_Rpc_RegisterInstance.with {
        $0.service = "echo"
        $0.instanceID = "echo-1"
        $0.maxConcurrency = 4
        $0.description_p = Tongxin_Echo_Echo.description
      }
      probe.backend([instanceID] + WireProtocol.frames(.register, registration.serializedBytes()))
      let header = Tongxin_Rpc_RequestHeader.with {
        $0.callID = 1
        $0.service = "echo"
        $0.method = "Echo"
      }
      probe.inOneTurn {
        probe.frontend(
          [Array("caller".utf8)]
            + WireProtocol.frames(
              .request, header.serializedBytes(), payload: echoRequest("hi").serializedBytes()))
        probe.backend(
          [instanceID] + WireProtocol.frames(.leave, Tongxin_Rpc_Disconnect().serializedBytes()))
      }
      // What the instance received, by command: the byte after the version.
      var commands: [UInt8] = []
      var items = [PollItem(socket: instance)]
      while try ZMQ.poll(&items, timeout: .seconds(1)) > 0,
        let frames = try instance.receive(dontWait: true)
      {
        commands.append(wireMessage(frames[...])?.command.rawValue ?? 0)
      }
      return commands
    }
    let registered = WireProtocol.Command.registered.rawValue
    let request = WireProtocol.Command.request.rawValue
    let leave = WireProtocol.Command.leave.rawValue
    #expect(commands == [registered, request, leave])
  }

  @Test("an instance dropped twice does not take back the calls retried on another")
  func droppingTwiceTakesNothingBack() throws {
    let context = try ZMQContext()
    let loop = PollLoop(name: "turn-test")
    defer { loop.stop() }
    let problems = try loop.runAndWait { () -> [String] in
      let probe = try BrokerProbe(
        configuration: Broker.Configuration(), context: context, loop: loop,
        logger: quietLogger("turn-test"))
      var instances: [Socket] = []
      defer { for instance in instances { instance.close() } }
      for name in ["a", "b"] {
        let instance = try Socket(context: context, type: .dealer)
        try instance.setRoutingID(Array(name.utf8))
        try instance.connect(probe.backendEndpoint)
        instances.append(instance)
      }
      try probe.acceptPeers()
      for name in ["a", "b"] {
        let registration = Tongxin_Rpc_RegisterInstance.with {
          $0.service = "echo"
          $0.instanceID = "echo-\(name)"
          $0.maxConcurrency = 1
          $0.description_p = Tongxin_Echo_Echo.description
        }
        probe.backend(
          [Array(name.utf8)] + WireProtocol.frames(.register, registration.serializedBytes()))
      }
      let header = Tongxin_Rpc_RequestHeader.with {
        $0.callID = 1
        $0.service = "echo"
        $0.method = "Echo"
      }
      // Goes to "a", the least recently used; once "a" is dropped, it is retried on "b".
      probe.frontend(
        [Array("caller".utf8)]
          + WireProtocol.frames(
            .request, header.serializedBytes(), payload: echoRequest("hi").serializedBytes()))
      probe.dropInstanceTwice(0)
      return probe.consistencyProblems() + (probe.pendingCalls == 1 ? [] : ["call not pending"])
    }
    #expect(problems == [])
  }

  @Test("a write given to an instance dropped in the same turn goes to another, never sent")
  func writeGivenInTheTurnOfTheDropIsRequeued() throws {
    let context = try ZMQContext()
    let loop = PollLoop(name: "turn-test")
    defer { loop.stop() }
    let (problems, pending, received) = try loop.runAndWait { () -> ([String], Int, Int) in
      let probe = try BrokerProbe(
        configuration: Broker.Configuration(), context: context, loop: loop,
        logger: quietLogger("turn-test"))
      var connections: [Socket] = []
      defer { for connection in connections { connection.close() } }
      for name in ["old", "new"] {
        let connection = try Socket(context: context, type: .dealer)
        try connection.setRoutingID(Array(name.utf8))
        try connection.connect(probe.backendEndpoint)
        connections.append(connection)
      }
      try probe.acceptPeers()
      let registration = Tongxin_Rpc_RegisterInstance.with {
        $0.service = "echo"
        $0.instanceID = "echo-1"
        $0.maxConcurrency = 4
        $0.description_p = Tongxin_Echo_Echo.description
      }
      probe.backend([Array("old".utf8)] + WireProtocol.frames(.register, registration.serializedBytes()))
      _ = try connections[0].receive()  // REGISTERED
      let header = Tongxin_Rpc_RequestHeader.with {
        $0.callID = 1
        $0.service = "echo"
        $0.method = "Count"  // a write without an idempotency key: not safe to retry
      }
      probe.inOneTurn {
        probe.frontend(
          [Array("caller".utf8)]
            + WireProtocol.frames(
              .request, header.serializedBytes(),
              payload: Tongxin_Echo_CountRequest().serializedBytes()))
        // The instance reconnected: its old connection is dropped before the call left.
        probe.backend(
          [Array("new".utf8)] + WireProtocol.frames(.register, registration.serializedBytes()))
      }
      var requests = 0
      var items = [PollItem(socket: connections[1])]
      while try ZMQ.poll(&items, timeout: .milliseconds(200)) > 0,
        let frames = try connections[1].receive(dontWait: true)
      {
        if wireMessage(frames[...])?.command == .request { requests += 1 }
      }
      return (probe.consistencyProblems(), probe.pendingCalls, requests)
    }
    #expect(problems == [])
    #expect(pending == 1, "the write was not failed UNAVAILABLE")
    #expect(received == 1, "it went to the instance's new connection")
  }

  @Test("a call cancelled in the turn it came never reaches the instance, nor does its cancel")
  func callCancelledInItsTurnIsNeverSent() throws {
    let context = try ZMQContext()
    let loop = PollLoop(name: "turn-test")
    defer { loop.stop() }
    let (received, pending) = try loop.runAndWait { () -> ([UInt8], Int) in
      let probe = try BrokerProbe(
        configuration: Broker.Configuration(), context: context, loop: loop,
        logger: quietLogger("turn-test"))
      let instance = try Socket(context: context, type: .dealer)
      defer { instance.close() }
      try instance.setRoutingID(Array("instance".utf8))
      try instance.connect(probe.backendEndpoint)
      try probe.acceptPeers()
      let registration = Tongxin_Rpc_RegisterInstance.with {
        $0.service = "echo"
        $0.instanceID = "echo-1"
        $0.maxConcurrency = 4
        $0.description_p = Tongxin_Echo_Echo.description
      }
      probe.backend(
        [Array("instance".utf8)] + WireProtocol.frames(.register, registration.serializedBytes()))
      let header = Tongxin_Rpc_RequestHeader.with {
        $0.callID = 1
        $0.service = "echo"
        $0.method = "Echo"
      }
      let caller = Array("caller".utf8)
      probe.inOneTurn {
        probe.frontend(
          [caller]
            + WireProtocol.frames(
              .request, header.serializedBytes(), payload: echoRequest("hi").serializedBytes()))
        probe.frontend(
          [caller]
            + WireProtocol.frames(
              .cancel, Tongxin_Rpc_Cancel.with { $0.callID = 1 }.serializedBytes()))
      }
      var commands: [UInt8] = []
      var items = [PollItem(socket: instance)]
      while try ZMQ.poll(&items, timeout: .milliseconds(200)) > 0,
        let frames = try instance.receive(dontWait: true)
      {
        commands.append(wireMessage(frames[...])?.command.rawValue ?? 0)
      }
      return (commands, probe.pendingCalls)
    }
    #expect(received == [WireProtocol.Command.registered.rawValue])
    #expect(pending == 0)
  }
}
