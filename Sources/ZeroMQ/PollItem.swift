import CZeroMQ

/// One entry for `ZMQ.poll`: a socket or a raw file descriptor, and the events wanted.
///
/// After polling, `returnedEvents` holds what is ready. Keeps its socket alive.
public struct PollItem {
  /// What is polled.
  public enum Source {
    case socket(Socket)
    case fileDescriptor(Int32)
  }

  public let source: Source
  /// The events to wait for.
  public var events: PollEvents
  /// The events ready at the last `ZMQ.poll` (empty before it).
  public internal(set) var returnedEvents: PollEvents = []

  /// Polls a socket, for `.readable` unless told otherwise.
  public init(socket: Socket, events: PollEvents = .readable) {
    self.source = .socket(socket)
    self.events = events
  }

  /// Polls a file descriptor (a `Waker`'s, a pipe, a TCP socket), for `.readable` by default.
  public init(fileDescriptor: Int32, events: PollEvents = .readable) {
    self.source = .fileDescriptor(fileDescriptor)
    self.events = events
  }

  /// Whether the last poll found any of `events` ready.
  public func isReady(_ events: PollEvents = .readable) -> Bool {
    !returnedEvents.isDisjoint(with: events)
  }

  /// The libzmq form; throws ENOTSOCK for a closed socket.
  func rawItem() throws(ZMQError) -> zmq_pollitem_t {
    switch source {
    case .socket(let socket):
      zmq_pollitem_t(
        socket: try socket.requireHandle("zmq_poll"), fd: -1, events: events.rawValue,
        revents: 0)
    case .fileDescriptor(let fd):
      zmq_pollitem_t(socket: nil, fd: fd, events: events.rawValue, revents: 0)
    }
  }
}
