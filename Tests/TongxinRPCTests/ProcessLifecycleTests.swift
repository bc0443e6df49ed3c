import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

@Suite("Gateway and instances as processes", .serialized)
struct ProcessLifecycleTests {
  @Test("SIGTERM drains an instance: its calls finish, then it leaves and exits 0")
  func sigtermDrains() async throws {
    let system = try await LocalSystem.start(services: ["echo": 1]) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 400 }
    let calls = (0..<3).map { _ in Task { try await echo.work(work) } }
    // SIGTERM once the instance has all three: a loaded machine can take longer than a fixed
    // pause to deliver them, and a call still at the gateway then has no instance to go to.
    let systemService = Tongxin_System_System.Client(wrapping: system.client)
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
      let echoes = try await systemService.listServices(Tongxin_System_ListServicesRequest())
        .services.first { $0.service == "echo" }?.instances ?? []
      if echoes.first?.inFlight == 3 { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    let instance = try #require(system.instance("echo-1"))
    instance.signal(SIGTERM)
    for call in calls { #expect(try await call.value.finished) }
    #expect(await instance.waitForExit() == 0)
    let list = try await systemService.listServices(Tongxin_System_ListServicesRequest())
    #expect(list.services.first { $0.service == "echo" }?.instances.isEmpty == true)
    await system.stop()
  }

  @Test("an instance whose gateway restarts registers again with the new one")
  func reconnectsAfterGatewayRestart() async throws {
    let first = try TestCluster()
    let port = first.broker.backendEndpoint.split(separator: ":").last.map(String.init)!
    _ = try await first.startEcho(id: "echo-survivor")
    await first.shutdown()
    // libzmq releases the port a moment after the socket closes.
    var restarted: TestCluster?
    for _ in 0..<50 where restarted == nil {
      restarted = try? TestCluster { $0.backendEndpoint = "tcp://127.0.0.1:\(port)" }
      if restarted == nil { try await Task.sleep(for: .milliseconds(100)) }
    }
    let second = try #require(restarted, "the backend port was never free again")
    try await second.waitForInstances(timeout: .seconds(15)) { $0.contains("echo-survivor") }
    #expect(try await second.echo.echo(echoRequest("again")).instanceID == "echo-survivor")
    await second.shutdown()
  }
}
