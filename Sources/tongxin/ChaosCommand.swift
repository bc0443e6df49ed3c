import ArgumentParser
import Foundation
import TongxinTesting

/// `tongxin chaos`: the kill suite, as long as an operator wants it.
struct ChaosCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chaos",
    abstract: "Kill suite: SIGKILL instances and the gateway under load; check nothing is lost.",
    discussion: """
      Starts its own system (a gateway and two instances each of membership, events and \
      reception, as processes beside this executable, data in a temporary folder), puts a \
      steady mix of reads and idempotent writes on it, and runs kill cycles: each SIGKILLs one \
      instance of every service in turn and starts it again. The gateway is SIGKILLed and \
      started again on the same ports once per run, or every --gateway-every cycles. Then it \
      reads every record back and prints its counts; exit status 1 when an acknowledged write \
      was lost or any write was applied twice.
      """)

  @Option(help: "Kill cycles (each kills one instance of every service).")
  var cycles = 10

  @Option(help: "Keep cycling for at least this many seconds.")
  var duration: Int = 0

  @Option(help: "Restart the gateway every this many cycles (default: once, at the end).")
  var gatewayEvery: Int?

  @Option(help: "Concurrent callers.")
  var workers = 6

  @Option(help: "Share of writes by an impatient client (2-60 ms deadlines, 3 attempts), 0-1.")
  var impatient = 0.1

  @Option(help: "The gateway's heartbeat interval in milliseconds.")
  var heartbeatMs = 1000

  @Flag(help: "Also freeze one instance of each service per cycle until the gateway drops it.")
  var freeze = false

  @Flag(help: "Print every log line of the processes.")
  var verbose = false

  func validate() throws {
    guard cycles >= 1, duration >= 0, workers >= 1, (0...1).contains(impatient) else {
      throw ValidationError(
        "--cycles and --workers must be at least 1, --duration at least 0, --impatient 0 to 1")
    }
    if let gatewayEvery, gatewayEvery < 1 {
      throw ValidationError("--gateway-every must be at least 1")
    }
  }

  func run() async throws {
    let verbose = self.verbose
    let suite = KillSuite(
      .init(
        cycles: cycles, minimumDuration: .seconds(duration), gatewayRestartEvery: gatewayEvery,
        workers: workers, impatientShare: impatient, freezes: freeze, gatewayArguments: ["--heartbeat-ms", "\(heartbeatMs)"],
        // Progress on standard error, unbuffered: it shows as it happens, also in a pipe.
        log: { line in Self.progress("[chaos] \(line)") },
        processOutput: { line in if verbose { Self.progress(line) } }))
    let report = try await suite.run()
    print(report)
    if !report.passed { throw ExitCode(1) }
  }

  private static func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
