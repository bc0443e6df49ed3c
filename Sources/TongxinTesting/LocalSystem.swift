import Foundation
import Logging
import Synchronization
import TongxinApp
import TongxinMessages
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

  /// Starts a gateway and `services` (service name → instance count) and waits until every
  /// service is SERVING with all its instances.
  ///
  /// `output` receives every log line, prefixed with the process name (default: dropped).
  public static func start(
    services: [String: Int], gatewayArguments: [String] = [],
    output: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws -> LocalSystem {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
    services: [String: Int], output: @escaping @Sendable (String) -> Void = { _ in },
    _ body: (LocalSystem) async throws -> T
  ) async throws -> T {
    let system = try await start(services: services, output: output)
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
    self.client = try Self.makeClient(frontend)
  }

  /// Another connection to the frontend, as the test department; close it when done.
  ///
  /// Tests make every extra connection here, so they call the gateway the way the system's
  /// real callers do (with their keys, once the gateway authenticates).
  public func makeClient(configure: (inout RPCClient.Configuration) -> Void = { _ in }) throws
    -> RPCClient
  {
    try Self.makeClient(frontend, configure: configure)
  }

  private static func makeClient(
    _ frontend: String, configure: (inout RPCClient.Configuration) -> Void = { _ in }
  ) throws -> RPCClient {
    var logger = Logger(label: "tongxin.testing")
    logger.logLevel = .error
    var configuration = RPCClient.Configuration(endpoint: frontend)
    configure(&configuration)
    return try RPCClient(configuration: configuration, logger: logger)
  }

  /// Starts one more instance of `service` (executable `tongxin-SERVICE`) with id `id`.
  public func startInstance(of service: String, id: String, arguments: [String] = []) throws {
    let output = self.output
    let child = try ChildProcess(
      name: id, executable: Executables.url("tongxin-\(service)"),
      arguments: ["--gateway", backend, "--instance-id", id] + arguments,
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
