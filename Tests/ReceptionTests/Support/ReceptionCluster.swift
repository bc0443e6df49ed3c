import Foundation
import Gateway
import TongxinMessages
import TongxinRPC
import TongxinStorage

@testable import Reception

/// A gateway in this process on free ports, with reception instances that each open their own
/// handle on one database file: several instances of the service, as in production.
final class ReceptionCluster: Sendable {
  let broker: Broker
  let brokerTask: Task<Void, any Error>
  let client: RPCClient
  let databasePath: String
  private let instanceTasks: [Task<Void, any Error>]

  init(instances: Int, path: String = ReceptionFixture.temporaryPath()) async throws {
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = "tcp://127.0.0.1:*"
    configuration.backendEndpoint = "tcp://127.0.0.1:*"
    configuration.heartbeatInterval = .milliseconds(200)
    // Generous liveness: a loaded test machine can starve a loop thread for a few hundred ms.
    configuration.heartbeatLiveness = 10
    configuration.startupGrace = .zero
    let broker = try Broker(configuration: configuration, logger: quietLogger("gateway"))
    self.broker = broker
    brokerTask = Task { try await broker.run() }
    client = try RPCClient(endpoint: broker.frontendEndpoint, logger: quietLogger("client"))
    databasePath = path
    var tasks: [Task<Void, any Error>] = []
    for index in 1...instances {
      var server = RPCServer.Configuration(gatewayEndpoint: broker.backendEndpoint)
      server.instanceID = "reception-\(index)"
      server.heartbeatInterval = .milliseconds(200)
      let service = ReceptionService(
        database: try ReceptionSchema.open(path: path), logger: quietLogger("reception"))
      let instance = RPCServer(
        service: service, configuration: server, logger: quietLogger("reception-\(index)"))
      tasks.append(Task { try await instance.run() })
    }
    instanceTasks = tasks
    try await waitForInstances(instances)
  }

  var reception: Tongxin_Reception_Reception.Client {
    Tongxin_Reception_Reception.Client(wrapping: client)
  }

  /// Calls the gateway has sent to each reception instance.
  func callsPerInstance() async throws -> [String: UInt64] {
    let system = Tongxin_System_System.Client(wrapping: client)
    let services = try await system.listServices(.init()).services
    let instances = services.first { $0.service == "reception" }?.instances ?? []
    return Dictionary(uniqueKeysWithValues: instances.map { ($0.instanceID, $0.calls) })
  }

  private func waitForInstances(_ count: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      if try await callsPerInstance().count >= count { return }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw RPCError(code: .deadlineExceeded, message: "reception instances never registered")
  }

  func shutdown() async {
    for task in instanceTasks { task.cancel() }
    for task in instanceTasks { _ = try? await task.value }
    client.close()
    broker.shutdown()
    _ = try? await brokerTask.value
  }
}
