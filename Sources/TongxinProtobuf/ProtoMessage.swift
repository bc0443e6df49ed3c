/// A message type generated from a `.proto` file by `tongxin-codegen`.
///
/// Encoding and decoding go through protobuf-c: the generated code fills protobuf-c's C struct
/// and packs it, or unpacks into it and copies the fields out.
public protocol ProtoMessage: Sendable, Hashable {
  /// A message with every field at its default (zero, empty, absent).
  init()
  /// The fully qualified proto name, for example `tongxin.echo.EchoRequest`.
  static var protoMessageName: String { get }
  /// The protobuf binary encoding of the message.
  func serializedBytes() -> [UInt8]
  /// Decodes the protobuf binary encoding of the message.
  init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError)
}

extension ProtoMessage {
  /// Decodes the protobuf binary encoding of the message.
  @inlinable
  public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(ProtoDecodingError) -> Self in try Self(serializedBytes: buffer) }
    }
    self = try result.get()
  }

  /// A message built by `populate`, for example `.with { $0.text = "hi" }`.
  @inlinable
  public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
    var message = Self()
    try populate(&message)
    return message
  }
}
