import TongxinProtobuf

/// Maps method names to handlers that take and give encoded messages.
public struct RPCRouter: Sendable {
  /// Decodes the request, runs the handler, encodes the response.
  typealias Handler = @Sendable ([UInt8], ServerContext) async throws -> [UInt8]

  private(set) var handlers: [String: Handler] = [:]

  public init() {}

  /// Adds `handler` for `method`, replacing any earlier one.
  public mutating func register<Input: ProtoMessage, Output: ProtoMessage>(
    _ method: MethodDescriptor,
    handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
  ) {
    handlers[method.method] = { bytes, context in
      let input: Input
      do {
        input = try Input(serializedBytes: bytes)
      } catch {
        throw RPCError(code: .invalidArgument, message: "request payload: \(error)")
      }
      return try await handler(input, context).serializedBytes()
    }
  }

  /// The methods that have handlers.
  public var methods: [String] { handlers.keys.sorted() }
}
