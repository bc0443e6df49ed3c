import ArgumentParser
import Foundation
import Logging
import TongxinApp
import TongxinRPC

/// `--gateway`, `--json` and `--timeout`: what every command that calls the gateway takes.
struct GatewayOptions: ParsableArguments {
  @Option(help: "The gateway's frontend endpoint (env TONGXIN_GATEWAY).")
  var gateway: String = Environment.value("TONGXIN_GATEWAY") ?? Defaults.frontendEndpoint

  @Flag(help: "Print JSON for scripts instead of text.")
  var json = false

  @Option(help: "Seconds to wait for each answer.")
  var timeout: Double = 5

  @OptionGroup var security: ClientSecurityOptions

  func makeClient() throws -> RPCClient {
    var configuration = RPCClient.Configuration(endpoint: gateway)
    configuration.defaultTimeout = .milliseconds(Int64(timeout * 1000))
    // Without --key: the operators' department, whose key `tongxin up` made.
    configuration.security = try security.clientSecurity {
      KeyLocations.department(KeyLocations.operatorDepartment, in: $0)
    }
    var logger = Logger(label: "tongxin")
    logger.logLevel = .error
    return try RPCClient(configuration: configuration, logger: logger)
  }

  /// Prints `value` as JSON when asked, else the text `text` makes.
  func print<Value: Encodable>(_ value: Value, text: (Value) -> String) throws {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    } else {
      Swift.print(text(value))
    }
  }
}
