import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// Vanishing peers (issue 8): a caller that goes away mid-call and an instance that freezes
/// (keeps its connection, stops heartbeating) leave no pending call behind.
///
/// A caller whose connection simply drops (no goodbye) is covered in TongxinRPCTests
/// (`BadInputTests.callerVanishes`): its calls end when their work or deadline does.
@Suite("Vanishing peers", .serialized)
struct VanishingPeerTests {
  @Test("a client closed with calls queued and at a slow instance leaves nothing pending")
  func clientClosesMidCall() async throws {
    let system = try await LocalSystem.start(services: ["echo": 1])
    do {
      let probe = SystemProbe(system: system)
      let leaving = try system.makeClient()
      let echo = Tongxin_Echo_Echo.Client(wrapping: leaving)
      // 16 at the instance (its concurrency), 24 queued; each would take 20 s.
      let calls = (0..<40).map { _ in
        Task {
          await statusCode {
            _ = try await echo.work(
              .with { $0.milliseconds = 20_000 }, options: CallOptions(timeout: .seconds(60)))
          }
        }
      }
      try await probe.waitUntil("40 calls pending") { try await probe.pendingCalls() == 40 }
      #expect(try await probe.instance("echo-1", of: "echo")?.inFlight == 16)
      leaving.close()
      for call in calls { #expect(await call.value == .cancelled) }
      // Well before the 20 s of work: the gateway was told, and told the instance.
      let settled = try await probe.waitUntilNothingPending(timeout: .seconds(10))
      try await probe.waitUntil("echo-1 idle") {
        try await probe.service("echo").map { $0.queued == 0 && $0.instances.first?.inFlight == 0 }
          ?? false
      }
      print("vanishing client: 40 calls pending, 0 pending \(settled.ms) after close")
      // The instance's slots are free again.
      let reply = try await Tongxin_Echo_Echo.Client(wrapping: system.client).work(
        .with { $0.milliseconds = 10 }, options: CallOptions(timeout: .seconds(5)))
      #expect(reply.finished)
      #expect(try await probe.pendingCalls() == 0)
    } catch {
      await system.stop()
      throw error
    }
    await system.stop()
  }

  @Test("a frozen instance is dropped after its liveness, its calls finish elsewhere, nothing stays pending")
  func frozenInstance() async throws {
    // 250 ms heartbeats, dropped after 12 missed: 3 s, generous for a loaded machine.
    let system = try await LocalSystem.start(
      services: ["echo": 2], gatewayArguments: ["--heartbeat-ms", "250", "--liveness", "12"])
    do {
      try await freezeOne(system)
    } catch {
      system.instance("echo-1")?.signal(SIGCONT)
      await system.stop()
      throw error
    }
    await system.stop()
  }

  private func freezeOne(_ system: LocalSystem) async throws {
    let probe = SystemProbe(system: system)
    let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)
    let frozen = try #require(system.instance("echo-1"))
    // Reads, safe to retry: the gateway spreads them over both instances.
    let first = (0..<20).map { _ in
      Task {
        try await echo.work(
          .with { $0.milliseconds = 1_500 }, options: CallOptions(timeout: .seconds(30)))
      }
    }
    try await probe.waitUntil("echo-1 holds calls") {
      try await probe.instance("echo-1", of: "echo")?.inFlight ?? 0 > 0
    }
    frozen.signal(SIGSTOP)
    try await waitUntilStopped(frozen.pid)
    let frozenAt = ContinuousClock.now
    let held = try await probe.instance("echo-1", of: "echo")?.inFlight ?? 0
    // Calls made while the gateway still thinks it alive may go to it too.
    let second = (0..<10).map { _ in
      Task {
        try await echo.work(
          .with { $0.milliseconds = 100 }, options: CallOptions(timeout: .seconds(30)))
      }
    }
    let dropped = try await probe.waitUntil("echo-1 dropped") {
      try await probe.instance("echo-1", of: "echo") == nil
    }
    var answeredBy: [String: Int] = [:]
    for call in first + second {
      let reply = try await call.value
      #expect(reply.finished)
      answeredBy[reply.instanceID, default: 0] += 1
    }
    let settled = try await probe.waitUntilNothingPending()
    print(
      """
      frozen instance: echo-1 stopped holding \(held) calls, dropped \(dropped.ms) after the \
      freeze; 30 calls answered by \(answeredBy); pending 0 \
      \((ContinuousClock.now - frozenAt).ms) after the freeze (\(settled.ms) after the last answer)
      """)
    #expect(held > 0)
    // Nothing was answered by the frozen instance: everything it held ran again on echo-2.
    #expect(answeredBy == ["echo-2": 30])

    // Thawed, it notices the gateway forgot it, stops the calls it held (answered elsewhere
    // already), registers again and serves.
    frozen.signal(SIGCONT)
    try await probe.waitUntilReady("echo-1", of: "echo")
    try await probe.waitUntil("echo-1 serves again") {
      try await echo.echo(.with { $0.text = "thawed" }, options: CallOptions(timeout: .seconds(5)))
        .instanceID == "echo-1"
    }
    try await probe.waitUntilNothingPending()
    #expect(try await probe.instance("echo-1", of: "echo")?.inFlight == 0)
  }
}

/// The status a call ended with; nil when it succeeded.
private func statusCode(_ body: () async throws -> Void) async -> StatusCode? {
  do {
    try await body()
    return nil
  } catch let error as RPCError {
    return error.code
  } catch {
    return .unknown
  }
}
