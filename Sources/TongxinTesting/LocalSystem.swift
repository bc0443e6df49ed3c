import Foundation
import Gateway
import Logging
import Synchronization
import TongxinApp
import TongxinMessages
import TongxinProcesses
import TongxinRPC

/// The real system for a test: a gateway and service instances as processes of their own, on
/// free ports, with data in a temporary folder that is removed afterwards.
///
/// ```swift
/// try await LocalSystem.with(services: ["echo": 2]) { system in
///   let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)
///   ...
/// }
/// ```
/// ``stop()`` ends every process it started (SIGTERM, then SIGKILL after a grace period), so
/// a test leaves none behind; and every child stops by itself if the test process dies.
public final class LocalSystem: Sendable {
  /// The gateway's frontend, for callers.
  public let frontend: String
  /// The gateway's backend, for instances.
  public let backend: String
  /// A client connected to the frontend.
  public let client: RPCClient
  /// The folder for this system's data; removed by ``stop()``.
  public let dataFolder: URL
  /// The running gateway; replaced by ``restartGateway(signal:timeout:)``.
  let gatewayProcess: Mutex<ChildProcess>
  let gatewayArguments: [String]
  /// Every instance started, by id: its service, arguments and current process.
  let instances = Mutex<[String: StartedInstance]>([:])
  let output: @Sendable (String) -> Void
  /// Whether the gateway authenticates (CurveZMQ); false with `policy: nil`.
  public let isSecure: Bool

  /// The department tests call as by default: it may call everything and see personal data.
  public static let testDepartment = "tests"
  public static let testPolicy = AccessPolicy(departments: [
    testDepartment: .init(allow: ["*"], personalData: true)
  ])

  /// Where the keys are: `gateway.*`, `services/NAME.*` (every service's pair; instances
  /// find theirs here through `TONGXIN_DATA`), `departments/NAME.*` (one per department of
  /// the policy). Add or remove `.pub` files and send the gateway SIGHUP to change who is
  /// admitted.
  public var keysFolder: String { dataFolder.appendingPathComponent("keys").path }

  /// Starts a gateway and `services` (service name → instance count) and waits until every
  /// service is SERVING with all its instances.
  ///
  /// The gateway authenticates every caller and instance with CurveZMQ keys made in the data
  /// folder, and enforces `policy`; with `policy: nil` it runs in insecure plaintext.
  /// `output` receives every log line, prefixed with the process name (default: dropped).
  public static func start(
    services: [String: Int], gatewayArguments: [String] = [],
    policy: AccessPolicy? = LocalSystem.testPolicy,
    output: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws -> LocalSystem {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let gatewayArguments =
      try securityArguments(policy: policy, folder: folder)
      + ["--audit-log", folder.appendingPathComponent("audit.sqlite").path] + gatewayArguments
    let endpointsFile = folder.appendingPathComponent("gateway.json").path
    let gateway = try launchGateway(
      frontend: "tcp://127.0.0.1:*", backend: "tcp://127.0.0.1:*", endpointsFile: endpointsFile,
      arguments: gatewayArguments, output: output)
    let endpoints: EndpointsFile
    do {
      endpoints = try await EndpointsFile.wait(for: endpointsFile)
    } catch {
      _ = await gateway.stop()
      throw error
    }
    let system = try LocalSystem(
      gateway: gateway, gatewayArguments: gatewayArguments, endpoints: endpoints.endpoints,
      folder: folder, output: output)
    do {
      for (service, count) in services.sorted(by: { $0.key < $1.key }) {
        for index in 1...max(count, 1) where count > 0 {
          try system.startInstance(of: service, id: "\(service)-\(index)")
        }
      }
      try await system.waitUntilServing(services)
    } catch {
      await system.stop()
      throw error
    }
    return system
  }

  /// Starts the system, runs `body` with it and stops it, whether `body` returns or throws.
  public static func with<T: Sendable>(
    services: [String: Int], policy: AccessPolicy? = LocalSystem.testPolicy,
    output: @escaping @Sendable (String) -> Void = { _ in },
    _ body: (LocalSystem) async throws -> T
  ) async throws -> T {
    let system = try await start(services: services, policy: policy, output: output)
    do {
      let result = try await body(system)
      await system.stop()
      return result
    } catch {
      await system.stop()
      throw error
    }
  }

  private init(
    gateway: ChildProcess, gatewayArguments: [String], endpoints: [String: String], folder: URL,
    output: @escaping @Sendable (String) -> Void
  ) throws {
    guard let frontend = endpoints["frontend"], let backend = endpoints["backend"] else {
      throw LocalSystemError("the gateway wrote no endpoints")
    }
    self.gatewayProcess = Mutex(gateway)
    self.gatewayArguments = gatewayArguments
    self.frontend = frontend
    self.backend = backend
    self.dataFolder = folder
    self.output = output
    self.isSecure = !gatewayArguments.contains("--insecure-plaintext")
    self.client = try Self.makeClient(
      frontend, security: isSecure ? Self.keys(of: Self.testDepartment, in: folder) : nil)
  }

  /// Another connection to the frontend, as `department` (its keys were made at start);
  /// close it when done.
  ///
  /// Tests make every extra connection here, so they call the gateway the way the system's
  /// real callers do, with their department's keys.
  public func makeClient(
    department: String = LocalSystem.testDepartment,
    configure: (inout RPCClient.Configuration) -> Void = { _ in }
  ) throws -> RPCClient {
    try Self.makeClient(
      frontend, security: isSecure ? Self.keys(of: department, in: dataFolder) : nil,
      configure: configure)
  }

  /// The `tongxin` command line options that call this system as `department`.
  public func commandLineArguments(department: String = LocalSystem.testDepartment) -> [String] {
    guard isSecure else { return ["--gateway", frontend, "--insecure-plaintext"] }
    return [
      "--gateway", frontend, "--keys", keysFolder,
      "--key", KeyLocations.department(department, in: keysFolder) + ".key",
    ]
  }

  private static func makeClient(
    _ frontend: String, security: CurveClientSecurity?,
    configure: (inout RPCClient.Configuration) -> Void = { _ in }
  ) throws -> RPCClient {
    var logger = Logger(label: "tongxin.testing")
    logger.logLevel = .error
    var configuration = RPCClient.Configuration(endpoint: frontend)
    configuration.security = security
    configure(&configuration)
    return try RPCClient(configuration: configuration, logger: logger)
  }

  /// Makes every key and writes the policy; the gateway's options that point at them.
  private static func securityArguments(policy: AccessPolicy?, folder: URL) throws -> [String] {
    guard let policy else { return ["--insecure-plaintext"] }
    let keys = folder.appendingPathComponent("keys").path
    try LocalKeys.ensure(
      folder: keys, services: Defaults.services + Defaults.optionalServices,
      departments: policy.departments.keys.sorted())
    let policyFile = folder.appendingPathComponent("policy.json")
    try JSONEncoder().encode(policy).write(to: policyFile)
    return ["--keys", keys, "--policy", policyFile.path]
  }

  private static func keys(of department: String, in folder: URL) throws -> CurveClientSecurity {
    let keys = folder.appendingPathComponent("keys").path
    return try KeyLocations.departmentSecurity(department, in: keys)
  }

  /// Starts one more instance of `service` (executable `tongxin-SERVICE`) with id `id`.
  public func startInstance(of service: String, id: String, arguments: [String] = []) throws {
    let output = self.output
    let child = try ChildProcess(
      name: id, executable: Executables.url("tongxin-\(service)"),
      arguments: ["--gateway", backend, "--instance-id", id]
        + (isSecure ? [] : ["--insecure-plaintext"]) + arguments,
      // Services that call other services (events, reception) reach them through this gateway.
      environment: ["TONGXIN_DATA": dataFolder.path, "TONGXIN_FRONTEND": frontend]
    ) { output("[\(id)] \($0)") }
    instances.withLock {
      $0[id] = StartedInstance(service: service, arguments: arguments, process: child)
    }
  }

  /// The process of the instance `id`, to signal or stop it.
  public func instance(_ id: String) -> ChildProcess? {
    instances.withLock { $0[id]?.process }
  }

  /// Waits until each service has at least its count of ready instances.
  public func waitUntilServing(_ services: [String: Int], timeout: Duration = .seconds(60))
    async throws
  {
    let system = Tongxin_System_System.Client(wrapping: client)
    var request = Tongxin_System_HealthRequest()
    request.services = Array(services.keys)
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let health = try? await system.health(request, options: CallOptions(timeout: .seconds(1))),
        health.services.allSatisfy({ $0.readyInstances >= UInt32(services[$0.service] ?? 0) })
      {
        return
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw LocalSystemError("services \(services) were not ready within \(timeout)")
  }

  /// Stops every instance, then the gateway, and removes the data folder.
  public func stop() async {
    client.close()
    let all = instances.withLock { $0.values.map(\.process) }
    await withTaskGroup(of: Void.self) { group in
      for child in all { group.addTask { _ = await child.stop(grace: .seconds(10)) } }
    }
    _ = await gatewayProcess.withLock { $0 }.stop(grace: .seconds(10))
    try? FileManager.default.removeItem(at: dataFolder)
  }
}

extension LocalSystem {
  /// An instance as ``startInstance(of:id:arguments:)`` started it, to start it again.
  struct StartedInstance: Sendable {
    var service: String
    var arguments: [String]
    var process: ChildProcess
  }

  /// Starts a gateway process bound to `frontend` and `backend` that reports the endpoints it
  /// bound in `endpointsFile`: the one place that knows the gateway's command line.
  static func launchGateway(
    frontend: String, backend: String, endpointsFile: String, arguments: [String],
    output: @escaping @Sendable (String) -> Void
  ) throws -> ChildProcess {
    try ChildProcess(
      name: "gateway", executable: Executables.url("tongxin-gateway"),
      arguments: [
        "--frontend", frontend, "--backend", backend, "--endpoints-file", endpointsFile,
      ] + arguments
    ) { output("[gateway] \($0)") }
  }
}

public struct LocalSystemError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
