import ArgumentParser
import TongxinMessages

struct ListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the services and their live instances.")

  @OptionGroup var options: GatewayOptions

  func run() async throws {
    let client = try options.makeClient()
    defer { client.close() }
    let response = try await Tongxin_System_System.Client(wrapping: client)
      .listServices(Tongxin_System_ListServicesRequest())
    try options.print(response) { response in
      var lines: [String] = []
      for service in response.services {
        let kind = service.builtin ? " (gateway)" : ""
        lines.append("\(service.service)\(kind): \(service.instances.count) instance(s), "
          + "\(service.queued) queued")
        for instance in service.instances {
          lines.append(
            "  \(instance.instanceID)  v\(instance.version)  in flight \(instance.inFlight)/"
              + "\(instance.maxConcurrency)  calls \(instance.calls)  heard \(instance.lastHeartbeatMsAgo) ms ago"
              + (instance.draining ? "  draining" : ""))
        }
      }
      return lines.joined(separator: "\n")
    }
  }
}
