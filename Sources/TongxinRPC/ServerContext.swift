/// What a handler knows about the call it serves.
///
/// Cancellation arrives as task cancellation: the handler's task is cancelled when the caller
/// gives up or the deadline passes.
public struct ServerContext: Sendable {
  public var service: String
  public var method: String
  public var metadata: [String: String]
  /// Empty when the caller sent none.
  public var idempotencyKey: String
  /// After this instant nobody waits for the answer.
  public var deadline: ContinuousClock.Instant
  /// The instance serving the call.
  public var instanceID: String

  public init(
    service: String, method: String, metadata: [String: String] = [:],
    idempotencyKey: String = "", deadline: ContinuousClock.Instant, instanceID: String
  ) {
    self.service = service
    self.method = method
    self.metadata = metadata
    self.idempotencyKey = idempotencyKey
    self.deadline = deadline
    self.instanceID = instanceID
  }

  /// Time left before the deadline (never negative).
  public var timeRemaining: Duration {
    max(.zero, ContinuousClock.now.duration(to: deadline))
  }
}
