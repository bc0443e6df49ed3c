import CZeroMQ

#if canImport(Glibc)
  import Glibc
#endif

/// A libzmq socket: bind or connect it, then send and receive whole multipart messages.
///
/// Not `Sendable`: libzmq sockets are not thread-safe, so a socket belongs to the thread that
/// uses it (typically a `PollLoop`'s). Create it on that thread, or hand it over with `sending`.
/// Exclusivity is not checked at run time either (see PollLoop).
///
/// Sockets are created with `ZMQ_LINGER` 0: libzmq's default (-1, wait forever) makes closing
/// the context hang while messages to an absent peer are queued. RPC callers retry on their
/// own, so queued messages are dropped at close instead. Set `setLinger` to change that.
///
/// `close()` is idempotent and `deinit` closes. Any call after closing throws `ENOTSOCK`.
public final class Socket {
  /// The context that owns the socket, kept alive for as long as the socket is.
  public let context: ZMQContext
  /// The messaging pattern the socket was created with.
  public let type: SocketType
  /// nil once closed: every call checks it, so a closed socket fails cleanly with ENOTSOCK.
  @exclusivity(unchecked) private(set) var handle: UnsafeMutableRawPointer?
  /// The loop this socket is registered with, so that `close()` can unregister it first
  /// rather than leave the loop polling a freed socket.
  weak var registeredLoop: PollLoop?
  /// False only while libzmq's last word was that no message is waiting (a receive that found
  /// none, or `events` without `.readable`) and nothing was done with the socket since: then,
  /// and only then, its `ZMQ_FD` fires when one comes. Any call into libzmq may process the
  /// command that would have fired it, so every call sets it (in `requireHandle`).
  @exclusivity(unchecked) var mayHaveInput = true
  /// The last small frame received at each of the first positions of a message. Routing ids,
  /// protocol versions and command bytes repeat from message to message: handing out the
  /// stored copy (a retain) instead of a new array saves a malloc and a free per such frame.
  @exclusivity(unchecked) private var recentFrames: [[UInt8]] = Array(
    repeating: [], count: Socket.recentFrameSlots)
  private static let recentFrameSlots = 4
  private static let recentFrameMaxSize = 32

  /// Creates a socket of `type` in `context`, with linger 0.
  public init(context: ZMQContext, type: SocketType) throws(ZMQError) {
    guard let handle = zmq_socket(context.handle, type.rawValue) else {
      throw .last("zmq_socket(\(type))")
    }
    self.context = context
    self.type = type
    self.handle = handle
    try setOption(ZMQ_LINGER, Int32(0))
  }

  deinit {
    if let handle { zmq_close(handle) }
  }

  /// Closes the socket now, unregistering it from its `PollLoop` first. Safe to call twice.
  ///
  /// Unsent messages are dropped unless a linger was set.
  public func close() {
    guard let handle else { return }
    registeredLoop?.unregister(self)
    self.handle = nil
    zmq_close(handle)
  }

  /// Whether `close()` was called.
  public var isClosed: Bool { handle == nil }

  @inline(__always)
  func requireHandle(_ operation: @autoclosure () -> String) throws(ZMQError)
    -> UnsafeMutableRawPointer
  {
    guard let handle else { throw ZMQError(code: ENOTSOCK, operation: operation()) }
    mayHaveInput = true
    return handle
  }

  // MARK: - Endpoints

  /// Binds to an endpoint such as `tcp://127.0.0.1:*` (any free port) or `inproc://name`.
  ///
  /// Read `lastEndpoint` afterwards to learn the port chosen for `*`.
  public func bind(_ endpoint: String) throws(ZMQError) {
    let handle = try requireHandle("zmq_bind(\(endpoint))")
    guard zmq_bind(handle, endpoint) == 0 else { throw .last("zmq_bind(\(endpoint))") }
  }

  /// Connects to an endpoint. libzmq connects (and reconnects) in the background, so this
  /// succeeds before any peer is there.
  public func connect(_ endpoint: String) throws(ZMQError) {
    let handle = try requireHandle("zmq_connect(\(endpoint))")
    guard zmq_connect(handle, endpoint) == 0 else { throw .last("zmq_connect(\(endpoint))") }
  }

  /// Stops listening on an endpoint given to `bind` (use `lastEndpoint` for wildcards).
  public func unbind(_ endpoint: String) throws(ZMQError) {
    let handle = try requireHandle("zmq_unbind(\(endpoint))")
    guard zmq_unbind(handle, endpoint) == 0 else { throw .last("zmq_unbind(\(endpoint))") }
  }

  /// Drops the connection to an endpoint given to `connect`.
  public func disconnect(_ endpoint: String) throws(ZMQError) {
    let handle = try requireHandle("zmq_disconnect(\(endpoint))")
    guard zmq_disconnect(handle, endpoint) == 0 else {
      throw .last("zmq_disconnect(\(endpoint))")
    }
  }

  /// The endpoint last bound or connected, with the real port: `tcp://127.0.0.1:41234`.
  public var lastEndpoint: String {
    get throws(ZMQError) { try stringOption(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT") }
  }

  // MARK: - Sending

  /// Sends one message made of `frames`, all but the last with `ZMQ_SNDMORE`.
  ///
  /// Frames may be empty and of any size. With `dontWait`, throws `EAGAIN` (`wouldBlock`) when
  /// the message cannot be queued now; a ROUTER with `routerMandatory` throws `EHOSTUNREACH`
  /// for an unknown routing ID. Both happen on the first frame, so nothing was sent. libzmq
  /// sends messages whole: once the first frame is accepted, the others are too, except after
  /// `ETERM`, where the socket must be closed anyway. `frames` must not be empty.
  public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) {
    try send(frames: frames, dontWait: dontWait)
  }

  /// Sends one message made of `frames`, like `send(_:dontWait:)`, from any collection.
  public func send<Frames: Collection>(
    frames: Frames, dontWait: Bool = false
  ) throws(ZMQError) where Frames.Element == [UInt8] {
    precondition(!frames.isEmpty, "a ZeroMQ message has at least one frame")
    var remaining = frames.count
    for frame in frames {
      remaining -= 1
      try send(part: frame, more: remaining > 0, dontWait: dontWait)
    }
  }

  /// Sends one message whose frames are raw buffers, copied before this returns.
  ///
  /// For callers that already hold bytes elsewhere (e.g. a packed protobuf): no `[UInt8]` is
  /// made. Same rules as `send(_:dontWait:)`.
  public func send<Buffers: Collection>(
    buffers: Buffers, dontWait: Bool = false
  ) throws(ZMQError) where Buffers.Element == UnsafeRawBufferPointer {
    precondition(!buffers.isEmpty, "a ZeroMQ message has at least one frame")
    let handle = try requireHandle("zmq_send")
    var remaining = buffers.count
    for buffer in buffers {
      remaining -= 1
      let flags = sendFlags(more: remaining > 0, dontWait: dontWait)
      if let error = Socket.sendFrame(handle, buffer, flags: flags) { throw error }
    }
  }

  /// Sends one part of a message: with `more`, the next part follows (the message goes out
  /// with its last part). For senders whose frames are in separate arrays: no array of them
  /// is built. libzmq queues a message whole or not at all: only its first part can fail for
  /// want of room (`EAGAIN`) or of a peer (`EHOSTUNREACH`), and then none of it was queued.
  public func send(part: [UInt8], more: Bool, dontWait: Bool = false) throws(ZMQError) {
    let handle = try requireHandle("zmq_send")
    let flags = sendFlags(more: more, dontWait: dontWait)
    // withUnsafeBytes is untyped rethrows: return the error instead of throwing it.
    if let error = part.withUnsafeBytes({ Socket.sendFrame(handle, $0, flags: flags) }) {
      throw error
    }
  }

  /// Sends one part made of `first` followed by `second`, like `send(part:more:dontWait:)`:
  /// for a frame that starts with a fixed prefix, without an array that joins them.
  public func send(part first: [UInt8], _ second: [UInt8], more: Bool, dontWait: Bool = false)
    throws(ZMQError)
  {
    let handle = try requireHandle("zmq_msg_send")
    var message = zmq_msg_t()
    guard zmq_msg_init_size(&message, first.count + second.count) == 0 else {
      throw ZMQError.last("zmq_msg_init_size")
    }
    if let data = zmq_msg_data(&message) {
      first.withUnsafeBytes {
        UnsafeMutableRawBufferPointer(start: data, count: $0.count).copyMemory(from: $0)
      }
      second.withUnsafeBytes {
        UnsafeMutableRawBufferPointer(start: data + first.count, count: $0.count)
          .copyMemory(from: $0)
      }
    }
    let flags = sendFlags(more: more, dontWait: dontWait)
    while zmq_msg_send(&message, handle, flags) < 0 {
      let error = ZMQError.last("zmq_msg_send")
      if !error.isInterrupted {
        // The message is still ours when sending fails.
        zmq_msg_close(&message)
        throw error
      }
    }
  }

  @inline(__always)
  private func sendFlags(more: Bool, dontWait: Bool) -> Int32 {
    (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
  }

  /// Sends one frame, trying again when a signal interrupts a blocking send; returns the
  /// error if it fails.
  private static func sendFrame(
    _ handle: UnsafeMutableRawPointer, _ bytes: UnsafeRawBufferPointer, flags: Int32
  ) -> ZMQError? {
    // zmq_send copies the bytes into a message of the right size: no size limit, no truncation.
    while zmq_send(handle, bytes.baseAddress, bytes.count, flags) < 0 {
      let error = ZMQError.last("zmq_send")
      if !error.isInterrupted { return error }
    }
    return nil
  }

  // MARK: - Receiving

  /// Receives one whole multipart message, every frame complete whatever its size.
  ///
  /// With `dontWait`, returns nil when no message is waiting; without it, blocks until one
  /// comes, the `receiveTimeout` expires (throws `EAGAIN`) or the context is shut down (throws
  /// `ETERM`). Signals do not interrupt it. A message larger than `maxMessageSize` never
  /// arrives: libzmq drops it and closes that connection itself; the peer reconnects.
  public func receive(dontWait: Bool = false) throws(ZMQError) -> [[UInt8]]? {
    try receive(dontWait: dontWait, userID: nil)
  }

  /// Receives one whole message, like `receive(dontWait:)`, with the `User-Id` its
  /// connection was given at authentication (by the ZAP handler), nil when none was given
  /// (no security mechanism, or an `inproc://` peer, which never authenticates).
  public func receiveWithUserID(dontWait: Bool = false) throws(ZMQError)
    -> (frames: [[UInt8]], userID: String?)?
  {
    var userID: String?
    guard let frames = try receive(dontWait: dontWait, userID: &userID) else { return nil }
    return (frames, userID)
  }

  private func receive(dontWait: Bool, userID: UnsafeMutablePointer<String?>?) throws(ZMQError)
    -> [[UInt8]]?
  {
    let handle = try requireHandle("zmq_msg_recv")
    var frames: [[UInt8]] = []
    // zmq_msg_recv sizes the message itself, unlike zmq_recv, which truncates to its buffer.
    var message = zmq_msg_t()
    zmq_msg_init(&message)
    defer { zmq_msg_close(&message) }
    while true {
      // Messages arrive whole, so only the first frame can be missing.
      let flags = dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0
      if zmq_msg_recv(&message, handle, flags) < 0 {
        let error = ZMQError.last("zmq_msg_recv")
        if error.isInterrupted { continue }
        if error.wouldBlock && dontWait && frames.isEmpty {
          mayHaveInput = false
          return nil
        }
        throw error
      }
      // A ROUTER makes the routing-id frame itself, without the connection's properties:
      // they are on the frames that came over the wire.
      if let userID, userID.pointee == nil, frames.count < 2,
        let property = zmq_msg_gets(&message, "User-Id")
      {
        userID.pointee = String(cString: property)
      }
      // Most messages have a handful of frames: one allocation instead of growing 1, 2, 4, 8,
      // made once there is a message (a loop's last receive finds none, and allocated anyway).
      if frames.isEmpty { frames.reserveCapacity(6) }
      let count = zmq_msg_size(&message)
      if count == 0 {
        frames.append([])
      } else {
        let data = UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: count)
        frames.append(reusedOrCopied(data, at: frames.count))
      }
      if zmq_msg_more(&message) == 0 { return frames }
    }
  }

  /// `data` as an array: the one kept from an earlier message when it holds the same bytes.
  @inline(__always)
  private func reusedOrCopied(_ data: UnsafeRawBufferPointer, at index: Int) -> [UInt8] {
    guard index < Socket.recentFrameSlots, data.count <= Socket.recentFrameMaxSize else {
      return [UInt8](data)
    }
    let recent = recentFrames[index]
    if recent.count == data.count,
      recent.withUnsafeBytes({ memcmp($0.baseAddress!, data.baseAddress!, data.count) == 0 })
    {
      return recent
    }
    let copy = [UInt8](data)
    recentFrames[index] = copy
    return copy
  }
}

// Spelled out so that nobody adds a Sendable conformance: a socket belongs to one thread.
@available(*, unavailable)
extension Socket: Sendable {}
