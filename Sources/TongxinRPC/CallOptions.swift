/// What a caller can set per call.
public struct CallOptions: Sendable, Hashable {
  /// How long the caller waits; the client's default (30 s) when nil.
  public var timeout: Duration?
  /// Sent to the service with the call. Keys starting with `tongxin-` are reserved.
  public var metadata: [String: String]
  /// Makes a write safe to retry: the service applies it once per key.
  public var idempotencyKey: String?

  public init(
    timeout: Duration? = nil, metadata: [String: String] = [:], idempotencyKey: String? = nil
  ) {
    self.timeout = timeout
    self.metadata = metadata
    self.idempotencyKey = idempotencyKey
  }

  public static var defaults: CallOptions { CallOptions() }
}
