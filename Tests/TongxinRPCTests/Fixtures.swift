import Echo
import Foundation
import Gateway
import Logging
import TongxinMessages
import TongxinRPC
import ZeroMQ

/// A gateway in this process on free ports, with echo instances that tests add and stop.
final class TestCluster: Sendable {
  let broker: Broker
  let brokerTask: Task<Void, any Error>
  let client: RPCClient

  init(configure: (inout Broker.Configuration) -> Void = { _ in }) throws {
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = "tcp://127.0.0.1:*"
    configuration.backendEndpoint = "tcp://127.0.0.1:*"
    configuration.heartbeatInterval = .milliseconds(100)
    // Generous liveness: a loaded test machine can starve a loop thread for a few hundred ms.
    configuration.heartbeatLiveness = 10
    configuration.startupGrace = .zero
    configure(&configuration)
    broker = try Broker(configuration: configuration, logger: quietLogger("gateway"))
    let broker = self.broker
    brokerTask = Task { try await broker.run() }
    client = try RPCClient(endpoint: broker.frontendEndpoint, logger: quietLogger("client"))
  }

  var echo: Tongxin_Echo_Echo.Client { Tongxin_Echo_Echo.Client(wrapping: client) }
  var system: Tongxin_System_System.Client { Tongxin_System_System.Client(wrapping: client) }

  /// Starts an echo instance in this process and waits until the gateway routes to it.
  func startEcho(id: String, maxConcurrency: Int = 16) async throws -> RunningInstance {
    let instance = runEcho(id: id, maxConcurrency: maxConcurrency)
    try await waitForInstances { $0.contains(id) }
    return instance
  }

  /// Starts an echo instance in this process, registered or not.
  func runEcho(
    id: String, version: String = "dev", maxConcurrency: Int = 16, logger: Logger? = nil
  ) -> RunningInstance {
    var configuration = RPCServer.Configuration(gatewayEndpoint: broker.backendEndpoint)
    configuration.instanceID = id
    configuration.version = version
    configuration.maxConcurrency = maxConcurrency
    configuration.heartbeatInterval = .milliseconds(100)
    let server = RPCServer(
      service: EchoService(), configuration: configuration, logger: logger ?? quietLogger(id))
    return RunningInstance(id: id, task: Task { try await server.run() })
  }

  /// Waits until the live instances of `echo` satisfy `condition`.
  func waitForInstances(
    timeout: Duration = .seconds(30), _ condition: (Set<String>) -> Bool
  ) async throws {
    try await waitUntil(timeout, else: "instances never matched") {
      condition(try await echoInstances())
    }
  }

  /// Waits until the live instances of `echo` have these versions, one per instance.
  func waitForVersions(_ versions: [String], timeout: Duration = .seconds(20)) async throws {
    try await waitUntil(timeout, else: "versions never became \(versions)") {
      try await echoVersions() == versions.sorted()
    }
  }

  func echoInstances() async throws -> Set<String> {
    Set(try await liveEchoInstances().map(\.instanceID))
  }

  /// The versions of the live instances of `echo`, one per instance.
  func echoVersions() async throws -> [String] {
    try await liveEchoInstances().map(\.version).sorted()
  }

  private func liveEchoInstances() async throws -> [Tongxin_System_InstanceInfo] {
    let list = try await system.listServices(Tongxin_System_ListServicesRequest())
    let echo = list.services.first { $0.service == "echo" }
    return (echo?.instances ?? []).filter { !$0.draining }
  }

  private func waitUntil(
    _ timeout: Duration, else failure: String, _ condition: () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
      guard ContinuousClock.now < deadline else {
        throw RPCError(code: .deadlineExceeded, message: failure)
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  func pendingCalls() async throws -> UInt64 {
    try await system.getStats(Tongxin_System_GetStatsRequest()).pendingCalls
  }

  func shutdown() async {
    client.close()
    broker.shutdown()
    _ = try? await brokerTask.value
  }
}

/// An instance started by a test; cancelling its task drains it.
struct RunningInstance: Sendable {
  let id: String
  let task: Task<Void, any Error>

  func drain() async throws {
    task.cancel()
    try await task.value
  }
}

func quietLogger(_ label: String) -> Logger {
  var logger = Logger(label: label)
  logger.logLevel = .critical
  return logger
}

extension RPCError {
  /// The status of a failed call, or nil when it succeeded.
  static func code(of operation: () async throws -> Void) async -> StatusCode? {
    do {
      try await operation()
      return nil
    } catch let error as RPCError {
      return error.code
    } catch {
      return .unknown
    }
  }
}

func echoRequest(_ text: String) -> Tongxin_Echo_EchoRequest {
  var request = Tongxin_Echo_EchoRequest()
  request.text = text
  return request
}

/// A ROUTER on a free local port, where a test plays the gateway by hand.
func fakeGateway() throws -> Socket {
  let gateway = try Socket(context: .tongxinShared, type: .router)
  try gateway.bind("tcp://127.0.0.1:*")
  return gateway
}
