import Echo
import Testing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

/// An instance's life against a gateway played by a test's ROUTER socket: what it sends, and
/// that `run()` always returns.
@Suite("An instance's life", .timeLimit(.minutes(1)))
struct InstanceLifecycleTests {
  @Test("told to drain before it started returns at once")
  func drainBeforeStart() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let server = try makeServer(gateway)
    let task = Task {
      // Cancelled before run() starts: its cancellation handler runs before its body.
      while !Task.isCancelled { await Task.yield() }
      try await server.run()
    }
    task.cancel()
    try await task.value
  }

  @Test("an endpoint it cannot connect to ends run() with the reason")
  func badEndpoint() async throws {
    var configuration = RPCServer.Configuration(gatewayEndpoint: "tcp://127.0.0.1")  // no port
    configuration.instanceID = "echo-bad-endpoint"
    let server = RPCServer(
      service: EchoService(), configuration: configuration, logger: quietLogger("instance"))
    let error = await #expect(throws: RPCError.self) { try await server.run() }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("tcp://127.0.0.1") == true, "\(String(describing: error))")
  }

  @Test("drained while registering tells the gateway it leaves, and goes once answered")
  func drainWhileRegistering() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let server = try makeServer(gateway)
    let task = Task { try await server.run() }
    // The registration reached the gateway, which may route calls to it from now on.
    let register = try #require(try await receiveFrames(gateway) { command($0) == .register })
    task.cancel()
    _ = try #require(try await receiveFrames(gateway) { command($0) == .leave })
    try gateway.send(
      [register[0]] + WireProtocol.frames(.leave, Tongxin_Rpc_Disconnect().serializedBytes()))
    try await task.value
  }

  @Test("stops the calls of a connection the gateway forgot, freeing their slots")
  func forgottenCallsFreeTheirSlots() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let server = try makeServer(gateway)
    let task = Task { try await server.run() }
    defer { task.cancel() }
    let instance = try await acceptRegistration(on: gateway)
    // Call 7 holds the only slot for a minute.
    try gateway.send([instance] + work(callID: 7, milliseconds: 60_000))
    try await Task.sleep(for: .milliseconds(100))
    // The gateway forgot the instance (it answered or retried call 7 elsewhere), and the
    // instance registers again. The next call has id 7 too (rare, each gateway run numbering
    // from a random start): whatever answers it must be its own handler.
    try gateway.send(
      [instance] + WireProtocol.frames(.disconnect, Tongxin_Rpc_Disconnect().serializedBytes()))
    _ = try await acceptRegistration(on: gateway)
    try gateway.send([instance] + work(callID: 7, milliseconds: 10))
    let reply = try #require(try await receiveFrames(gateway) { command($0) == .response })
    let message = try #require(wireMessage(reply.dropFirst()))
    let header = try Tongxin_Rpc_ResponseHeader(serializedBytes: message.body)
    #expect(header.callID == 7)
    #expect(header.code == .ok)
    let response = try Tongxin_Echo_WorkResponse(serializedBytes: message.payload)
    #expect(response.finished, "the answer is the new call's, not the abandoned one's")
    // Nothing more: the forgotten call's end is not reported to anyone.
    #expect(try await receiveFrames(gateway, timeout: .milliseconds(300)) {
      command($0) == .response
    } == nil)
  }

  @Test("DISCONNECTs while it registers bring one REGISTER per heartbeat interval, not one each")
  func disconnectsWhileRegistering() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let server = try makeServer(gateway)  // heartbeat interval: 1 s
    let task = Task { try await server.run() }
    defer { task.cancel() }
    let register = try #require(try await receiveFrames(gateway) { command($0) == .register })
    // A gateway that does not know the instance yet answers each of its messages so.
    let disconnect = WireProtocol.frames(.disconnect, Tongxin_Rpc_Disconnect().serializedBytes())
    for _ in 0..<20 { try gateway.send([register[0]] + disconnect) }
    var registers = 0
    while try await receiveFrames(gateway, timeout: .milliseconds(500), until: {
      command($0) == .register
    }) != nil {
      registers += 1
    }
    #expect(registers <= 1, "\(registers) REGISTERs for 20 DISCONNECTs within 0.5 s")
  }

  @Test("a handler that throws OK answers INTERNAL, not an empty success")
  func handlerThrowingOK() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    var configuration = RPCServer.Configuration(gatewayEndpoint: try gateway.lastEndpoint)
    configuration.instanceID = "echo-throws-ok"
    let server = RPCServer(
      service: ThrowsOK(), configuration: configuration, logger: quietLogger("instance"))
    let task = Task { try await server.run() }
    defer { task.cancel() }
    let instance = try await acceptRegistration(on: gateway)
    var header = Tongxin_Rpc_RequestHeader()
    header.callID = 1
    header.service = "echo"
    header.method = "Echo"
    header.timeoutMs = 10_000
    try gateway.send(
      [instance]
        + WireProtocol.frames(
          .request, header.serializedBytes(), payload: echoRequest("x").serializedBytes()))
    let reply = try #require(try await receiveFrames(gateway) { command($0) == .response })
    let message = try #require(wireMessage(reply.dropFirst()))
    let response = try Tongxin_Rpc_ResponseHeader(serializedBytes: message.body)
    #expect(response.code == .internal)
  }

  private func makeServer(_ gateway: Socket) throws -> RPCServer {
    var configuration = RPCServer.Configuration(gatewayEndpoint: try gateway.lastEndpoint)
    configuration.instanceID = "echo-lifecycle"
    configuration.maxConcurrency = 1
    return RPCServer(
      service: EchoService(), configuration: configuration, logger: quietLogger("instance"))
  }

  private func command(_ frames: [[UInt8]]) -> WireProtocol.Command? {
    wireMessage(frames.dropFirst())?.command
  }

  private func work(callID: UInt64, milliseconds: UInt32) -> [[UInt8]] {
    var header = Tongxin_Rpc_RequestHeader()
    header.callID = callID
    header.service = "echo"
    header.method = "Work"
    header.timeoutMs = 120_000
    let request = Tongxin_Echo_WorkRequest.with { $0.milliseconds = milliseconds }
    return WireProtocol.frames(
      .request, header.serializedBytes(), payload: request.serializedBytes())
  }
}

/// Echo's description with one handler, which throws a "failure" with the code OK.
private struct ThrowsOK: RPCService {
  var serviceDescription: Tongxin_Rpc_ServiceDescription { Tongxin_Echo_Echo.description }

  func registerMethods(with router: inout RPCRouter) {
    router.register(Tongxin_Echo_Echo.Method.Echo.descriptor) {
      (_: Tongxin_Echo_EchoRequest, _) -> Tongxin_Echo_EchoResponse in
      throw RPCError(code: .ok, message: "not a failure")
    }
  }
}
