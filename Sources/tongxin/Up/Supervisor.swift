import Foundation
import Logging
import ServiceLifecycle
import TongxinApp
import TongxinProcesses

/// A program `tongxin up` keeps running.
struct SupervisedProgram: Sendable {
  var name: String
  var executable: URL
  var arguments: [String]
  var environment: [String: String] = [:]
}

/// Runs programs as child processes, prefixes their log lines with their names, restarts
/// crashed ones with backoff, and stops them all (services first, gateway last) on shutdown.
struct Supervisor: Service {
  let programs: [SupervisedProgram]
  let logger: Logger

  func run() async throws {
    let stopping = StopFlag()
    await withGracefulShutdownHandler {
      await withTaskGroup(of: Void.self) { group in
        for (index, program) in programs.enumerated() {
          // Services start once the gateway had a moment to bind.
          let delay: Duration = index == 0 ? .zero : .milliseconds(300)
          group.addTask { await keepRunning(program, after: delay, stopping: stopping) }
        }
      }
    } onGracefulShutdown: {
      stopping.set()
    }
  }

  private func keepRunning(_ program: SupervisedProgram, after delay: Duration, stopping: StopFlag)
    async
  {
    try? await Task.sleep(for: delay)
    var backoff: Duration = .seconds(1)
    while !stopping.isSet {
      let child: ChildProcess
      do {
        child = try ChildProcess(
          name: program.name, executable: program.executable, arguments: program.arguments,
          environment: program.environment
        ) { line in
          FileHandle.standardError.write(Data("[\(program.name)] \(line)\n".utf8))
        }
      } catch {
        logger.error("cannot start \(program.name): \(error)")
        return
      }
      let started = ContinuousClock.now
      let status = await stopping.wait(for: child, isGateway: program.name == "gateway")
      if stopping.isSet { return }
      if ContinuousClock.now - started > .seconds(30) { backoff = .seconds(1) }
      logger.warning("\(program.name) exited with status \(status); restarting in \(backoff)")
      try? await Task.sleep(for: backoff)
      backoff = min(backoff * 2, .seconds(30))
    }
  }
}
