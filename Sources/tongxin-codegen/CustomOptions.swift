// The project's own field options (proto/tongxin/options.proto), read from protoc's descriptor
// set.
//
// protobuf-c's code for descriptor.proto knows only the options protobuf itself declares. A
// custom option such as `(tongxin.personal)` is an extension of FieldOptions, and protobuf-c
// does not support extensions: on unpacking it keeps each one as an unknown field (tag, wire
// type, raw bytes), which is where these functions read it. The option's number is not
// repeated here: it comes from the `extend` declaration that protoc also put in the set.

import CProtobufC
import CProtobufDescriptor

struct CustomOptions {
  /// The field number of `(tongxin.personal)`, or nil when no file in the set declares it
  /// (then no field is personal).
  var personal: UInt32?

  static let package = "tongxin"
  static let personalName = "personal"

  /// Finds the options' numbers among the extensions the files of `set` declare.
  init(_ set: UnsafeMutablePointer<Google__Protobuf__FileDescriptorSet>) throws {
    for i in 0..<set.pointee.n_file {
      guard let file = set.pointee.file[i]?.pointee,
        file.package.map({ String(cString: $0) }) == Self.package, let extensions = file.`extension`
      else { continue }
      for j in 0..<file.n_extension {
        guard let e = extensions[j]?.pointee, let name = e.name,
          String(cString: name) == Self.personalName
        else { continue }
        let extendee = e.extendee.map { String(cString: $0) } ?? ""
        // FieldDescriptorProto.Type.TYPE_BOOL = 8
        guard extendee == ".google.protobuf.FieldOptions", e.type.rawValue == 8 else {
          throw CodegenError(
            "\(Self.package).\(Self.personalName) must be a bool extension of "
              + "google.protobuf.FieldOptions")
        }
        personal = UInt32(bitPattern: e.number)
      }
    }
  }

  /// Whether `(tongxin.personal) = true` is set in a field's options.
  func isPersonal(_ options: UnsafeMutablePointer<Google__Protobuf__FieldOptions>?, field: String)
    throws -> Bool
  {
    guard let personal, let options else { return false }
    return try Self.bool(number: personal, in: options.pointee.base, field: field) ?? false
  }

  /// The value of the bool extension numbered `number` kept in `message`'s unknown fields, or
  /// nil when it is not set. When repeated, the last one counts, as protobuf parsers do.
  private static func bool(number: UInt32, in message: ProtobufCMessage, field: String) throws
    -> Bool?
  {
    guard let unknown = message.unknown_fields else { return nil }
    var value: Bool?
    for i in 0..<Int(message.n_unknown_fields) where unknown[i].tag == number {
      let u = unknown[i]
      guard u.wire_type == PROTOBUF_C_WIRE_TYPE_VARINT, let data = u.data,
        let varint = varint(UnsafeBufferPointer(start: data, count: u.len))
      else {
        throw CodegenError("\(field): option number \(number) is not a bool")
      }
      value = varint != 0
    }
    return value
  }

  /// A base-128 varint that fills `bytes` exactly, else nil.
  private static func varint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var result: UInt64 = 0
    for (i, byte) in bytes.enumerated() where i < 10 {
      result |= UInt64(byte & 0x7F) << (7 * UInt64(i))
      if byte & 0x80 == 0 { return i == bytes.count - 1 ? result : nil }
    }
    return nil
  }
}
