import ArgumentParser
import Membership
import TongxinApp
import TongxinRPC

/// A service instance of `membership`. Several may run at once on one machine: they share the
/// database file.
@main
struct MembershipCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-membership",
    abstract: "Serves the membership service through a Tongxin gateway.")

  @OptionGroup var instance: InstanceOptions
  @OptionGroup var logging: LoggingOptions

  @Option(
    help: """
      The SQLite database, shared by every instance on this machine (env \
      TONGXIN_MEMBERSHIP_DATABASE; default $TONGXIN_DATA/membership.sqlite, TONGXIN_DATA \
      defaulting to "data").
      """)
  var database: String =
    Environment.value("TONGXIN_MEMBERSHIP_DATABASE")
    ?? "\(Environment.value("TONGXIN_DATA") ?? "data")/membership.sqlite"

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.membership")
    let service: MembershipService
    do {
      service = try MembershipService(databasePath: database, logger: logger)
    } catch {
      // Without its database the instance is useless: say which file and why, and stop.
      logger.critical("cannot open the membership database \(database): \(error)")
      throw ExitCode.failure
    }
    logger.info("membership database at \(database)")
    let server = RPCServer(
      service: service, configuration: try instance.serverConfiguration(service: "membership"), logger: logger)
    try await ServiceRunner.run([server], logger: logger)
  }
}
