/// Bytes that could not be decoded as the expected message.
public struct ProtoDecodingError: Error, CustomStringConvertible, Sendable, Hashable {
  /// What went wrong.
  public enum Reason: Sendable, Hashable {
    /// protobuf-c rejected the bytes (it gives no reason: truncated, a bad tag or wire type,
    /// a length past the end, and so on).
    case invalidEncoding
    /// A string field held bytes that are not UTF-8. `field` is the field's full proto name,
    /// for example `tongxin.echo.Sample.Inner.label`.
    case invalidUTF8(field: String)
  }

  /// The full proto name of the message being decoded, for example `tongxin.echo.EchoRequest`.
  public var messageName: String
  /// How many bytes were given.
  public var byteCount: Int
  public var reason: Reason

  public init(messageName: String, byteCount: Int, reason: Reason) {
    self.messageName = messageName
    self.byteCount = byteCount
    self.reason = reason
  }

  public var description: String {
    switch reason {
    case .invalidEncoding:
      "not a valid protobuf encoding of \(messageName) (\(byteCount) bytes)"
    case .invalidUTF8(let field):
      "string field \(field) is not valid UTF-8 in \(messageName) (\(byteCount) bytes)"
    }
  }
}

extension ProtoDecodingError {
  /// The error for a string field with bytes that are not UTF-8; the message name and byte
  /// count are filled in by `located(in:byteCount:)` at the outermost message.
  @inlinable
  public static func invalidUTF8(field: StaticString) -> ProtoDecodingError {
    ProtoDecodingError(messageName: "", byteCount: 0, reason: .invalidUTF8(field: "\(field)"))
  }

  /// This error, as met while decoding `byteCount` bytes as message `messageName`.
  @inlinable
  public func located(in messageName: String, byteCount: Int) -> ProtoDecodingError {
    ProtoDecodingError(messageName: messageName, byteCount: byteCount, reason: reason)
  }
}
