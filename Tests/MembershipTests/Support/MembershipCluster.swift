import Foundation
import Gateway
import Membership
import TongxinMessages
import TongxinRPC

/// A gateway in this process on free ports and membership instances that each open the same
/// database file, as instances on one machine do.
final class MembershipCluster: Sendable {
  let database = TestDatabase()
  let broker: Broker
  let brokerTask: Task<Void, any Error>
  let client: RPCClient
  let instances: [Task<Void, any Error>]

  /// Starts the gateway and `instances` instances, and waits until the gateway routes to all.
  init(instances count: Int = 2) async throws {
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = "tcp://127.0.0.1:*"
    configuration.backendEndpoint = "tcp://127.0.0.1:*"
    configuration.heartbeatInterval = .milliseconds(100)
    // Generous liveness: a loaded test machine can starve a loop thread for a few hundred ms.
    configuration.heartbeatLiveness = 10
    configuration.startupGrace = .zero
    let broker = try Broker(configuration: configuration, logger: quietLogger("gateway"))
    self.broker = broker
    brokerTask = Task { try await broker.run() }
    client = try RPCClient(endpoint: broker.frontendEndpoint, logger: quietLogger("client"))
    var instances: [Task<Void, any Error>] = []
    for index in 1...count {
      var server = RPCServer.Configuration(gatewayEndpoint: broker.backendEndpoint)
      server.instanceID = "membership-\(index)"
      server.heartbeatInterval = .milliseconds(100)
      // Each instance opens the file itself: two handles, as two processes would have.
      let service = try database.service()
      let instance = RPCServer(service: service, configuration: server, logger: quietLogger("i"))
      instances.append(Task { try await instance.run() })
    }
    self.instances = instances
    try await waitForInstances(count)
  }

  var membership: Tongxin_Membership_Membership.Client {
    Tongxin_Membership_Membership.Client(wrapping: client)
  }

  /// Calls served by each instance so far, by instance id.
  func callsPerInstance() async throws -> [String: UInt64] {
    let list = try await Tongxin_System_System.Client(wrapping: client)
      .listServices(Tongxin_System_ListServicesRequest())
    let instances = list.services.first { $0.service == "membership" }?.instances ?? []
    return Dictionary(uniqueKeysWithValues: instances.map { ($0.instanceID, $0.calls) })
  }

  private func waitForInstances(_ count: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      if let calls = try? await callsPerInstance(), calls.count >= count { return }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw RPCError(code: .deadlineExceeded, message: "membership instances never registered")
  }

  func shutdown() async {
    for instance in instances {
      instance.cancel()
      _ = try? await instance.value
    }
    client.close()
    broker.shutdown()
    _ = try? await brokerTask.value
  }
}

/// Runs `body` with a running cluster and shuts it down afterwards, whatever happens.
func withCluster(
  instances: Int = 2, _ body: (MembershipCluster) async throws -> Void
) async throws {
  let cluster = try await MembershipCluster(instances: instances)
  do {
    try await body(cluster)
  } catch {
    await cluster.shutdown()
    throw error
  }
  await cluster.shutdown()
}
