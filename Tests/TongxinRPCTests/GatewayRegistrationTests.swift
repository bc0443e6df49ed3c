import Foundation
import Gateway
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting
import TongxinWire
import ZeroMQ

@Suite("Registrations and the gateway's own life", .timeLimit(.minutes(1)))
struct GatewayRegistrationTests {
  @Test("an instance id that a live instance of another service has is refused")
  func instanceIDOfAnotherService() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "shared-id")
    let peer = try Socket(context: .tongxinShared, type: .dealer)
    defer { peer.close() }
    try peer.connect(cluster.broker.backendEndpoint)
    var description = Tongxin_Echo_Echo.description
    description.name = "echo-copy"
    let registration = Tongxin_Rpc_RegisterInstance.with {
      $0.service = "echo-copy"
      $0.instanceID = "shared-id"
      $0.maxConcurrency = 1
      $0.description_p = description
    }
    try peer.send(WireProtocol.frames(.register, registration.serializedBytes()))
    let frames = try #require(try await receiveFrames(peer))
    let message = try #require(wireMessage(frames[...]))
    #expect(message.command == .registered)
    let reply = try Tongxin_Rpc_RegisterReply(serializedBytes: message.body)
    #expect(!reply.accepted)
    #expect(reply.message.contains("\"shared-id\""), "\(reply.message)")
    // The instance that had the id was not taken for a reconnection of it and dropped.
    #expect(try await cluster.echoInstances() == ["shared-id"])
    _ = try await cluster.echo.echo(echoRequest("still here"))
    await cluster.shutdown()
  }

  @Test("a second process with a live instance's id waits for it instead of taking its place")
  func twinWaits() async throws {
    let cluster = try TestCluster()
    let first = try await cluster.startEcho(id: "twin")
    let log = LogRecorder()
    let second = cluster.runEcho(
      id: "twin", version: "second", logger: log.logger("twin-2", level: .warning))
    let echo = cluster.echo
    let write = Task {
      await RPCError.code { _ = try await echo.count(.with { $0.tag = "twin" }) }
    }
    // For ten of the newcomer's heartbeat intervals (each a REGISTER), the first keeps its id,
    // and its calls.
    for _ in 0..<10 {
      try await Task.sleep(for: .milliseconds(100))
      #expect(try await cluster.echoVersions() == ["dev"])
    }
    #expect(await write.value == nil)
    // The newcomer said why it waits, once, not at each of its attempts.
    let waits = log.lines.filter { $0.contains("has not registered") }
    #expect(waits.count == 1, "\(waits)")
    #expect(waits.first?.contains("held by a live instance") == true, "\(waits)")
    // Once the first has left, the second registers.
    try await first.drain()
    try await cluster.waitForVersions(["second"])
    _ = try await echo.echo(echoRequest("from the second"))
    try await second.drain()
    await cluster.shutdown()
  }

  @Test("an instance registering again on a new connection, same incarnation, takes its id back")
  func reconnectionWithSameIncarnation() async throws {
    let cluster = try TestCluster()
    let old = try await registeredPeer(cluster, id: "reconnecting", incarnation: "a1")
    defer { old.close() }
    let new = try await registeredPeer(cluster, id: "reconnecting", incarnation: "a1")
    defer { new.close() }
    #expect(try await cluster.echoInstances() == ["reconnecting"])
    await cluster.shutdown()
  }

  @Test("a process restarted under a fixed id takes it over once its dead predecessor is dropped")
  func restartAfterCrash() async throws {
    let cluster = try TestCluster()
    // Before the REGISTER, whose arrival is the predecessor's last sign of life.
    let started = ContinuousClock.now
    // Killed without a goodbye: registered, then silent.
    let crashed = try await registeredPeer(cluster, id: "fixed", incarnation: "before-crash")
    defer { crashed.close() }
    let restarted = cluster.runEcho(id: "fixed", version: "restarted")
    try await cluster.waitForVersions(["restarted"])
    // The gateway dropped the silent one after its liveness (10 × 100 ms), not before.
    #expect(ContinuousClock.now - started > .seconds(1))
    _ = try await cluster.echo.echo(echoRequest("after the restart"))
    try await restarted.drain()
    await cluster.shutdown()
  }

  @Test("a gateway shut down before it runs returns from run() at once")
  func shutdownBeforeRun() async throws {
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = "tcp://127.0.0.1:*"
    configuration.backendEndpoint = "tcp://127.0.0.1:*"
    let broker = try Broker(configuration: configuration, logger: quietLogger("gateway"))
    broker.shutdown()  // SIGTERM while it was still starting
    try await broker.run()
  }

  @Test("a write pending at shutdown is recorded, then answered UNAVAILABLE before it closes")
  func writeAnsweredAtShutdown() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-shutdown-audit-\(UInt64.random(in: 0...UInt64.max))")
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(
      path: folder.appendingPathComponent("audit.sqlite").path, logger: quietLogger("audit"))
    let cluster = try TestCluster { $0.auditLog = log }
    // An instance that takes calls and never answers.
    let instance = try Socket(context: .tongxinShared, type: .dealer)
    defer { instance.close() }
    try instance.connect(cluster.broker.backendEndpoint)
    let registration = Tongxin_Rpc_RegisterInstance.with {
      $0.service = "echo"
      $0.instanceID = "echo-mute"
      $0.maxConcurrency = 4
      $0.description_p = Tongxin_Echo_Echo.description
    }
    try instance.send(WireProtocol.frames(.register, registration.serializedBytes()))
    _ = try #require(
      try await receiveFrames(instance) { wireMessage($0[...])?.command == .registered })
    let echo = cluster.echo
    let write = Task {
      await RPCError.code {
        _ = try await echo.count(
          Tongxin_Echo_CountRequest(), options: CallOptions(timeout: .seconds(20)))
      }
    }
    _ = try #require(
      try await receiveFrames(instance) { wireMessage($0[...])?.command == .request })
    let stopping = ContinuousClock.now
    cluster.broker.shutdown()
    #expect(await write.value == .unavailable)
    #expect(ContinuousClock.now - stopping < .seconds(10), "answered, not left to its deadline")
    _ = try? await cluster.brokerTask.value
    let records = try await AuditService(log: log).listRecords(
      Tongxin_Audit_ListRecordsRequest(),
      context: ServerContext(
        service: "audit", method: "ListRecords", deadline: .now + .seconds(10),
        instanceID: "test"))
    #expect(records.records.map(\.code) == [.unavailable])
    cluster.client.close()
  }
}

/// A raw connection registered as an echo instance (version "raw"), which sends nothing more.
private func registeredPeer(_ cluster: TestCluster, id: String, incarnation: String)
  async throws -> Socket
{
  let peer = try Socket(context: .tongxinShared, type: .dealer)
  try peer.setLinger(.zero)
  try peer.connect(cluster.broker.backendEndpoint)
  let registration = Tongxin_Rpc_RegisterInstance.with {
    $0.service = "echo"
    $0.instanceID = id
    $0.version = "raw"
    $0.maxConcurrency = 1
    $0.description_p = Tongxin_Echo_Echo.description
    $0.incarnation = incarnation
  }
  try peer.send(WireProtocol.frames(.register, registration.serializedBytes()))
  let frames = try #require(
    try await receiveFrames(peer) { wireMessage($0[...])?.command == .registered })
  let message = try #require(wireMessage(frames[...]))
  let reply = try Tongxin_Rpc_RegisterReply(serializedBytes: message.body)
  #expect(reply.accepted, "\(reply.message)")
  return peer
}
