import Reception
import ServiceLifecycle

/// The personal-data purge as a long-running part of the instance: it stops on graceful
/// shutdown, between two rounds or while one waits.
struct PurgeSchedule: Service {
  let purge: PersonalDataPurge

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await purge.run()
    }
  }
}
