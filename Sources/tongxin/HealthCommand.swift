import ArgumentParser
import Foundation
import TongxinApp
import TongxinMessages
import TongxinRPC

struct HealthCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "health",
    abstract: "Show whether each service can take calls; exit 0 when all expected ones can.")

  @OptionGroup var options: GatewayOptions

  @Option(help: "Wait up to this many seconds for every expected service to be SERVING.")
  var wait: Double?

  @Option(name: .customLong("service"), help: "A service that must be SERVING (repeatable).")
  var services: [String] = Defaults.services

  func run() async throws {
    let client = try options.makeClient()
    defer { client.close() }
    let system = Tongxin_System_System.Client(wrapping: client)
    var request = Tongxin_System_HealthRequest()
    request.services = services
    let deadline = ContinuousClock.now + .milliseconds(Int64((wait ?? 0) * 1000))
    var last: Result<Tongxin_System_HealthResponse, RPCError>
    repeat {
      do {
        last = .success(try await system.health(request))
      } catch let error as RPCError {
        last = .failure(error)
      }
      if case .success(let response) = last, Self.allServing(response) { break }
      if ContinuousClock.now >= deadline { break }
      try await Task.sleep(for: .milliseconds(250))
    } while true
    switch last {
    case .failure(let error):
      throw ValidationFailure("cannot reach the gateway at \(options.gateway): \(error)")
    case .success(let response):
      try options.print(response) { response in
        response.services.map {
          "\($0.service.padding(toLength: 14, withPad: " ", startingAt: 0)) "
            + "\($0.status.label) (\($0.readyInstances) ready)"
        }.joined(separator: "\n")
      }
      if !Self.allServing(response) { throw ExitCode(1) }
    }
  }

  private static func allServing(_ response: Tongxin_System_HealthResponse) -> Bool {
    response.services.allSatisfy { $0.status == .serving }
  }
}

extension Tongxin_System_ServingStatus {
  var label: String {
    switch self {
    case .serving: "SERVING"
    case .notServing: "NOT_SERVING"
    default: "UNKNOWN"
    }
  }
}

/// A failure the user caused or can fix: printed as a message, exit code 1.
struct ValidationFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
