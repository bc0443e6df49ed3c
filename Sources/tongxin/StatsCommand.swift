import ArgumentParser
import TongxinMessages
import TongxinRPC

struct StatsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Show calls, errors and latency per method.")

  @OptionGroup var options: GatewayOptions

  func run() async throws {
    let client = try options.makeClient()
    defer { client.close() }
    let system = Tongxin_System_System.Client(wrapping: client)
    let stats = try await system.getStats(Tongxin_System_GetStatsRequest())
    let services = try await system.listServices(Tongxin_System_ListServicesRequest())
    try options.print(StatsReport(stats: stats, services: services)) { report in
      var lines = ["pending calls: \(report.stats.pendingCalls)"]
      for method in report.stats.methods {
        let errors = method.errors.map { "\($0.code.name)=\($0.count)" }.joined(separator: " ")
        lines.append(
          "\(method.service).\(method.method): \(method.calls) calls, p50 "
            + "\(format(method.latencyP50Ms)) ms, p99 \(format(method.latencyP99Ms)) ms"
            + (errors.isEmpty ? "" : ", errors: \(errors)"))
      }
      for service in report.services.services where !service.instances.isEmpty {
        let spread = service.instances.map { "\($0.instanceID)=\($0.calls)" }
        lines.append("\(service.service) calls per instance: \(spread.joined(separator: " "))")
      }
      return lines.joined(separator: "\n")
    }
  }
}

/// Statistics per method and the spread of calls over instances.
struct StatsReport: Encodable {
  var stats: Tongxin_System_GetStatsResponse
  var services: Tongxin_System_ListServicesResponse
}

func format(_ value: Double) -> String {
  String(format: "%.3f", value)
}
