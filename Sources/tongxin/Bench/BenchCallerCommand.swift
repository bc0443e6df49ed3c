import ArgumentParser
import TongxinRPC

/// The gateway half of `tongxin bench` on its own: the typed client's echo calls against a
/// running plaintext gateway, so that the caller's own cost can be measured alone (for
/// example under callgrind, by `Tests/Perf/callgrind client`).
struct BenchCallerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-caller", abstract: "The typed client's echo calls for `tongxin bench`.",
    shouldDisplay: false)

  @Option(help: "The gateway's frontend (plaintext).") var gateway: String
  @Option(help: "Calls to make.") var calls = 20_000
  @Option(help: "Calls in flight.") var inFlight = 32

  func run() async throws {
    let client = try RPCClient(endpoint: gateway)
    defer { client.close() }
    let sample = try await GatewayEchoClient.run(client: client, calls: calls, inFlight: inFlight)
    print("\(calls) calls, \(Int(sample.figures.calls_per_s)) calls/s")
  }
}
