import CZeroMQ

/// Events to poll for, or that were returned, on a socket or file descriptor.
public struct PollEvents: OptionSet, Sendable, Hashable {
  public let rawValue: Int16

  public init(rawValue: Int16) {
    self.rawValue = rawValue
  }

  /// At least one whole message can be received (`ZMQ_POLLIN`).
  public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
  /// At least one message can be sent without blocking (`ZMQ_POLLOUT`).
  public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
  /// An error condition on a raw file descriptor (`ZMQ_POLLERR`); never set for sockets.
  public static let error = PollEvents(rawValue: Int16(ZMQ_POLLERR))
}
