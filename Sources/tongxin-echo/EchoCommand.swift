import ArgumentParser
import Echo
import TongxinApp
import TongxinRPC

/// A service instance of `echo`, for tests and benchmarks.
@main
struct EchoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-echo", abstract: "Serves the echo service through a Tongxin gateway.")

  @OptionGroup var instance: InstanceOptions
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let logger = try logging.bootstrap(label: "tongxin.echo")
    let server = RPCServer(
      service: EchoService(), configuration: try instance.serverConfiguration(service: "echo"), logger: logger)
    try await ServiceRunner.run([server], logger: logger)
  }
}
