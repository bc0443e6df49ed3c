import ArgumentParser
import Logging
import Reception
import TongxinApp
import TongxinRPC
import TongxinStorage

/// A service instance of `reception`. Several may run at once on one machine: they share the
/// database file, and each runs the purge of visitors' personal data.
@main
struct ReceptionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-reception",
    abstract: "Serves the reception service (rooms, delegations, visitors) through a gateway.")

  @OptionGroup var instance: InstanceOptions
  @OptionGroup var logging: LoggingOptions

  @Option(
    help: """
      The SQLite database, shared by every instance on this machine (env \
      TONGXIN_RECEPTION_DATABASE; default $TONGXIN_DATA/reception.sqlite, TONGXIN_DATA \
      defaulting to "data").
      """)
  var database: String =
    Environment.value("TONGXIN_RECEPTION_DATABASE")
    ?? "\(Environment.value("TONGXIN_DATA") ?? "data")/reception.sqlite"

  @Option(
    help: """
      Days after a visit ends before its visitors' phone and ID numbers are cleared (env \
      TONGXIN_RECEPTION_RETENTION_DAYS).
      """)
  var retentionDays: Int =
    Environment.int("TONGXIN_RECEPTION_RETENTION_DAYS") ?? PersonalDataPurge.defaultRetentionDays

  @Option(
    help: "Minutes between runs of that purge (env TONGXIN_RECEPTION_PURGE_INTERVAL_MINUTES).")
  var purgeIntervalMinutes: Int = Environment.int("TONGXIN_RECEPTION_PURGE_INTERVAL_MINUTES") ?? 60

  @Option(
    help: """
      How delegation hosts are checked: "membership" asks the membership service through the \
      gateway's frontend, "none" accepts any well-formed member id (env \
      TONGXIN_RECEPTION_HOST_CHECK).
      """)
  var hostCheck: String = Environment.value("TONGXIN_RECEPTION_HOST_CHECK") ?? "membership"

  @Option(help: "The gateway's frontend, for calls to membership (env TONGXIN_FRONTEND).")
  var frontend: String = Environment.value("TONGXIN_FRONTEND") ?? Defaults.frontendEndpoint

  func validate() throws {
    // A number in the environment that does not parse would otherwise fall back to the
    // default without a word: a retention period is not something to guess.
    for name in ["TONGXIN_RECEPTION_RETENTION_DAYS", "TONGXIN_RECEPTION_PURGE_INTERVAL_MINUTES"] {
      if let raw = Environment.value(name), Int(raw) == nil {
        throw ValidationError("\(name) must be a whole number, not \"\(raw)\"")
      }
    }
    guard (0...PersonalDataPurge.maxRetentionDays).contains(retentionDays) else {
      throw ValidationError(
        "--retention-days must be 0 to \(PersonalDataPurge.maxRetentionDays), not \(retentionDays)")
    }
    guard (1...10_080).contains(purgeIntervalMinutes) else {
      throw ValidationError(
        "--purge-interval-minutes must be 1 to 10080 (a week), not \(purgeIntervalMinutes)")
    }
    guard ["membership", "none"].contains(hostCheck) else {
      throw ValidationError("--host-check must be \"membership\" or \"none\", not \"\(hostCheck)\"")
    }
  }

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.reception")
    let store: ServiceDatabase
    do {
      store = try ReceptionSchema.open(path: database)
    } catch {
      // Without its database the instance is useless: say which file and why, and stop.
      logger.critical("cannot open the reception database \(database): \(error)")
      throw ExitCode.failure
    }
    logger.info(
      "reception database at \(database); personal data kept \(retentionDays) days after a visit")
    var client = RPCClient.Configuration(endpoint: frontend)
    client.security = try instance.clientSecurity(service: "reception")
    let membership =
      hostCheck == "none" ? nil : try RPCClient(configuration: client, logger: logger)
    let hosts: any HostDirectory =
      membership.map { MembershipHostDirectory(client: $0) } ?? UncheckedHostDirectory()
    let service = ReceptionService(database: store, hosts: hosts, logger: logger)
    let purge = PersonalDataPurge(
      database: store, retentionDays: retentionDays,
      interval: .seconds(60 * purgeIntervalMinutes), logger: logger)
    let server = RPCServer(
      service: service, configuration: try instance.serverConfiguration(service: "reception"), logger: logger)
    try await ServiceRunner.run([server, PurgeSchedule(purge: purge)], logger: logger) {
      membership?.close()
    }
  }
}
