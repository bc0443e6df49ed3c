import Foundation
import Synchronization
import Testing
import TongxinApp
import TongxinMessages
import TongxinProcesses
import TongxinRPC
import ZeroMQ

@Suite("tongxin up", .serialized)
struct UpTests {
  /// A port nobody listens on now: bound and released (tongxin up takes fixed endpoints).
  static func freePort() throws -> Int {
    let socket = try Socket(context: .tongxinShared, type: .router)
    defer { socket.close() }
    try socket.bind("tcp://127.0.0.1:*")
    return Int(try socket.lastEndpoint.split(separator: ":").last!)!
  }

  /// Processes whose command line mentions `text`.
  static func processes(mentioning text: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
        return false
      }
      let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
      return line.contains(text) && !line.contains("xctest") && pid != getpid()
    }
  }

  @Test("starts every service, scales one, spreads calls, and stops leaving no process")
  func upScalesAndStops() async throws {
    let frontend = "tcp://127.0.0.1:\(try Self.freePort())"
    let backend = "tcp://127.0.0.1:\(try Self.freePort())"
    let data = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-up-\(UUID().uuidString)").path
    let up = try ChildProcess(
      name: "up", executable: Executables.url("tongxin"),
      arguments: [
        "up", "--scale", "membership=3", "--frontend", frontend, "--backend", backend,
        "--data", data, "--policy", Self.repositoryPolicy,
      ]
    ) { _ in }
    do {
      try await checkRunning(frontend: frontend, keys: data + "/keys")
    } catch {
      up.signal(SIGKILL)
      throw error
    }
    #expect(!Self.processes(mentioning: backend).isEmpty)
    up.signal(SIGTERM)
    #expect(await up.waitForExit() == 0)
    #expect(Self.processes(mentioning: backend).isEmpty, "processes left behind")
    try? FileManager.default.removeItem(atPath: data)
  }

  /// The policy `deploy/up` uses, found from this file rather than the working directory.
  static let repositoryPolicy = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("deploy/policy.json").path

  /// Every service answers, membership has 3 instances, and calls spread over them.
  private func checkRunning(frontend: String, keys: String) async throws {
    // `tongxin` calls as the operations department, whose key `up` makes under DATA/keys
    // as it starts: wait for it (key files appear whole, see KeyFile.write).
    let operations = KeyLocations.department(KeyLocations.operatorDepartment, in: keys) + ".pub"
    let keysDeadline = ContinuousClock.now + .seconds(60)
    while !FileManager.default.fileExists(atPath: operations), ContinuousClock.now < keysDeadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    let health = try await tongxin(["health", "--gateway", frontend, "--keys", keys, "--wait", "60"])
    #expect(health.status == 0, "\(health.output)")
    var configuration = RPCClient.Configuration(endpoint: frontend)
    configuration.security = try KeyLocations.departmentSecurity("operations", in: keys)
    let client = try RPCClient(configuration: configuration)
    let system = Tongxin_System_System.Client(wrapping: client)
    // Health is SERVING from the first instance of each service on: the others of membership
    // may still be starting (on a loaded machine, seconds later).
    var instances = 0
    let deadline = ContinuousClock.now + .seconds(60)
    while instances < 3, ContinuousClock.now < deadline {
      if instances > 0 { try await Task.sleep(for: .milliseconds(200)) }
      instances = try await system.listServices(.init()).services
        .first { $0.service == "membership" }?.instances.count ?? 0
    }
    #expect(instances == 3)
    let directory = Tongxin_Membership_Membership.Client(wrapping: client)
    for _ in 0..<30 { _ = try await directory.listAssociations(.init()) }
    let spread = try await system.listServices(.init()).services
      .first { $0.service == "membership" }?.instances.map(\.calls) ?? []
    #expect(spread.count == 3 && spread.allSatisfy { $0 > 0 }, "calls per instance: \(spread)")
    client.close()
  }
}
