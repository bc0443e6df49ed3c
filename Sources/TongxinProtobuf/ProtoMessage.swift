/// A message type generated from a `.proto` file by `tongxin-codegen`.
///
/// Encoding and decoding go through protobuf-c: the generated code fills protobuf-c's C struct
/// and packs it, or unpacks into it and copies the fields out.
///
/// Every message is also `Codable` in protobuf's canonical proto3 JSON mapping
/// (https://protobuf.dev/programming-guides/json/): `JSONEncoder().encode(message)` prints it
/// with lowerCamelCase field names, 64-bit integers as strings, bytes as base64, enums by name
/// and default values left out; `JSONDecoder().decode(M.self, from: data)` reads it, also with
/// the proto field names, and throws a `DecodingError` naming the field for anything else
/// (`ProtoJSON.errorDescription(_:)` gives the text). With only a metatype, as from
/// `TongxinMessageTypes.byName`, `JSONDecoder().decode(type, from: data)` works too and
/// returns `any ProtoMessage`. The generated `encode(to:)` and `init(from:)` use
/// `ProtoJSONEncodingContainer` and `ProtoJSONDecodingContainer`.
public protocol ProtoMessage: Sendable, Hashable, Codable, ProtoJSONValue {
  /// A message with every field at its default (zero, empty, absent).
  init()
  /// The fully qualified proto name, for example `tongxin.echo.EchoRequest`.
  static var protoMessageName: String { get }
  /// The protobuf binary encoding of the message.
  func serializedBytes() -> [UInt8]
  /// Decodes the protobuf binary encoding of the message.
  init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError)
  /// The message as a caller without the personal-data right may see it: every field marked
  /// `[(tongxin.personal) = true]`, here and in nested messages, redacted by `PersonalData`'s
  /// rule. Generated for messages that hold personal data; the others are returned unchanged.
  func redactingPersonalData() -> Self
  /// The path of the first personal field that holds a redaction marker, such as
  /// `person.contact.phone` or `visitors[2].id_number`, else nil. Redacted data sent back
  /// (read, edited, written) would overwrite the real data with the marker: servers refuse it.
  func redactionMarkerPath() -> String?
}

extension ProtoMessage {
  /// Decodes the protobuf binary encoding of the message.
  @inlinable
  public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
    try self.init(serializedBytes: bytes[...])
  }

  /// Decodes the protobuf binary encoding of the message from part of a frame.
  @inlinable
  public init(serializedBytes bytes: ArraySlice<UInt8>) throws(ProtoDecodingError) {
    // Not through `Result<Self, ProtoDecodingError>`: in generic code (a service's handlers,
    // the typed client) the runtime built that type's metadata on every call.
    do {
      self = try bytes.withUnsafeBytes { buffer in try Self(serializedBytes: buffer) }
    } catch let error as ProtoDecodingError {
      throw error
    } catch {
      preconditionFailure("decoding threw \(error), which is not a ProtoDecodingError")
    }
  }

  /// Without personal fields there is nothing to redact.
  @inlinable
  public func redactingPersonalData() -> Self { self }

  @inlinable
  public func redactionMarkerPath() -> String? { nil }

  /// A message built by `populate`, for example `.with { $0.text = "hi" }`.
  @inlinable
  public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
    var message = Self()
    try populate(&message)
    return message
  }
}
