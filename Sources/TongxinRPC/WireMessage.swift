/// One received message of the wire protocol, its frames checked.
package struct WireMessage {
  package var command: WireProtocol.Command
  /// Frame 2: the command's protobuf message.
  package var body: [UInt8]
  /// Frame 3 of requests and responses.
  package var payload: [UInt8]

  /// Checks the version, command and frame count of `frames` (routing id already removed).
  ///
  /// The errors are what the peer is told (`PROTOCOL.md`, status codes table).
  package init(frames: ArraySlice<[UInt8]>) throws(RPCError) {
    guard frames.count >= 3, let version = frames.first,
      version.starts(with: WireProtocol.versionPrefix)
    else {
      throw RPCError(
        code: .invalidArgument,
        message: "not a Tongxin message: frame 0 must be \"\(WireProtocol.version)\"")
    }
    guard version == WireProtocol.versionFrame else {
      let text = String(decoding: version.prefix(32), as: UTF8.self)
      throw RPCError(
        code: .failedPrecondition,
        message: "protocol version \"\(text)\" is not supported; this peer speaks "
          + "\"\(WireProtocol.version)\"")
    }
    let commandFrame = frames[frames.startIndex + 1]
    guard commandFrame.count == 1, let command = WireProtocol.Command(rawValue: commandFrame[0])
    else {
      let shown = commandFrame.prefix(4).map { "0x" + String($0, radix: 16) }.joined(separator: " ")
      throw RPCError(code: .invalidArgument, message: "unknown command \(shown)")
    }
    self.command = command
    self.body = frames[frames.startIndex + 2]
    guard frames.count == command.frameCount else {
      throw RPCError(
        code: .invalidArgument,
        message: "\(command) has \(frames.count) frames, expected \(command.frameCount)")
    }
    self.payload = command.frameCount == 4 ? frames[frames.startIndex + 3] : []
  }
}
