import ArgumentParser
import Foundation
import Logging
import TongxinApp

/// `tongxin up`: the gateway and every service as child processes, until Ctrl-C.
struct UpCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "up",
    abstract: "Start the gateway and every service locally; stop them all on Ctrl-C or SIGTERM.")

  @Option(
    name: .customLong("scale"),
    help: "Instances of a service, as SERVICE=N (repeatable; default 1 each).")
  var scales: [String] = []

  @Option(help: "Where callers reach the gateway (env TONGXIN_FRONTEND).")
  var frontend: String = Environment.value("TONGXIN_FRONTEND") ?? Defaults.frontendEndpoint

  @Option(help: "Where instances reach the gateway (env TONGXIN_BACKEND).")
  var backend: String = Environment.value("TONGXIN_BACKEND") ?? Defaults.backendEndpoint

  @Option(help: "Folder for the services' data.")
  var data: String = Environment.value("TONGXIN_DATA") ?? "data"

  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    _ = try instanceCounts()
  }

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.up")
    try FileManager.default.createDirectory(
      atPath: data, withIntermediateDirectories: true)
    // Every service keeps its database in the data folder (TONGXIN_DATA).
    let dataFolder = URL(fileURLWithPath: data).standardizedFileURL.path
    var programs = [
      SupervisedProgram(
        name: "gateway", executable: try Executables.url("tongxin-gateway"),
        arguments: ["--log-level", logging.logLevel, "--frontend", frontend, "--backend", backend])
    ]
    for (service, count) in try instanceCounts().sorted(by: { $0.key < $1.key }) {
      for index in 1...max(count, 1) where count > 0 {
        programs.append(
          SupervisedProgram(
            name: count == 1 ? service : "\(service)-\(index)",
            executable: try Executables.url("tongxin-\(service)"),
            arguments: ["--log-level", logging.logLevel, "--gateway", backend],
            environment: ["TONGXIN_DATA": dataFolder, "TONGXIN_FRONTEND": frontend]))
      }
    }
    let supervisor = Supervisor(programs: programs, logger: logger)
    let demo = FirstStartDemo(
      frontend: frontend, dataFolder: dataFolder, services: try instanceCounts().filter { $0.value > 0 }.map(\.key),
      logger: logger)
    try await ServiceRunner.run([supervisor], tasks: [demo], logger: logger)
  }

  /// Instances per service: 1 each unless `--scale` says otherwise.
  private func instanceCounts() throws -> [String: Int] {
    var counts = Dictionary(uniqueKeysWithValues: Defaults.services.map { ($0, 1) })
    for service in Defaults.optionalServices { counts[service] = 0 }
    for scale in scales {
      let parts = scale.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let count = Int(parts[1]), count >= 0 else {
        throw ValidationError("--scale takes SERVICE=N, for example membership=3, not \"\(scale)\"")
      }
      guard counts[parts[0]] != nil else {
        throw ValidationError(
          "unknown service \"\(parts[0])\"; known: "
            + (Defaults.services + Defaults.optionalServices).joined(separator: ", "))
      }
      counts[parts[0]] = count
    }
    return counts
  }
}
