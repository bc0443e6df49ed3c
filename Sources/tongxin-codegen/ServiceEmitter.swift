// Proto services → grpc-swift-2-style Swift: a namespace enum with the wire name, the
// description, a descriptor per method, the `ServiceProtocol` a service implements and the
// typed `Client` a caller uses. The types they build on come from module TongxinRPC.

struct ServiceEmitter {
  let plan: GenerationPlan
  let w: CodeWriter

  /// The service's wire name: the last component of its package (`tongxin.echo` → `echo`).
  static func wireName(package: String) -> String {
    String(package.split(separator: ".").last ?? "")
  }

  func emit(_ service: ProtoService, package: String) throws {
    let wireName = Self.wireName(package: package)
    let namespace = SwiftNaming.typeName(fullName: service.fullName, package: package)
    struct Method {
      var proto: ProtoMethod
      var typeName: String
      var funcName: String
      var input: String
      var output: String
    }
    let methods = try service.methods.map { m in
      if m.clientStreaming || m.serverStreaming {
        throw CodegenError("\(service.fullName).\(m.name): streaming methods are not supported")
      }
      return Method(
        proto: m, typeName: SwiftNaming.nestedTypeName(m.name),
        funcName: SwiftNaming.methodName(m.name), input: plan.swiftType(m.inputType),
        output: plan.swiftType(m.outputType))
    }

    w.line()
    w.docComment(service.comment)
    try w.block("public enum \(namespace) {") {
      w.line("/// The name callers and instances use on the wire.")
      w.line("public static let serviceName = \(swiftLiteral(wireName))")
      w.line()
      try DescriptionEmitter(plan: plan, w: w).emit(service, wireName: wireName)
      w.line()
      w.block("public enum Method {") {
        for (i, m) in methods.enumerated() {
          if i > 0 { w.line() }
          w.docComment(m.proto.comment)
          w.block("public enum \(m.typeName) {") {
            w.line("public typealias Input = \(m.input)")
            w.line("public typealias Output = \(m.output)")
            w.line("public static let descriptor = MethodDescriptor(")
            w.line(
              "  service: \(swiftLiteral(wireName)), method: \(swiftLiteral(m.proto.name)), readOnly: \(m.proto.noSideEffects))"
            )
          }
        }
      }
      w.line()
      w.line("/// What an instance of the service implements.")
      w.block("public protocol ServiceProtocol: RPCService {") {
        for (i, m) in methods.enumerated() {
          if i > 0 { w.line() }
          w.docComment(m.proto.comment)
          w.line("func \(m.funcName)(_ request: \(m.input), context: ServerContext) async throws")
          w.line("  -> \(m.output)")
        }
      }
      w.line()
      w.line("/// Calls the service through an `RPCClient`.")
      w.block("public struct Client: Sendable {") {
        w.line("public let client: RPCClient")
        w.line()
        w.line("public init(wrapping client: RPCClient) { self.client = client }")
        for m in methods {
          w.line()
          w.docComment(m.proto.comment)
          // `nonisolated(nonsending)`, as `RPCClient.unary` (which says why).
          w.line("nonisolated(nonsending) public func \(m.funcName)(")
          w.line("  _ request: \(m.input), options: CallOptions = .defaults")
          w.block(") async throws -> \(m.output) {") {
            w.line(
              "try await client.unary(request, method: Method.\(m.typeName).descriptor, options: options)"
            )
          }
        }
      }
    }
    w.line()
    w.block("extension \(namespace).ServiceProtocol {") {
      w.block("public var serviceDescription: Tongxin_Rpc_ServiceDescription {") {
        w.line("\(namespace).description")
      }
      w.line()
      w.block("public func registerMethods(with router: inout RPCRouter) {") {
        for m in methods {
          w.block("router.register(\(namespace).Method.\(m.typeName).descriptor) {") {
            w.line("(request: \(m.input), context: ServerContext) in")
            w.line("try await self.\(m.funcName)(request, context: context)")
          }
        }
      }
    }
  }
}
