import CZeroMQ

/// What a monitored socket reports about its connections (`zmq_socket_monitor`).
public struct SocketEvent: Sendable, Equatable {
  public struct Kind: OptionSet, Sendable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let connected = Kind(rawValue: ZMQ_EVENT_CONNECTED)
    public static let disconnected = Kind(rawValue: ZMQ_EVENT_DISCONNECTED)
    public static let handshakeSucceeded = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
    /// The peer refused our credentials; `value` is the ZAP status code (400, 500).
    public static let handshakeFailedAuth = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
    /// The peers spoke different mechanisms or broke the ZMTP protocol.
    public static let handshakeFailedProtocol = Kind(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
    public static let handshakeFailedNoDetail = Kind(
      rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)
  }

  public var kind: Kind
  /// The event's value: a ZAP status, an errno or a protocol error code, depending on kind.
  public var value: UInt32
  public var endpoint: String

  /// Decodes a monitor message: `[event (2 bytes) value (4 bytes), endpoint]`, host order.
  public init?(frames: [[UInt8]]) {
    guard frames.count == 2, frames[0].count == 6 else { return nil }
    let head = frames[0]
    kind = Kind(rawValue: Int32(UInt16(head[0]) | UInt16(head[1]) << 8))
    value = head[2...5].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    endpoint = String(decoding: frames[1], as: UTF8.self)
  }
}

extension Socket {
  /// Publishes `events` of this socket on a PAIR socket bound at `endpoint` (an inproc://
  /// name unique in the context); connect a PAIR socket there to read ``SocketEvent``s.
  public func monitor(_ endpoint: String, events: SocketEvent.Kind) throws(ZMQError) {
    let handle = try requireHandle("zmq_socket_monitor")
    guard zmq_socket_monitor(handle, endpoint, events.rawValue) == 0 else {
      throw .last("zmq_socket_monitor")
    }
  }
}
