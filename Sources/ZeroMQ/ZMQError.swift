import CZeroMQ

#if canImport(Glibc)
  import Glibc
#endif

/// A failed libzmq call: the `zmq_errno()` code and the call that failed.
///
/// Errors from the operating system (such as `eventfd`) use the same type, since `zmq_strerror`
/// describes plain errno codes too. Two errors are equal when code and operation are.
public struct ZMQError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The error number, as returned by `zmq_errno()` right after the failing call.
  public let code: Int32
  /// The failing call, with its argument when that helps (e.g. `zmq_bind(tcp://*:0)`).
  public let operation: String

  public init(code: Int32, operation: String) {
    self.code = code
    self.operation = operation
  }

  /// The error of the call that just failed on this thread.
  ///
  /// The operation is an autoclosure so that hot paths build no string unless they fail.
  @inline(__always)
  static func last(_ operation: @autoclosure () -> String) -> ZMQError {
    // Read the code first: building the operation string could disturb errno.
    let code = zmq_errno()
    return ZMQError(code: code, operation: operation())
  }

  public var description: String {
    "\(operation) failed: \(String(cString: zmq_strerror(code))) (errno \(code))"
  }

  /// The context was shut down or terminated (`ETERM`): the socket must be closed.
  public var isTerminated: Bool { code == ETERM }
  /// A signal interrupted the call (`EINTR`).
  public var isInterrupted: Bool { code == EINTR }
  /// Nothing could be sent or received without blocking, or a timeout expired (`EAGAIN`).
  public var wouldBlock: Bool { code == EAGAIN }
  /// A ROUTER with `routerMandatory` has no peer with that routing ID (`EHOSTUNREACH`).
  public var isHostUnreachable: Bool { code == EHOSTUNREACH }

  /// The `ETERM` code, for comparisons and switches.
  public static let terminated: Int32 = ETERM
  /// The `EAGAIN` code.
  public static let tryAgain: Int32 = EAGAIN
  /// The `EHOSTUNREACH` code.
  public static let hostUnreachable: Int32 = EHOSTUNREACH
}
