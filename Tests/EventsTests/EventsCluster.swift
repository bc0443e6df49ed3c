import Events
import Foundation
import Gateway
import Logging
import Synchronization
import TongxinMessages
import TongxinRPC
import TongxinStorage

/// A gateway in this process on free ports, two events instances sharing one SQLite file in a
/// temporary folder, and membership and reception instances serving the real protocols.
final class EventsCluster: Sendable {
  let broker: Broker
  let client: RPCClient
  let folder: URL
  let database: ServiceDatabase
  let reception = TestReception()
  /// What the instances run between reserving a room and showing the event; set by a test.
  let afterReserve = TestHook()
  let events: [EventsService]
  private let tasks: [String: Task<Void, any Error>]
  private let brokerTask: Task<Void, any Error>
  let receptionTask: Task<Void, any Error>

  init(peerTimeout: Duration = .milliseconds(700)) async throws {
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = "tcp://127.0.0.1:*"
    configuration.backendEndpoint = "tcp://127.0.0.1:*"
    configuration.heartbeatInterval = .milliseconds(100)
    // Generous liveness: a loaded test machine can starve a loop thread for a few hundred ms.
    configuration.heartbeatLiveness = 10
    configuration.startupGrace = .zero
    broker = try Broker(configuration: configuration, logger: quietLogger("gateway"))
    let broker = self.broker
    brokerTask = Task { try await broker.run() }
    client = try RPCClient(endpoint: broker.frontendEndpoint, logger: quietLogger("client"))
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-events-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("events.sqlite").path
    database = try EventsSchema.open(path: path)
    var serviceConfiguration = EventsService.Configuration()
    serviceConfiguration.peerTimeout = peerTimeout
    serviceConfiguration.staleSagaAfter = .zero
    let hook = afterReserve
    serviceConfiguration.afterReserve = { await hook.fire() }
    var events: [EventsService] = []
    var tasks: [String: Task<Void, any Error>] = [:]
    for index in 1...2 {
      // Each instance opens the file itself, as separate processes would.
      let service = EventsService(
        database: try EventsSchema.open(path: path), gateway: client,
        configuration: serviceConfiguration, logger: quietLogger("events"))
      events.append(service)
      tasks["events-\(index)"] = Self.serve(service, id: "events-\(index)", broker: broker)
    }
    tasks["membership"] = Self.serve(TestMembership(), id: "membership-1", broker: broker)
    self.events = events
    self.tasks = tasks
    receptionTask = Self.serve(reception, id: "reception-1", broker: broker)
    try await waitForServices(["events": 2, "membership": 1, "reception": 1])
  }

  var api: Tongxin_Events_Events.Client { Tongxin_Events_Events.Client(wrapping: client) }

  static func serve(_ service: any RPCService, id: String, broker: Broker) -> Task<Void, any Error>
  {
    var configuration = RPCServer.Configuration(gatewayEndpoint: broker.backendEndpoint)
    configuration.instanceID = id
    configuration.heartbeatInterval = .milliseconds(100)
    configuration.maxConcurrency = 32
    let server = RPCServer(service: service, configuration: configuration, logger: quietLogger(id))
    return Task { try await server.run() }
  }

  /// Stops reception: it drains and leaves the gateway, which then has no instance of it.
  func stopReception() async throws {
    receptionTask.cancel()
    _ = try? await receptionTask.value
    try await waitForServices(["reception": 0])
  }

  func waitForServices(_ counts: [String: Int]) async throws {
    let system = Tongxin_System_System.Client(wrapping: client)
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      let list = try await system.listServices(Tongxin_System_ListServicesRequest())
      let live = Dictionary(
        list.services.map { ($0.service, $0.instances.filter { !$0.draining }.count) },
        uniquingKeysWith: +)
      if counts.allSatisfy({ live[$0.key, default: 0] == $0.value }) { return }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw RPCError(code: .deadlineExceeded, message: "services never became \(counts)")
  }

  func shutdown() async {
    for task in tasks.values { task.cancel() }
    receptionTask.cancel()
    for task in tasks.values { _ = try? await task.value }
    _ = try? await receptionTask.value
    client.close()
    broker.shutdown()
    _ = try? await brokerTask.value
    try? FileManager.default.removeItem(at: folder)
  }
}

/// A test hook that runs once: the first create to reach it runs the action set last.
final class TestHook: Sendable {
  private let action = Mutex<(@Sendable () async -> Void)?>(nil)

  func set(_ body: @escaping @Sendable () async -> Void) { action.withLock { $0 = body } }

  func fire() async {
    let body = action.withLock { action in
      defer { action = nil }
      return action
    }
    await body?()
  }
}

func quietLogger(_ label: String) -> Logger {
  var logger = Logger(label: label)
  logger.logLevel = .critical
  return logger
}

/// The error a call failed with, or nil when it succeeded.
func rpcError(_ operation: () async throws -> Void) async -> RPCError? {
  do {
    try await operation()
    return nil
  } catch let error as RPCError {
    return error
  } catch {
    return RPCError(code: .unknown, message: "\(error)")
  }
}

/// Seconds since 1970 of 02:00 UTC `days` after today.
func future(days: Int64, hour: Int64 = 2) -> Int64 {
  let now = Int64(Date().timeIntervalSince1970)
  return (now / 86_400 + days) * 86_400 + hour * 3600
}

func eventRequest(
  room: String? = "tongxin", capacity: UInt32 = 20, days: Int64 = 10, hours: Int64 = 2
) -> Tongxin_Events_CreateEventRequest {
  .with {
    $0.title = "学习交流座谈"
    $0.kind = .studySession
    $0.associationCodes = ["zhilianhui"]
    let start = future(days: days)
    $0.start = .with { $0.seconds = start }
    $0.end = .with { $0.seconds = start + hours * 3600 }
    $0.venue = .with { $0.venue = room.map { .roomCode($0) } ?? .outsidePlace("南山区文体中心") }
    $0.capacity = capacity
    $0.publish = true
  }
}

func guest(_ name: String) -> Tongxin_Events_Attendee {
  .with { $0.attendee = .guest(.with { $0.name = name; $0.organisation = "达实智能" }) }
}
