import ArgumentParser
import Foundation
import Gateway
import Logging
import TongxinApp
import TongxinProcesses
import TongxinRPC

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

  @Option(help: "Folder for the services' data and, under keys/, every key (env TONGXIN_DATA).")
  var data: String = Environment.value("TONGXIN_DATA") ?? "data"

  @Option(help: "What each department may call (env TONGXIN_POLICY).")
  var policy: String = Environment.value("TONGXIN_POLICY") ?? Defaults.policyFile

  @Flag(
    help: """
      Run every process without encryption or authentication. INSECURE: only on a machine       nobody else can reach.
      """)
  var insecurePlaintext = false

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
    let security = try prepareSecurity(dataFolder: dataFolder, logger: logger)
    var programs = [
      SupervisedProgram(
        name: "gateway", executable: try Executables.url("tongxin-gateway"),
        arguments: ["--log-level", logging.logLevel, "--frontend", frontend, "--backend", backend]
          + security.gatewayArguments,
        // The audit log lives in the data folder.
        environment: security.environment.merging(["TONGXIN_DATA": dataFolder]) { $1 })
    ]
    for (service, count) in try instanceCounts().sorted(by: { $0.key < $1.key }) {
      for index in 1...max(count, 1) where count > 0 {
        programs.append(
          SupervisedProgram(
            name: count == 1 ? service : "\(service)-\(index)",
            executable: try Executables.url("tongxin-\(service)"),
            arguments: ["--log-level", logging.logLevel, "--gateway", backend],
            environment: security.environment.merging(
              ["TONGXIN_DATA": dataFolder, "TONGXIN_FRONTEND": frontend]) { $1 }))
      }
    }
    let supervisor = Supervisor(programs: programs, logger: logger)
    let demo = FirstStartDemo(
      frontend: frontend, security: security.operatorKeys, dataFolder: dataFolder, services: try instanceCounts().filter { $0.value > 0 }.map(\.key),
      logger: logger)
    try await ServiceRunner.run([supervisor], tasks: [demo], logger: logger)
  }

  /// What the children need to authenticate: every key made once under DATA/keys (the
  /// gateway's, one per service, one per department in the policy), or plaintext if asked.
  private func prepareSecurity(dataFolder: String, logger: Logger) throws -> UpSecurity {
    if insecurePlaintext {
      logger.warning("running in plaintext: anyone who reaches these ports may call anything")
      return UpSecurity(
        gatewayArguments: ["--insecure-plaintext"],
        environment: ["TONGXIN_INSECURE_PLAINTEXT": "1"], operatorKeys: nil)
    }
    let keys = dataFolder + "/keys"
    let policyFile = URL(fileURLWithPath: policy).standardizedFileURL.path
    let departments = try AccessPolicy.load(file: policyFile).departments.keys.sorted()
    guard departments.contains(KeyLocations.operatorDepartment) else {
      throw ValidationError(
        "the policy \(policyFile) has no department \"\(KeyLocations.operatorDepartment)\", "
          + "which `tongxin` commands call as by default")
    }
    try LocalKeys.ensure(
      folder: keys, services: Defaults.services + Defaults.optionalServices,
      departments: departments)
    let example = KeyLocations.department("DEPARTMENT", in: keys)
    logger.info(
      """
      keys in \(keys): departments \(departments.joined(separator: ", ")); \
      call as one with `tongxin call --key \(example).key ...`
      """)
    let operatorKeys = try KeyLocations.departmentSecurity(
      KeyLocations.operatorDepartment, in: keys)
    return UpSecurity(
      gatewayArguments: ["--policy", policyFile], environment: ["TONGXIN_KEYS": keys],
      operatorKeys: operatorKeys)
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

/// How `tongxin up` passes security to its children.
struct UpSecurity {
  var gatewayArguments: [String]
  var environment: [String: String]
  /// What the demo loader calls with; nil in plaintext.
  var operatorKeys: CurveClientSecurity?
}
