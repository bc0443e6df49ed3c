import Foundation
import Testing
@testable import TongxinRPC
import TongxinWire
import ZeroMQ

/// A client's calls always end, whatever its state and their options; a failed one leaves nothing.
@Suite("A client", .timeLimit(.minutes(1)))
struct ClientLifecycleTests {
  @Test("answers calls made after close() CANCELLED instead of never")
  func callsAfterCloseFail() async throws {
    let gateway = try fakeGateway()
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
    "sends a timeout longer than the wire carries as the longest it carries, without trapping",
    arguments: [Duration.seconds(Int64.max), .seconds(Int64.max / 1000 + 1), .seconds(-5)])
  func hugeAndNegativeTimeouts(timeout: Duration) async throws {
    let gateway = try fakeGateway()
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

  @Test("that could not be made leaves no thread behind")
  func failedInitLeavesNoThread() async throws {
    let before = threads(named: "tongxin-client")
    for _ in 0..<50 {
      #expect(throws: ZMQError.self) {
        _ = try RPCClient(endpoint: "tcp://127.0.0.1", logger: quietLogger("client"))  // no port
      }
    }
    // Other tests' clients come and go meanwhile: 50 kept threads stand out of that.
    var after = threads(named: "tongxin-client")
    for _ in 0..<100 where after - before >= 25 {
      try await Task.sleep(for: .milliseconds(50))
      after = threads(named: "tongxin-client")
    }
    #expect(after - before < 25, "\(before) loop threads before, \(after) after")
  }

  private func threads(named name: String) -> Int {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.count { task in
      let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
      return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == name
    }
  }
}

@Suite("A client's requests", .timeLimit(.minutes(1)))
struct ClientRequestTests {
  @Test("leave at the end of the loop's turn, unless their call ended in it: then nothing does")
  func aCallEndedInItsTurnNeverLeaves() async throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let client = try RPCClient(endpoint: gateway.lastEndpoint, logger: quietLogger("client"))
    defer { client.close() }
    // Already past: its timer runs in the turn that starts it, before the turn ends.
    let expired = await #expect(throws: RPCError.self) {
      _ = try await client.call(
        service: "echo", method: "Echo", payload: [1], options: CallOptions(timeout: .seconds(-5)))
    }
    #expect(expired?.code == .deadlineExceeded)
    let call = Task {
      try await client.call(
        service: "echo", method: "Echo", payload: [2], options: CallOptions(timeout: .seconds(10)))
    }
    // The first message the gateway sees is the second call: no request, no cancel before it.
    let frames = try #require(try await receiveFrames(gateway))
    let message = try #require(wireMessage(frames.dropFirst()))
    #expect(message.command == .request)
    #expect(message.payload == [2])
    call.cancel()
    _ = try? await call.value
  }

  @Test("of a client closed and released in the same turn of its loop are dropped, not sent")
  func clientReleasedInTheTurnOfACall() throws {
    let gateway = try fakeGateway()
    defer { gateway.close() }
    let loop = PollLoop(name: "client-release")
    defer { loop.stop() }
    try loop.runAndWait {
      let core = try ClientCore(
        configuration: RPCClient.Configuration(endpoint: gateway.lastEndpoint),
        context: .tongxinShared, loop: loop, logger: quietLogger("client"))
      core.start(OutgoingCall(id: 1, header: [], payload: [], deadline: .now + .seconds(10)))
      core.close()
    }
    // The core is gone once that work returned; the turn ends after it, and so does the loop
    // that would have trapped on a dangling reference.
    #expect(try loop.runAndWait { true })
  }
}
