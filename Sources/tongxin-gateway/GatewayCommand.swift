import ArgumentParser
import FoundationEssentials
import Gateway
import Glibc
import TongxinApp
import TongxinRPC

/// The gateway: routes every call between callers and service instances.
@main
struct GatewayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-gateway",
    abstract: "Routes calls from callers to service instances and answers the system service.")

  @Option(help: "Where callers connect (env TONGXIN_FRONTEND).")
  var frontend: String = Environment.value("TONGXIN_FRONTEND") ?? Defaults.frontendEndpoint

  @Option(help: "Where service instances connect (env TONGXIN_BACKEND).")
  var backend: String = Environment.value("TONGXIN_BACKEND") ?? Defaults.backendEndpoint

  @Option(help: "Milliseconds between heartbeats (env TONGXIN_HEARTBEAT_MS).")
  var heartbeatMs: Int = Environment.int("TONGXIN_HEARTBEAT_MS") ?? 1000

  @Option(help: "Missed heartbeats before an instance is dropped (env TONGXIN_LIVENESS).")
  var liveness: Int = Environment.int("TONGXIN_LIVENESS") ?? 3

  @Option(help: "Calls that may wait per service for a free instance (env TONGXIN_MAX_QUEUE).")
  var maxQueue: Int = Environment.int("TONGXIN_MAX_QUEUE") ?? 1024

  @Option(help: "Seconds a call may wait for a free instance (env TONGXIN_MAX_QUEUE_WAIT).")
  var maxQueueWait: Int = Environment.int("TONGXIN_MAX_QUEUE_WAIT") ?? 10

  @Option(help: "Calls one caller connection may have in flight (env TONGXIN_MAX_CLIENT_CALLS).")
  var maxClientCalls: Int = Environment.int("TONGXIN_MAX_CLIENT_CALLS") ?? 512

  @Option(help: "Largest frame in bytes answered with a status (env TONGXIN_MAX_MESSAGE).")
  var maxMessage: Int = Environment.int("TONGXIN_MAX_MESSAGE") ?? 4 << 20

  @Option(help: "Longest wait in ms for one part of an aggregate (env TONGXIN_PART_TIMEOUT_MS).")
  var partTimeoutMs: Int = Environment.int("TONGXIN_PART_TIMEOUT_MS") ?? 2000

  @Option(
    help: """
      The audit log of write calls, a SQLite file (env TONGXIN_AUDIT_LOG; default \
      $TONGXIN_DATA/audit.sqlite).
      """)
  var auditLog: String =
    Environment.value("TONGXIN_AUDIT_LOG")
    ?? "\(Environment.value("TONGXIN_DATA") ?? "data")/audit.sqlite"

  @Option(help: "Write the bound endpoints here as JSON once bound (for tests and tools).")
  var endpointsFile: String?

  @OptionGroup var security: SecurityOptions

  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    guard heartbeatMs >= 10 else { throw ValidationError("--heartbeat-ms must be at least 10") }
    guard liveness >= 1 else { throw ValidationError("--liveness must be at least 1") }
    guard maxQueue >= 0, maxQueueWait >= 0, maxMessage >= 1 else {
      throw ValidationError("--max-queue, --max-queue-wait and --max-message must be positive")
    }
    guard maxClientCalls >= 1 else { throw ValidationError("--max-client-calls must be at least 1") }
  }

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.gateway")
    var configuration = Broker.Configuration()
    configuration.frontendEndpoint = frontend
    configuration.backendEndpoint = backend
    configuration.heartbeatInterval = .milliseconds(heartbeatMs)
    configuration.heartbeatLiveness = liveness
    configuration.maxQueueLength = maxQueue
    configuration.maxQueueWait = .seconds(maxQueueWait)
    configuration.maxCallsPerClient = maxClientCalls
    configuration.maxMessageSize = maxMessage
    configuration.security = try security.load()
    let audit: AuditLog
    do {
      audit = try AuditLog(path: auditLog, logger: logger)
    } catch {
      // Writes must not go unrecorded: no audit log, no gateway.
      logger.critical("cannot open the audit log \(auditLog): \(error)")
      throw ExitCode.failure
    }
    configuration.auditLog = audit
    if configuration.security == nil {
      logger.warning("running in plaintext: anyone who reaches the gateway may call anything")
    }
    let broker = try Broker(configuration: configuration, logger: logger)
    if let endpointsFile {
      try EndpointsFile(["frontend": broker.frontendEndpoint, "backend": broker.backendEndpoint])
        .write(to: endpointsFile)
    }
    // The aggregates are an ordinary instance in this process, reached over inproc://.
    let client = try RPCClient(
      configuration: RPCClient.Configuration(endpoint: broker.inprocFrontendEndpoint),
      logger: logger)
    // So are the audit log's readers.
    func inprocInstance(_ service: some RPCService, _ name: String) -> RPCServer {
      var instance = RPCServer.Configuration(gatewayEndpoint: broker.inprocBackendEndpoint)
      instance.instanceID = "\(name)-\(getpid())"
      instance.version = Defaults.version
      return RPCServer(service: service, configuration: instance, logger: logger)
    }
    let aggregates = inprocInstance(
      AggregatesService(client: client, partTimeout: .milliseconds(partTimeoutMs)), "aggregates")
    let auditReader = inprocInstance(AuditService(log: audit), "audit")
    let reload = SecurityReload(broker: broker, options: security, logger: logger)
    // Stopped in reverse order: the in-process instances drain while the broker still routes.
    try await ServiceRunner.run(
      [broker, aggregates, auditReader, reload], logger: logger
    ) { client.close() }
  }
}
