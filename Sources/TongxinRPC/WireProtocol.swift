import ZeroMQ

/// The frames of the Tongxin wire protocol (`proto/PROTOCOL.md`).
///
/// Every message is `[version, command, body]` or, for requests and responses,
/// `[version, command, header, payload]`, behind the routing-id frame a ROUTER adds.
public enum WireProtocol {
  /// Frame 0 of every message.
  public static let version = "tongxin/1"
  static let versionFrame: [UInt8] = Array(version.utf8)
  static let versionPrefix: [UInt8] = Array("tongxin/".utf8)

  /// Frame 1: what the message is.
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
    var frameCount: Int { self == .request || self == .response ? 4 : 3 }
  }

  /// The frames of one message, ready to send; behind `routingID` when sent by a ROUTER.
  package static func frames(
    _ command: Command, _ body: [UInt8], payload: [UInt8]? = nil, to routingID: [UInt8]? = nil
  ) -> [[UInt8]] {
    var frames: [[UInt8]] = []
    frames.reserveCapacity(5)
    if let routingID { frames.append(routingID) }
    frames.append(versionFrame)
    frames.append(commandFrames[Int(command.rawValue)])
    frames.append(body)
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
    try socket.send(part: versionFrame, more: true, dontWait: dontWait)
    try socket.send(part: commandFrames[Int(command.rawValue)], more: true, dontWait: dontWait)
    try socket.send(part: body, more: payload != nil, dontWait: dontWait)
    if let payload { try socket.send(part: payload, more: false, dontWait: dontWait) }
  }

  /// One shared one-byte frame per command, so building a message allocates none.
  private static let commandFrames: [[UInt8]] = (0...UInt8.max).map { [$0] }
}
