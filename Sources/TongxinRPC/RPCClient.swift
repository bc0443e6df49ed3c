import Logging
import Synchronization
import TongxinProtobuf
import TongxinWire
import ZeroMQ

/// A connection to a Tongxin gateway that carries any number of calls at once.
///
/// The socket lives on a thread of its own ( a ``PollLoop``): callers never block the
/// cooperative thread pool. Each call has a deadline, metadata and an idempotency key, and
/// ends with the response or an ``RPCError``; cancelling the calling task cancels the call.
public final class RPCClient: Sendable {
  public struct Configuration: Sendable {
    /// The gateway's frontend, for example `tcp://127.0.0.1:7700`.
    public var endpoint: String
    /// Used when a call sets no timeout.
    public var defaultTimeout: Duration = .seconds(30)
    /// Calls in flight at once; past it a call fails at once with `RESOURCE_EXHAUSTED`.
    public var maxOutstandingCalls = 10_000
    /// CurveZMQ keys for a gateway that authenticates callers; nil speaks plaintext.
    public var security: CurveClientSecurity?

    public init(endpoint: String) {
      self.endpoint = endpoint
    }
  }

  public let configuration: Configuration
  private let loop: PollLoop
  private let core: ClientCore
  private let nextCallID = Atomic<UInt64>(1)

  public convenience init(endpoint: String, logger: Logger = Logger(label: "tongxin.client"))
    throws
  {
    try self.init(configuration: Configuration(endpoint: endpoint), logger: logger)
  }

  public init(
    configuration: Configuration, context: ZMQContext = .tongxinShared,
    logger: Logger = Logger(label: "tongxin.client")
  ) throws {
    self.configuration = configuration
    let loop = PollLoop(name: "tongxin-client")
    let core = try loop.setUp {
      try ClientCore(configuration: configuration, context: context, loop: loop, logger: logger)
    }
    self.loop = loop
    self.core = core
  }

  deinit {
    close()
  }

  /// The client's socket thread as an executor.
  ///
  /// Calls made from tasks that prefer it (`withTaskExecutorPreference(client.executor)`)
  /// cross no thread on their way to the socket and back. Such tasks must not block.
  public var executor: any TaskExecutor { loop }

  /// Ends every call in flight with `CANCELLED`, cancels them at the gateway (which frees
  /// their places there and at the instances) and closes the connection.
  public func close() {
    let core = self.core
    let loop = self.loop
    loop.execute {
      core.close()
      loop.stop()
    }
  }

  /// Calls `method` with a typed request and decodes the typed response.
  ///
  /// It runs on its caller's executor (`nonisolated(nonsending)`, as `call` and the generated
  /// clients): a plain nonisolated async function hops to the generic executor when it starts
  /// and when it returns, and each hop looks up the task's executor preference under a lock
  /// (1 000 instructions per call with the two, Tests/Perf/callgrind client).
  nonisolated(nonsending) public func unary<Input: ProtoMessage, Output: ProtoMessage>(
    _ request: Input, method: MethodDescriptor, options: CallOptions = .defaults
  ) async throws -> Output {
    let bytes = try await call(
      service: method.service, method: method.method, payload: request.serializedBytes(),
      options: options)
    do {
      return try Output(serializedBytes: bytes)
    } catch {
      throw RPCError(code: .internal, message: "response of \(method): \(error)")
    }
  }

  /// Calls a method with an encoded request and returns the encoded response.
  ///
  /// For tools that build messages at run time; typed code uses generated clients.
  nonisolated(nonsending) public func call(
    service: String, method: String, payload: [UInt8], options: CallOptions = .defaults
  ) async throws(RPCError) -> [UInt8] {
    // The header holds whole milliseconds in 32 bits (49 days): a longer timeout is that, and
    // is never computed with (a deadline 2^63 seconds away traps).
    let timeout = min(options.timeout ?? configuration.defaultTimeout, Self.longestTimeout)
    let callID = nextCallID.add(1, ordering: .relaxed).oldValue
    let timeoutMs = UInt32(clamping: max(1, timeout.milliseconds))
    let idempotencyKey = options.idempotencyKey ?? ""
    let headerBytes: [UInt8]
    if options.metadata.isEmpty {
      headerBytes = Tongxin_Rpc_RequestHeader.packed(
        callID: callID, service: service, method: method, timeoutMs: timeoutMs,
        idempotencyKey: idempotencyKey)
    } else {
      var header = Tongxin_Rpc_RequestHeader()
      header.callID = callID
      header.service = service
      header.method = method
      header.timeoutMs = timeoutMs
      header.metadata = options.metadata
      header.idempotencyKey = idempotencyKey
      headerBytes = header.serializedBytes()
    }
    let call = OutgoingCall(
      id: callID, header: headerBytes, payload: payload,
      deadline: .now + timeout)
    let core = self.core
    let result: Result<[UInt8], RPCError> = await withTaskCancellationHandler {
      // Unsafe: resumed exactly once, by ClientCore.finish, which clears it (saves an allocation
      // per call over the checked kind).
      await withUnsafeContinuation { continuation in
        call.continuation = continuation
        if !loop.executeSoon({ core.start(call) }) {
          // Closed, its loop gone: nothing would ever answer.
          call.continuation = nil
          continuation.resume(returning: .failure(.clientClosed))
        }
      }
    } onCancel: {
      call.cancelled.store(true, ordering: .releasing)
      loop.execute { core.cancel(call.id) }
    }
    return try result.get()
  }
}

extension RPCClient {
  static let longestTimeout = Duration.milliseconds(Int64(UInt32.max))
}

extension RPCError {
  static let clientClosed = RPCError(code: .cancelled, message: "client closed")
}

extension Duration {
  /// Whole milliseconds, rounded up so that a short timeout never becomes 0.
  var milliseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
  }
}
