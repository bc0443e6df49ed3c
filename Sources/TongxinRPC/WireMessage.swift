/// One received message of the wire protocol, its frames checked.
package struct WireMessage {
  package var command: WireProtocol.Command
  /// The head's protobuf message: what follows the version and the command byte, in the
  /// received frame itself (decoders read it there: no copy per message).
  package var body: ArraySlice<UInt8>
  /// Frame 1 of requests and responses.
  package var payload: [UInt8]

  /// Checks the version, command and frame count of `frames` (routing id already removed).
  ///
  /// The errors are what the peer is told (`PROTOCOL.md`, status codes table).
  package init(frames: ArraySlice<[UInt8]>) throws(RPCError) {
    guard let head = frames.first, head.starts(with: WireProtocol.versionPrefix) else {
      throw RPCError(
        code: .invalidArgument,
        message: "not a Tongxin message: frame 0 must begin with \"\(WireProtocol.version)\"")
    }
    guard head.starts(with: WireProtocol.versionBytes) else {
      // Up to the first byte that is not printable ASCII: a tongxin/1 peer's frame 0 is only
      // its version.
      let text = String(decoding: head.prefix(32).prefix { $0 > 0x20 && $0 < 0x7F }, as: UTF8.self)
      throw RPCError(
        code: .failedPrecondition,
        message: "protocol version \"\(text)\" is not supported; this peer speaks "
          + "\"\(WireProtocol.version)\"")
    }
    guard head.count > WireProtocol.commandOffset,
      let command = WireProtocol.Command(rawValue: head[WireProtocol.commandOffset])
    else {
      let shown =
        head.count > WireProtocol.commandOffset
        ? "0x" + String(head[WireProtocol.commandOffset], radix: 16) : "(none)"
      throw RPCError(code: .invalidArgument, message: "unknown command \(shown)")
    }
    guard frames.count == command.frameCount else {
      throw RPCError(
        code: .invalidArgument,
        message: "\(command) has \(frames.count) frame\(frames.count == 1 ? "" : "s"), "
          + "expected \(command.frameCount)")
    }
    self.command = command
    self.body = head[WireProtocol.bodyOffset...]
    self.payload = command.frameCount == 2 ? frames[frames.startIndex + 1] : []
  }
}
