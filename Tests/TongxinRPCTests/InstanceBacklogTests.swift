import Testing
import Echo
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

/// An instance starts a handler on its loop thread as the call arrives, and a handler that
/// never suspends ends inside that start. When slow calls hold every slot and thousands of
/// quick ones wait behind them (a gateway that ignores `max_concurrency`), each quick call's
/// end must not start the next one inside it: nested call by call, that overflowed the stack.
@Suite("An instance with a backlog of calls")
struct InstanceBacklogTests {
  @Test("5 000 quick calls waiting behind 2 slow ones, at an instance that runs 2, are answered")
  func backlogIsServed() async throws {
    let gateway = try Socket(context: .tongxinShared, type: .router)
    try gateway.setSendHighWaterMark(100_000)
    try gateway.setReceiveHighWaterMark(100_000)
    try gateway.bind("tcp://127.0.0.1:*")
    var configuration = RPCServer.Configuration(gatewayEndpoint: try gateway.lastEndpoint)
    configuration.instanceID = "echo-backlog"
    configuration.maxConcurrency = 2
    configuration.drainTimeout = .milliseconds(100)  // this gateway never acknowledges LEAVE
    let server = RPCServer(
      service: EchoService(), configuration: configuration, logger: quietLogger("instance"))
    let task = Task { try await server.run() }

    let instance = try await acceptRegistration(on: gateway)

    let calls = 5_002
    let slow = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 300 }.serializedBytes()
    let quick = Tongxin_Echo_EchoRequest.with { $0.text = "同心" }.serializedBytes()
    for id in 1...calls {
      var header = Tongxin_Rpc_RequestHeader()
      header.callID = UInt64(id)
      header.service = "echo"
      header.method = id <= 2 ? "Work" : "Echo"
      header.timeoutMs = 60_000
      try gateway.send(
        [instance]
          + WireProtocol.frames(
            .request, header.serializedBytes(), payload: id <= 2 ? slow : quick))
    }
    var answered = Set<UInt64>()
    while answered.count < calls {
      let response = try #require(
        try await receiveFrames(gateway) { wireMessage($0.dropFirst())?.command == .response }
          .flatMap { wireMessage($0.dropFirst()) },
        "\(answered.count) of \(calls) calls answered")
      let header = try Tongxin_Rpc_ResponseHeader(serializedBytes: response.body)
      #expect(header.code == .ok)
      answered.insert(header.callID)
    }
    #expect(answered == Set(1...UInt64(calls)))
    task.cancel()
    _ = try? await task.value
    gateway.close()
  }
}
