import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// A gateway that crashes and comes back on the same ports, while instances keep working.
@Suite("Gateway restarts", .serialized)
struct GatewayRestartTests {
  @Test("a call still running from before a gateway crash never answers a call made after it")
  func staleAnswerAfterRestart() async throws {
    try await LocalSystem.with(services: [:]) { system in
      // One slot, so that the second call waits behind the first at the instance.
      try system.startInstance(of: "echo", id: "echo-1", arguments: ["--max-concurrency", "1"])
      try await system.waitUntilServing(["echo": 1])
      let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)

      // The first call routed by the first gateway: it outlives that gateway.
      let before = Task {
        try await echo.work(.with { $0.milliseconds = 3_000 }, options: .init(timeout: .seconds(20)))
      }
      try await waitUntilInFlight(system, instance: "echo-1")
      try await system.restartGateway(signal: SIGKILL)
      try await system.waitUntilServing(["echo": 1])

      // The first call routed by the second gateway, to the same instance: it must get its
      // own answer, not the one the instance gives the old call when it finishes.
      let reply = try await echo.echo(
        .with { $0.text = "after the restart" }, options: .init(timeout: .seconds(20)))
      #expect(reply.text == "after the restart")
      before.cancel()
      _ = try? await before.value
    }
  }

  /// Waits until the gateway has a call at `instance`.
  private func waitUntilInFlight(_ system: LocalSystem, instance: String) async throws {
    let systemClient = Tongxin_System_System.Client(wrapping: system.client)
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      let list = try await systemClient.listServices(.init())
      if list.services.flatMap(\.instances).contains(where: {
        $0.instanceID == instance && $0.inFlight > 0
      }) {
        return
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw CancellationError()
  }
}
