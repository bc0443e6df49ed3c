import ZeroMQ

/// The frames of the Tongxin wire protocol (`proto/PROTOCOL.md`).
///
/// Every message is `[head]` or, for requests and responses, `[head, payload]`, behind the
/// routing-id frame a ROUTER adds. The head is the version, one command byte and the
/// command's protobuf message, in one frame: each frame costs every process on the way (and
/// its libzmq I/O thread) about a fifth of a whole message, so a call carries no more of them
/// than the payload's own frame requires (PROTOCOL.md, "Frames").
public enum WireProtocol {
  /// The first bytes of every message.
  public static let version = "tongxin/2"
  static let versionBytes: [UInt8] = Array(version.utf8)
  static let versionPrefix: [UInt8] = Array("tongxin/".utf8)
  /// The reason of the DISCONNECT a gateway answers a heartbeat or a response with when it
  /// does not know the instance: routine after a gateway restart, and while a registration
  /// waits, so an instance does not warn about it.
  package static let unknownInstanceReason = "unknown instance"
  /// Where the command byte sits in the head, and the length of the head's fixed part.
  static let commandOffset = versionBytes.count
  static let bodyOffset = commandOffset + 1

  /// The head's byte after the version: what the message is.
  public enum Command: UInt8, Sendable, CaseIterable {
    case request = 0x01
    case cancel = 0x02
    case response = 0x03
    case register = 0x10
    case registered = 0x11
    case heartbeat = 0x12
    case disconnect = 0x13
    case leave = 0x14

    /// How many frames (after the routing id) a message with this command has.
    var frameCount: Int { self == .request || self == .response ? 2 : 1 }
  }

  /// The frames of one message, ready to send; behind `routingID` when sent by a ROUTER.
  package static func frames(
    _ command: Command, _ body: [UInt8], payload: [UInt8]? = nil, to routingID: [UInt8]? = nil
  ) -> [[UInt8]] {
    var frames: [[UInt8]] = []
    frames.reserveCapacity(3)
    if let routingID { frames.append(routingID) }
    frames.append(heads[Int(command.rawValue)] + body)
    if let payload { frames.append(payload) }
    return frames
  }

  /// Sends the message `frames(command, body, payload:, to:)` would make, part by part:
  /// what every call sends, without the array of frames.
  package static func send(
    _ command: Command, _ body: [UInt8], payload: [UInt8]? = nil, to routingID: [UInt8]? = nil,
    on socket: Socket, dontWait: Bool = false
  ) throws(ZMQError) {
    if let routingID { try socket.send(part: routingID, more: true, dontWait: dontWait) }
    try socket.send(
      part: heads[Int(command.rawValue)], body, more: payload != nil, dontWait: dontWait)
    if let payload { try socket.send(part: payload, more: false, dontWait: dontWait) }
  }

  /// The fixed part of the head (version and command byte) for each command byte, made once.
  private static let heads: [[UInt8]] = (0...UInt8.max).map { versionBytes + [$0] }
}
