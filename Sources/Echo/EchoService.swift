import Synchronization
import TongxinMessages
import TongxinRPC

/// The echo service: exercises the RPC core in tests and benchmarks.
public final class EchoService: Tongxin_Echo_Echo.ServiceProtocol {
  /// Idempotency keys (or call-unique tokens) applied per tag, for `Count`.
  private let applied = Mutex<[String: Set<String>]>([:])

  public init() {}

  public func echo(_ request: Tongxin_Echo_EchoRequest, context: ServerContext) async throws
    -> Tongxin_Echo_EchoResponse
  {
    var response = Tongxin_Echo_EchoResponse()
    response.text = request.text
    response.payload = request.payload
    response.instanceID = context.instanceID
    return response
  }

  public func work(_ request: Tongxin_Echo_WorkRequest, context: ServerContext) async throws
    -> Tongxin_Echo_WorkResponse
  {
    var response = Tongxin_Echo_WorkResponse()
    response.instanceID = context.instanceID
    do {
      try await Task.sleep(for: .milliseconds(Int64(request.milliseconds)))
      response.finished = true
    } catch {
      response.finished = false
    }
    return response
  }

  public func fail(_ request: Tongxin_Echo_FailRequest, context: ServerContext) async throws
    -> Tongxin_Echo_FailResponse
  {
    guard request.code != .ok else { return Tongxin_Echo_FailResponse() }
    throw RPCError(code: request.code, message: request.message)
  }

  public func mirror(_ request: Tongxin_Echo_Sample, context: ServerContext) async throws
    -> Tongxin_Echo_Sample
  {
    request
  }

  public func count(_ request: Tongxin_Echo_CountRequest, context: ServerContext) async throws
    -> Tongxin_Echo_CountResponse
  {
    let token = context.idempotencyKey.isEmpty ? "call-\(UInt64.random(in: 0...UInt64.max))"
      : context.idempotencyKey
    var response = Tongxin_Echo_CountResponse()
    response.instanceID = context.instanceID
    response.count = applied.withLock { applied in
      applied[request.tag, default: []].insert(token)
      return UInt64(applied[request.tag]!.count)
    }
    return response
  }
}
