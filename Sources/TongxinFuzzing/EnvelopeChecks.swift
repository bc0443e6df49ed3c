import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// What instances and clients do with a message from their gateway, up to the point where it
/// is decoded, plus a property of every envelope: what decodes re-encodes to the same message.
package enum EnvelopeChecks {
  /// Every envelope of `proto/tongxin/rpc`, as the peers decode them.
  static let envelopes: [any ProtoMessage.Type] = [
    Tongxin_Rpc_RequestHeader.self, Tongxin_Rpc_ResponseHeader.self, Tongxin_Rpc_Cancel.self,
    Tongxin_Rpc_RegisterInstance.self, Tongxin_Rpc_RegisterReply.self, Tongxin_Rpc_Heartbeat.self,
    Tongxin_Rpc_Disconnect.self, Tongxin_Rpc_ServiceDescription.self,
  ]

  /// An instance's decoding of a message from the gateway (`InstanceCore.handle`).
  package static func instanceReceives(_ frames: [[UInt8]]) -> [String] {
    guard let message = try? WireMessage(frames: frames[...]) else { return [] }
    var problems = anyEnvelope(message.body)
    switch message.command {
    case .registered: problems += roundTrip(Tongxin_Rpc_RegisterReply.self, message.body)
    case .request: problems += roundTrip(Tongxin_Rpc_RequestHeader.self, message.body)
    case .cancel: problems += roundTrip(Tongxin_Rpc_Cancel.self, message.body)
    default: break
    }
    return problems
  }

  /// A client's decoding of a message from the gateway (`ClientCore.handle`).
  package static func clientReceives(_ frames: [[UInt8]]) -> [String] {
    guard let message = try? WireMessage(frames: frames[...]) else { return [] }
    var problems = anyEnvelope(message.body)
    if message.command == .response {
      problems += roundTrip(Tongxin_Rpc_ResponseHeader.self, message.body)
      if let header = try? Tongxin_Rpc_ResponseHeader(serializedBytes: message.body),
        header.code != .ok
      {
        // What a failed call throws at the caller.
        _ = RPCError(code: header.code, message: header.message, details: header.details)
          .description
      }
    }
    return problems
  }

  /// `bytes` decoded as every envelope, each checked by `roundTrip`.
  static func anyEnvelope(_ bytes: ArraySlice<UInt8>) -> [String] {
    envelopes.flatMap { roundTrip($0, bytes) }
  }

  /// When `bytes` decode as `type`, encoding the message and decoding that gives it back.
  static func roundTrip<M: ProtoMessage>(_ type: M.Type, _ bytes: ArraySlice<UInt8>) -> [String] {
    let message: M
    do {
      message = try M(serializedBytes: bytes)
    } catch {
      _ = error.description
      return []
    }
    let encoded = message.serializedBytes()
    guard let again = try? M(serializedBytes: encoded) else {
      return ["\(M.protoMessageName): the encoding of a decoded message does not decode"]
    }
    guard again == message else {
      return ["\(M.protoMessageName): decoding its encoding changes the message"]
    }
    guard again.serializedBytes() == encoded else {
      return ["\(M.protoMessageName): encoding the same message twice differs"]
    }
    return []
  }
}
