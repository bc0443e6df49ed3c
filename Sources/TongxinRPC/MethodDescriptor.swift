/// Names one method of one service, as generated from the `.proto` files.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
  /// The service's wire name, for example `echo`.
  public var service: String
  /// The method as written in the `.proto`, for example `Echo`.
  public var method: String
  /// True when the method has no side effects, so a failed call may be retried elsewhere.
  public var readOnly: Bool

  public init(service: String, method: String, readOnly: Bool) {
    self.service = service
    self.method = method
    self.readOnly = readOnly
  }

  public var description: String { "\(service).\(method)" }
}
