import Testing
import TongxinRPC
import TongxinWire
import ZeroMQ

/// A client's calls always end, whatever the client's state and whatever the options.
@Suite("A client's calls", .timeLimit(.minutes(1)))
struct ClientLifecycleTests {
  @Test("made after close() fail with CANCELLED instead of waiting forever")
  func callsAfterCloseFail() async throws {
    let gateway = try Socket(context: .tongxinShared, type: .router)
    try gateway.bind("tcp://127.0.0.1:*")
    defer { gateway.close() }
    let client = try RPCClient(endpoint: gateway.lastEndpoint, logger: quietLogger("client"))
    client.close()
    // The loop may still be ending or have ended: both must answer.
    for attempt in 0..<3 {
      let error = await #expect(throws: RPCError.self) {
        _ = try await client.call(service: "echo", method: "Echo", payload: [])
      }
      #expect(error?.code == .cancelled)
      #expect(error?.message == "client closed")
      if attempt == 0 { try await Task.sleep(for: .milliseconds(100)) }
    }
  }

  @Test(
    "with a timeout past what the wire carries wait for the gateway, not trap",
    arguments: [Duration.seconds(Int64.max), .seconds(Int64.max / 1000 + 1), .seconds(-5)])
  func hugeAndNegativeTimeouts(timeout: Duration) async throws {
    let gateway = try Socket(context: .tongxinShared, type: .router)
    try gateway.bind("tcp://127.0.0.1:*")
    defer { gateway.close() }
    let client = try RPCClient(endpoint: gateway.lastEndpoint, logger: quietLogger("client"))
    defer { client.close() }
    let call = Task {
      try await client.call(
        service: "echo", method: "Echo", payload: [], options: CallOptions(timeout: timeout))
    }
    if timeout < .zero {
      // Already past: the client ends it as soon as its timer runs.
      let error = await #expect(throws: RPCError.self) { _ = try await call.value }
      #expect(error?.code == .deadlineExceeded)
      return
    }
    // The request reaches the gateway with the longest timeout the header holds.
    let frames = try #require(try await receiveFrames(gateway))
    let message = try #require(wireMessage(frames.dropFirst()))
    let header = try Tongxin_Rpc_RequestHeader(serializedBytes: message.body)
    #expect(header.timeoutMs == UInt32.max)
    call.cancel()
    let error = await #expect(throws: RPCError.self) { _ = try await call.value }
    #expect(error?.code == .cancelled)
  }
}
