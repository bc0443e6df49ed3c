import Echo
import Synchronization
import Testing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

/// Once a drain times out, the instance is finished: the gateway has been told it left and
/// answers or retries its calls elsewhere. A call still waiting for a slot must not start
/// then, when the abandoned call's handler ends: its reply would go nowhere and a write
/// would be done twice.
@Suite("An instance whose drain times out")
struct DrainTimeoutTests {
  @Test("starts none of the calls that were waiting for a slot")
  func waitingCallsDoNotStartAfterTheDrainTimesOut() async throws {
    let gateway = try fakeGateway()
    var configuration = RPCServer.Configuration(gatewayEndpoint: try gateway.lastEndpoint)
    configuration.instanceID = "echo-drain-timeout"
    configuration.maxConcurrency = 1
    configuration.drainTimeout = .milliseconds(200)  // this gateway never acknowledges LEAVE
    let service = CountingEcho()
    let server = RPCServer(
      service: service, configuration: configuration, logger: quietLogger("instance"))
    let task = Task { try await server.run() }
    let instance = try await acceptRegistration(on: gateway)

    // One call holds the only slot far beyond the drain's time; three wait behind it.
    let slow = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 30_000 }.serializedBytes()
    let quick = Tongxin_Echo_EchoRequest.with { $0.text = "同心" }.serializedBytes()
    for id in 1...4 {
      var header = Tongxin_Rpc_RequestHeader()
      header.callID = UInt64(id)
      header.service = "echo"
      header.method = id == 1 ? "Work" : "Echo"
      header.timeoutMs = 60_000
      let payload = id == 1 ? slow : quick
      try gateway.send(
        [instance] + WireProtocol.frames(.request, header.serializedBytes(), payload: payload))
    }
    #expect(try await waitUntil { service.started.withLock { $0 } == ["Work"] })

    task.cancel()  // drains
    _ = try? await task.value
    // The abandoned handler ends on the instance's loop once cancelled; give it the time.
    try await Task.sleep(for: .milliseconds(300))
    #expect(service.started.withLock { $0 } == ["Work"])
    gateway.close()
  }

  private func waitUntil(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
    return condition()
  }
}

/// The echo service, noting which handlers started.
private final class CountingEcho: Tongxin_Echo_Echo.ServiceProtocol {
  let started = Mutex<[String]>([])
  private let echo = EchoService()

  func echo(_ request: Tongxin_Echo_EchoRequest, context: ServerContext) async throws
    -> Tongxin_Echo_EchoResponse
  {
    started.withLock { $0.append("Echo") }
    return try await echo.echo(request, context: context)
  }

  func work(_ request: Tongxin_Echo_WorkRequest, context: ServerContext) async throws
    -> Tongxin_Echo_WorkResponse
  {
    started.withLock { $0.append("Work") }
    return try await echo.work(request, context: context)
  }

  func fail(_ request: Tongxin_Echo_FailRequest, context: ServerContext) async throws
    -> Tongxin_Echo_FailResponse
  {
    try await echo.fail(request, context: context)
  }

  func mirror(_ request: Tongxin_Echo_Sample, context: ServerContext) async throws
    -> Tongxin_Echo_Sample
  {
    try await echo.mirror(request, context: context)
  }

  func count(_ request: Tongxin_Echo_CountRequest, context: ServerContext) async throws
    -> Tongxin_Echo_CountResponse
  {
    try await echo.count(request, context: context)
  }
}
