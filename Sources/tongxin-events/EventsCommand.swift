import ArgumentParser
import Events
import Logging
import ServiceLifecycle
import TongxinApp
import TongxinRPC

/// A service instance of `events`. Several may run at once on one machine: they share the
/// database file.
@main
struct EventsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-events",
    abstract: "Serves the events service through a Tongxin gateway.")

  @OptionGroup var instance: InstanceOptions
  @OptionGroup var logging: LoggingOptions

  @Option(
    help: """
      The SQLite database, shared by every instance on this machine (env \
      TONGXIN_EVENTS_DATABASE; default $TONGXIN_DATA/events.sqlite, TONGXIN_DATA defaulting \
      to "data").
      """)
  var database: String =
    Environment.value("TONGXIN_EVENTS_DATABASE")
    ?? "\(Environment.value("TONGXIN_DATA") ?? "data")/events.sqlite"

  @Option(
    help: "The gateway's frontend, for calls to membership and reception (env TONGXIN_FRONTEND).")
  var gatewayFrontend: String = Environment.value("TONGXIN_FRONTEND") ?? Defaults.frontendEndpoint

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.events")
    var client = RPCClient.Configuration(endpoint: gatewayFrontend)
    client.security = try instance.clientSecurity(service: "events")
    let service: EventsService
    let gateway: RPCClient
    do {
      let db = try EventsSchema.open(path: database)
      gateway = try RPCClient(configuration: client, logger: logger)
      service = EventsService(database: db, gateway: gateway, logger: logger)
    } catch {
      // Without its database the instance is useless: say which file and why, and stop.
      logger.critical("cannot open the events database \(database): \(error)")
      throw ExitCode.failure
    }
    logger.info("events database at \(database)")
    let server = RPCServer(
      service: service, configuration: try instance.serverConfiguration(service: "events"), logger: logger)
    try await ServiceRunner.run(
      [server, ReconciliationService(service: service)], logger: logger
    ) { gateway.close() }
  }
}

/// Settles room bookings left unfinished when reception was down (see `RoomSaga`).
struct ReconciliationService: Service {
  let service: EventsService

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await service.runReconciliation(every: .seconds(30))
    }
  }
}
