import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import TongxinRPC
import ZeroMQ

/// Runs long-lived services until SIGTERM or SIGINT, then shuts them down gracefully.
public enum ServiceRunner {
  /// `tasks` are services that end by themselves (set-up work beside the long-lived ones): their
  /// end, or their failure, which they log, stops nothing.
  /// `closing` runs once the services have stopped, before the process lets its last
  /// messages leave: close clients there.
  public static func run(
    _ services: [any Service], tasks: [any Service] = [], logger: Logger,
    closing: @Sendable () -> Void = {}
  ) async throws {
    // A peer that vanished must not kill the process through a write to a closed pipe.
    signal(SIGPIPE, SIG_IGN)
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: services.map { .init(service: $0) }
          + tasks.map {
            .init(
              service: $0, successTerminationBehavior: .ignore,
              failureTerminationBehavior: .ignore)
          },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
    let watch = ParentWatch.startIfAsked { await group.triggerGracefulShutdown() }
    defer { watch?.cancel() }
    try await group.run()
    closing()
    // Let the last replies leave before the process ends.
    if !ZMQContext.tongxinShared.terminate(timeout: .seconds(2)) {
      logger.warning("some ZeroMQ sockets were still open at exit")
    }
  }
}
