import TongxinProtobuf

/// Maps method names to handlers that take and give encoded messages.
///
/// This is also the one place where personal data is guarded (proto/PROTOCOL.md, "Personal
/// data"): every handler of every service, the gateway's aggregates included, is wrapped here,
/// so no handler redacts anything itself.
public struct RPCRouter: Sendable {
  /// Decodes the request, runs the handler, encodes the response. On the executor of the
  /// task that calls it, with no hop (see `RPCClient.unary`).
  typealias Handler = nonisolated(nonsending) @Sendable ([UInt8], ServerContext) async throws
    -> [UInt8]

  /// A handler in a struct of its own: a function stored as a dictionary's (generic) value is
  /// kept in its most general form and reached through two reabstraction thunks, async
  /// frames both, on every call (Tests/Perf/callgrind echo).
  struct Route: Sendable {
    let handle: Handler
  }

  private var routes: [String: Route] = [:]

  /// The handler of `method`, if it has one.
  func handler(for method: String) -> Handler? {
    routes[method]?.handle
  }

  public init() {}

  /// Adds `handler` for `method`, replacing any earlier one.
  ///
  /// A response goes out with its personal fields redacted unless the gateway said the caller
  /// may read personal data. A request that carries a redaction marker in a personal field is
  /// refused before the handler runs: it is redacted data sent back, and storing it would
  /// overwrite the real data with the marker.
  public mutating func register<Input: ProtoMessage, Output: ProtoMessage>(
    _ method: MethodDescriptor,
    handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
  ) {
    routes[method.method] = Route { bytes, context in
      let input: Input
      do {
        input = try Input(serializedBytes: bytes)
      } catch {
        throw RPCError(code: .invalidArgument, message: "request payload: \(error)")
      }
      if let field = input.redactionMarkerPath() {
        throw FieldError.invalid(
          field,
          "holds the redaction marker, not data: personal data withheld from a caller cannot "
            + "be written back")
      }
      let output = try await handler(input, context)
      return context.mayReadPersonalData
        ? output.serializedBytes() : output.redactingPersonalData().serializedBytes()
    }
  }

  /// The methods that have handlers.
  public var methods: [String] { routes.keys.sorted() }
}
