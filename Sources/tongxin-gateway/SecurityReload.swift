import Gateway
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads keys and policy on SIGHUP, the way operators reload daemons: a removed key is
/// refused from then on, without a restart and without dropping anyone else's calls.
struct SecurityReload: Service {
  let broker: Broker
  let options: SecurityOptions
  let logger: Logger

  func run() async throws {
    let signals = await UnixSignalsSequence(trapping: .sighup)
    for await _ in signals.cancelOnGracefulShutdown() {
      do {
        guard let security = try options.load() else { continue }
        broker.reload(security: security)
      } catch {
        // Keep the keys and policy in force rather than lock everyone out over a typo.
        logger.error("reload refused, keeping the previous keys and policy: \(error)")
      }
    }
  }
}
