import ArgumentParser
import TongxinMessages
import TongxinWire

struct DescribeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe",
    abstract: "Describe services: their methods and the fields of their messages.")

  @OptionGroup var options: GatewayOptions

  @Argument(help: "A service, or service.Method; every service when omitted.")
  var target: String?

  func run() async throws {
    let client = try options.makeClient()
    defer { client.close() }
    let parts = target?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
    var request = Tongxin_System_DescribeRequest()
    request.service = parts.first ?? ""
    var response = try await Tongxin_System_System.Client(wrapping: client).describe(request)
    if parts.count == 2 {
      response.services = response.services.map { service in
        var service = service
        service.methods = service.methods.filter { $0.name == parts[1] }
        return service
      }
      if response.services.allSatisfy({ $0.methods.isEmpty }) {
        throw ValidationFailure("service \(parts[0]) has no method \(parts[1])")
      }
    }
    try options.print(response) { response in
      response.services.map(Self.text).joined(separator: "\n\n")
    }
  }

  private static func text(_ service: Tongxin_Rpc_ServiceDescription) -> String {
    var lines = ["service \(service.name) (\(service.protoName))"]
    let messages = Dictionary(service.messages.map { ($0.name, $0) }) { first, _ in first }
    for method in service.methods {
      let access = method.readOnly ? "read-only" : "write"
      lines.append("  rpc \(method.name)(\(method.inputType)) returns (\(method.outputType))  [\(access)]")
      if !method.comment.isEmpty { lines.append("    // \(method.comment)") }
      for field in messages[method.inputType]?.fields ?? [] {
        let type = field.typeName.isEmpty ? "\(field.kind)" : field.typeName
        lines.append(
          "    \(field.repeated ? "repeated " : "")\(type) \(field.jsonName) = \(field.number)"
            + (field.personal ? "  [personal]" : ""))
      }
    }
    return lines.joined(separator: "\n")
  }
}
