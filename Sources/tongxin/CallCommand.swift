import ArgumentParser
import Foundation
import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// `tongxin call SERVICE.METHOD [JSON]`: any RPC, JSON in and out (protobuf's JSON mapping).
struct CallCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "call",
    abstract: "Call any method with a JSON request and print the JSON response.",
    discussion: """
      The request uses protobuf's JSON mapping: lowerCamelCase field names (or the .proto \
      names), 64-bit integers as strings, enums by name, bytes as base64. `tongxin describe \
      SERVICE.METHOD` shows the fields. Give - to read the JSON from standard input.
      Example: tongxin call echo.Echo '{"text": "同心"}'
      """)

  @OptionGroup var options: GatewayOptions

  @Argument(help: "The method, as SERVICE.METHOD (for example echo.Echo).")
  var method: String

  @Argument(help: "The request as JSON; - reads standard input; {} when omitted.")
  var request: String?

  @Option(help: "An idempotency key, so that a retried write is applied once.")
  var idempotencyKey: String?

  @Option(name: .customLong("metadata"), help: "Call metadata as KEY=VALUE (repeatable).")
  var metadata: [String] = []

  func run() async throws {
    let parts = method.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
      throw ValidationError("give the method as SERVICE.METHOD, for example echo.Echo")
    }
    let client = try options.makeClient()
    defer { client.close() }
    let description = try await describe(service: parts[0], method: parts[1], client: client)
    let input = try decodeRequest(as: try messageType(description.inputType))
    let outputType = try messageType(description.outputType)
    let response: [UInt8]
    do {
      response = try await client.call(
        service: parts[0], method: parts[1], payload: input.serializedBytes(),
        options: CallOptions(
          metadata: try parsedMetadata(), idempotencyKey: idempotencyKey))
    } catch {
      throw ValidationFailure("\(method) failed: \(error)")
    }
    let output = try outputType.init(serializedBytes: response)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(output), as: UTF8.self))
  }

  private func describe(service: String, method: String, client: RPCClient) async throws
    -> Tongxin_Rpc_MethodDescription
  {
    var request = Tongxin_System_DescribeRequest()
    request.service = service
    let services: [Tongxin_Rpc_ServiceDescription]
    do {
      services = try await Tongxin_System_System.Client(wrapping: client).describe(request).services
    } catch let error as RPCError where error.code == .notFound {
      throw ValidationFailure("the gateway knows no service \"\(service)\" (see tongxin list)")
    }
    let methods = services.flatMap(\.methods)
    guard let found = methods.first(where: { $0.name == method }) else {
      let known = methods.map(\.name).joined(separator: ", ")
      throw ValidationFailure("service \"\(service)\" has no method \"\(method)\"; it has: \(known)")
    }
    return found
  }

  private func messageType(_ name: String) throws -> any ProtoMessage.Type {
    guard let type = TongxinMessageTypes.byName[name] else {
      throw ValidationFailure("this tongxin does not know message \(name): rebuild it")
    }
    return type
  }

  private func decodeRequest(as type: any ProtoMessage.Type) throws -> any ProtoMessage {
    let text: String
    switch request {
    case nil: text = "{}"
    case "-": text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    case let given?: text = given
    }
    do {
      return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
      throw ValidationFailure("the request is not a valid \(type.protoMessageName): "
        + ProtoJSON.errorDescription(error))
    }
  }

  private func parsedMetadata() throws -> [String: String] {
    var result: [String: String] = [:]
    for pair in metadata {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw ValidationError("--metadata takes KEY=VALUE, not \(pair)") }
      result[parts[0]] = parts[1]
    }
    return result
  }
}
