import CZeroMQ

#if canImport(Glibc)
  import Glibc
#endif

// Socket options as typed accessors. Options are read through throwing properties and written
// through throwing `set...` methods, because a property setter cannot throw and a failed
// zmq_setsockopt (EINVAL, ETERM) must reach the caller. Options libzmq cannot read back
// (routerMandatory, handover, probeRouter, subscriptions) only have the setter.
extension Socket {
  // MARK: - Lifecycle and limits

  /// How long `close` waits to send queued messages: nil waits forever, zero (our default)
  /// drops them at once.
  public var linger: Duration? {
    get throws(ZMQError) { Duration.fromZMQMilliseconds(try int32Option(ZMQ_LINGER, "LINGER")) }
  }

  public func setLinger(_ value: Duration?) throws(ZMQError) {
    try setOption(ZMQ_LINGER, Duration.zmqMilliseconds(value))
  }

  /// The most messages queued for sending per peer (default 1000); 0 means no limit.
  public var sendHighWaterMark: Int32 {
    get throws(ZMQError) { try int32Option(ZMQ_SNDHWM, "SNDHWM") }
  }

  public func setSendHighWaterMark(_ value: Int32) throws(ZMQError) {
    try setOption(ZMQ_SNDHWM, value)
  }

  /// The most messages queued on receipt per peer (default 1000); 0 means no limit.
  public var receiveHighWaterMark: Int32 {
    get throws(ZMQError) { try int32Option(ZMQ_RCVHWM, "RCVHWM") }
  }

  public func setReceiveHighWaterMark(_ value: Int32) throws(ZMQError) {
    try setOption(ZMQ_RCVHWM, value)
  }

  /// The largest message accepted from a peer, in bytes, all frames together; -1 (the
  /// default) means no limit. A peer that sends more is disconnected and its message dropped.
  public var maxMessageSize: Int64 {
    get throws(ZMQError) { try int64Option(ZMQ_MAXMSGSIZE, "MAXMSGSIZE") }
  }

  public func setMaxMessageSize(_ value: Int64) throws(ZMQError) {
    try setOption(ZMQ_MAXMSGSIZE, value)
  }

  /// How long a blocking `send` waits; nil (the default) waits forever. Expiry throws EAGAIN.
  public var sendTimeout: Duration? {
    get throws(ZMQError) { Duration.fromZMQMilliseconds(try int32Option(ZMQ_SNDTIMEO, "SNDTIMEO")) }
  }

  public func setSendTimeout(_ value: Duration?) throws(ZMQError) {
    try setOption(ZMQ_SNDTIMEO, Duration.zmqMilliseconds(value))
  }

  /// How long a blocking `receive` waits; nil (the default) waits forever. Expiry throws EAGAIN.
  public var receiveTimeout: Duration? {
    get throws(ZMQError) { Duration.fromZMQMilliseconds(try int32Option(ZMQ_RCVTIMEO, "RCVTIMEO")) }
  }

  public func setReceiveTimeout(_ value: Duration?) throws(ZMQError) {
    try setOption(ZMQ_RCVTIMEO, Duration.zmqMilliseconds(value))
  }

  // MARK: - Connections

  /// The first wait before reconnecting (default 100 ms).
  public var reconnectInterval: Duration {
    get throws(ZMQError) { .milliseconds(try int32Option(ZMQ_RECONNECT_IVL, "RECONNECT_IVL")) }
  }

  public func setReconnectInterval(_ value: Duration) throws(ZMQError) {
    try setOption(ZMQ_RECONNECT_IVL, Duration.zmqMilliseconds(value))
  }

  /// The longest wait between reconnections: the wait doubles up to it. Zero (the default)
  /// means no backoff: always `reconnectInterval`.
  public var reconnectIntervalMax: Duration {
    get throws(ZMQError) {
      .milliseconds(try int32Option(ZMQ_RECONNECT_IVL_MAX, "RECONNECT_IVL_MAX"))
    }
  }

  public func setReconnectIntervalMax(_ value: Duration) throws(ZMQError) {
    try setOption(ZMQ_RECONNECT_IVL_MAX, Duration.zmqMilliseconds(value))
  }

  /// Queue messages only on completed connections (default false: they also queue for peers
  /// that are not connected yet, and wait there).
  public var immediate: Bool {
    get throws(ZMQError) { try int32Option(ZMQ_IMMEDIATE, "IMMEDIATE") != 0 }
  }

  public func setImmediate(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_IMMEDIATE, Int32(value ? 1 : 0))
  }

  /// The identity a ROUTER peer sees for this socket (1 to 255 bytes, not starting with 0).
  /// Set it before `connect`.
  public var routingID: [UInt8] {
    get throws(ZMQError) { try bytesOption(ZMQ_ROUTING_ID, "ROUTING_ID") }
  }

  public func setRoutingID(_ value: [UInt8]) throws(ZMQError) {
    try setOption(ZMQ_ROUTING_ID, value)
  }

  /// ROUTER: fail sends to unknown routing IDs with EHOSTUNREACH instead of dropping them
  /// silently (libzmq's default), and with EAGAIN when that peer's queue is full.
  public func setRouterMandatory(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_ROUTER_MANDATORY, Int32(value ? 1 : 0))
  }

  /// ROUTER: a new connection with a routing ID already in use takes it over, instead of
  /// being refused. Lets a restarted peer with a fixed ID come back at once.
  public func setRouterHandover(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_ROUTER_HANDOVER, Int32(value ? 1 : 0))
  }

  /// ROUTER or DEALER: send an empty message on connecting, so a ROUTER peer learns this
  /// socket's routing ID before any request.
  public func setProbeRouter(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_PROBE_ROUTER, Int32(value ? 1 : 0))
  }

  /// SUB: receive messages starting with `prefix` (empty: all messages).
  public func subscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
    try setOption(ZMQ_SUBSCRIBE, prefix)
  }

  /// SUB: undo one `subscribe` with the same prefix.
  public func unsubscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
    try setOption(ZMQ_UNSUBSCRIBE, prefix)
  }

  // MARK: - Liveness

  /// Interval between ZMTP PINGs; zero (the default) sends none. These are answered by
  /// libzmq's I/O thread, so they detect dead connections, not stuck applications.
  public var heartbeatInterval: Duration {
    get throws(ZMQError) { .milliseconds(try int32Option(ZMQ_HEARTBEAT_IVL, "HEARTBEAT_IVL")) }
  }

  public func setHeartbeatInterval(_ value: Duration) throws(ZMQError) {
    try setOption(ZMQ_HEARTBEAT_IVL, Duration.zmqMilliseconds(value))
  }

  /// How long the peer should wait for traffic before dropping us (sent in our PINGs);
  /// libzmq keeps it in tenths of a second, up to 6553.5 s.
  public var heartbeatTTL: Duration {
    get throws(ZMQError) { .milliseconds(try int32Option(ZMQ_HEARTBEAT_TTL, "HEARTBEAT_TTL")) }
  }

  public func setHeartbeatTTL(_ value: Duration) throws(ZMQError) {
    try setOption(ZMQ_HEARTBEAT_TTL, Duration.zmqMilliseconds(value))
  }

  /// How long to wait for any traffic after a PING before dropping the connection; defaults
  /// to the heartbeat interval.
  public var heartbeatTimeout: Duration {
    get throws(ZMQError) {
      .milliseconds(try int32Option(ZMQ_HEARTBEAT_TIMEOUT, "HEARTBEAT_TIMEOUT"))
    }
  }

  public func setHeartbeatTimeout(_ value: Duration) throws(ZMQError) {
    try setOption(ZMQ_HEARTBEAT_TIMEOUT, Duration.zmqMilliseconds(value))
  }

  /// TCP keep-alive (SO_KEEPALIVE): nil leaves the system default.
  public var tcpKeepAlive: Bool? {
    get throws(ZMQError) {
      switch try int32Option(ZMQ_TCP_KEEPALIVE, "TCP_KEEPALIVE") {
      case -1: nil
      case 0: false
      default: true
      }
    }
  }

  public func setTCPKeepAlive(_ value: Bool?) throws(ZMQError) {
    try setOption(ZMQ_TCP_KEEPALIVE, Int32(value.map { $0 ? 1 : 0 } ?? -1))
  }

  // MARK: - Security

  /// CURVE: act as the server (needs `setCurveSecretKey`). Without a ZAP handler bound at
  /// `inproc://zeromq.zap.01` before binding, any client key is admitted: encryption only.
  public var curveServer: Bool {
    get throws(ZMQError) { try int32Option(ZMQ_CURVE_SERVER, "CURVE_SERVER") != 0 }
  }

  public func setCurveServer(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_CURVE_SERVER, Int32(value ? 1 : 0))
  }

  /// CURVE: this socket's public key, Z85 (40 characters). Clients need their own pair.
  public var curvePublicKey: String {
    get throws(ZMQError) { try curveKeyOption(ZMQ_CURVE_PUBLICKEY, "CURVE_PUBLICKEY") }
  }

  public func setCurvePublicKey(_ z85: String) throws(ZMQError) {
    try setCurveKey(ZMQ_CURVE_PUBLICKEY, z85, "CURVE_PUBLICKEY")
  }

  /// CURVE: this socket's secret key, Z85 (40 characters).
  public var curveSecretKey: String {
    get throws(ZMQError) { try curveKeyOption(ZMQ_CURVE_SECRETKEY, "CURVE_SECRETKEY") }
  }

  public func setCurveSecretKey(_ z85: String) throws(ZMQError) {
    try setCurveKey(ZMQ_CURVE_SECRETKEY, z85, "CURVE_SECRETKEY")
  }

  /// CURVE client: the server's public key, Z85 (40 characters). Set it before `connect`.
  public var curveServerKey: String {
    get throws(ZMQError) { try curveKeyOption(ZMQ_CURVE_SERVERKEY, "CURVE_SERVERKEY") }
  }

  public func setCurveServerKey(_ z85: String) throws(ZMQError) {
    try setCurveKey(ZMQ_CURVE_SERVERKEY, z85, "CURVE_SERVERKEY")
  }

  /// The ZAP domain sent to the authentication handler; setting one also turns on ZAP for
  /// the NULL mechanism.
  public var zapDomain: String {
    get throws(ZMQError) { try stringOption(ZMQ_ZAP_DOMAIN, "ZAP_DOMAIN") }
  }

  public func setZAPDomain(_ value: String) throws(ZMQError) {
    try setOption(ZMQ_ZAP_DOMAIN, value)
  }

  /// PLAIN: act as the server (user names and passwords in clear text: only behind TLS or on
  /// a trusted network).
  public var plainServer: Bool {
    get throws(ZMQError) { try int32Option(ZMQ_PLAIN_SERVER, "PLAIN_SERVER") != 0 }
  }

  public func setPlainServer(_ value: Bool) throws(ZMQError) {
    try setOption(ZMQ_PLAIN_SERVER, Int32(value ? 1 : 0))
  }

  // MARK: - Polling state

  /// The file descriptor (`ZMQ_FD`) that becomes readable when `events` may have changed.
  ///
  /// It is edge-triggered and signals no particular event: after it fires, read `events` and
  /// receive until nothing is left. Prefer `ZMQ.poll` or a `PollLoop`.
  public var fileDescriptor: Int32 {
    get throws(ZMQError) { try int32Option(ZMQ_FD, "FD") }
  }

  /// What can be done now without blocking (`ZMQ_EVENTS`): `.readable`, `.writable`.
  public var events: PollEvents {
    get throws(ZMQError) {
      let events = PollEvents(
        rawValue: Int16(truncatingIfNeeded: try int32Option(ZMQ_EVENTS, "EVENTS")))
      mayHaveInput = events.contains(.readable)
      return events
    }
  }

  // MARK: - Generic helpers

  /// Sets an integer option (`int` in libzmq).
  func setOption(_ name: Int32, _ value: Int32) throws(ZMQError) {
    var value = value
    try setOption(name, &value, MemoryLayout<Int32>.size)
  }

  /// Sets a 64-bit option (`int64_t` in libzmq, e.g. ZMQ_MAXMSGSIZE).
  func setOption(_ name: Int32, _ value: Int64) throws(ZMQError) {
    var value = value
    try setOption(name, &value, MemoryLayout<Int64>.size)
  }

  /// Sets a binary option.
  func setOption(_ name: Int32, _ value: [UInt8]) throws(ZMQError) {
    // withUnsafeBytes is untyped rethrows: carry the error out as a Result.
    try value.withUnsafeBytes { bytes in
      Result { () throws(ZMQError) in try setOption(name, bytes.baseAddress, bytes.count) }
    }.get()
  }

  /// Sets a string option, without its NUL.
  func setOption(_ name: Int32, _ value: String) throws(ZMQError) {
    try setOption(name, Array(value.utf8))
  }

  private func setOption(
    _ name: Int32, _ value: UnsafeRawPointer?, _ size: Int
  ) throws(ZMQError) {
    let handle = try requireHandle("zmq_setsockopt(\(name))")
    guard zmq_setsockopt(handle, name, value, size) == 0 else {
      throw .last("zmq_setsockopt(\(name))")
    }
  }

  /// Reads an integer option.
  func int32Option(_ name: Int32, _ label: String) throws(ZMQError) -> Int32 {
    var value: Int32 = 0
    try getOption(name, label, &value, MemoryLayout<Int32>.size)
    return value
  }

  /// Reads a 64-bit option.
  func int64Option(_ name: Int32, _ label: String) throws(ZMQError) -> Int64 {
    var value: Int64 = 0
    try getOption(name, label, &value, MemoryLayout<Int64>.size)
    return value
  }

  /// Reads a binary option of at most `capacity` bytes.
  func bytesOption(_ name: Int32, _ label: String, capacity: Int = 256) throws(ZMQError)
    -> [UInt8]
  {
    var buffer = [UInt8](repeating: 0, count: capacity)
    let size = try buffer.withUnsafeMutableBytes { bytes in
      Result { () throws(ZMQError) in try getOption(name, label, bytes.baseAddress!, capacity) }
    }.get()
    return Array(buffer[..<size])
  }

  /// Reads a string option, dropping the NUL that libzmq includes.
  func stringOption(_ name: Int32, _ label: String, capacity: Int = 1024) throws(ZMQError)
    -> String
  {
    var bytes = try bytesOption(name, label, capacity: capacity)
    if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Reads a CURVE key as Z85: libzmq encodes it when the buffer has room for 41 bytes.
  private func curveKeyOption(_ name: Int32, _ label: String) throws(ZMQError) -> String {
    try stringOption(name, label, capacity: 41)
  }

  /// Sets a CURVE key from Z85, refusing other lengths, which libzmq would read as binary.
  private func setCurveKey(_ name: Int32, _ z85: String, _ label: String) throws(ZMQError) {
    guard z85.utf8.count == 40 else {
      throw ZMQError(code: EINVAL, operation: "zmq_setsockopt(ZMQ_\(label))")
    }
    try setOption(name, z85)
  }

  /// Returns the size libzmq wrote.
  @discardableResult
  private func getOption(
    _ name: Int32, _ label: String, _ value: UnsafeMutableRawPointer, _ capacity: Int
  ) throws(ZMQError) -> Int {
    let handle = try requireHandle("zmq_getsockopt(ZMQ_\(label))")
    var size = capacity
    guard zmq_getsockopt(handle, name, value, &size) == 0 else {
      throw .last("zmq_getsockopt(ZMQ_\(label))")
    }
    return size
  }
}
