public import CProtobufC

/// Conversions from protobuf-c's C representation to Swift values, for generated code.
public enum ProtoC {
  /// A string field, rejected when it is not UTF-8.
  @inlinable
  public static func string(_ p: UnsafePointer<CChar>?, field: StaticString)
    throws(ProtoDecodingError) -> String
  {
    guard let p else { return "" }
    if p.pointee == 0 { return "" }
    guard let string = String(validatingCString: p) else {
      throw ProtoDecodingError.invalidUTF8(field: field)
    }
    return string
  }

  /// A repeated string field.
  @inlinable
  public static func strings(
    _ p: UnsafePointer<UnsafeMutablePointer<CChar>?>?, count: Int, field: StaticString
  ) throws(ProtoDecodingError) -> [String] {
    guard let p, count > 0 else { return [] }
    var result: [String] = []
    result.reserveCapacity(count)
    for i in 0..<count { result.append(try string(p[i], field: field)) }
    return result
  }

  /// A bytes field.
  @inlinable
  public static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard let p = data.data, data.len > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: p, count: data.len))
  }

  /// A repeated bytes field.
  @inlinable
  public static func byteArrays(_ p: UnsafePointer<ProtobufCBinaryData>?, count: Int) -> [[UInt8]] {
    guard let p, count > 0 else { return [] }
    return (0..<count).map { bytes(p[$0]) }
  }

  /// A repeated number field.
  @inlinable
  public static func array<T: BitwiseCopyable>(_ p: UnsafePointer<T>?, count: Int) -> [T] {
    guard let p, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: p, count: count))
  }

  /// A repeated bool field.
  @inlinable
  public static func bools(_ p: UnsafePointer<protobuf_c_boolean>?, count: Int) -> [Bool] {
    guard let p, count > 0 else { return [] }
    return (0..<count).map { p[$0] != 0 }
  }

  /// An enum field: protobuf-c keeps numbers it does not know, and so does the Swift enum.
  @inlinable
  public static func swiftEnum<E: ProtoEnum, C: RawRepresentable>(_ value: C) -> E
  where C.RawValue: FixedWidthInteger {
    E(rawValue: Int32(truncatingIfNeeded: value.rawValue))
  }

  /// A repeated enum field.
  @inlinable
  public static func swiftEnums<E: ProtoEnum, C: RawRepresentable>(
    _ p: UnsafePointer<C>?, count: Int
  ) -> [E] where C.RawValue: FixedWidthInteger {
    guard let p, count > 0 else { return [] }
    return (0..<count).map { swiftEnum(p[$0]) }
  }

  /// A Swift enum value as a protobuf-c enum value.
  @inlinable
  public static func cEnum<E: ProtoEnum, C: RawRepresentable>(_ value: E) -> C
  where C.RawValue: FixedWidthInteger {
    // protobuf-c's enums are plain C enums: every bit pattern is a valid value.
    C(rawValue: C.RawValue(truncatingIfNeeded: value.rawValue))!
  }
}

// MARK: Packing and unpacking

extension ProtoC {
  /// Packs a C message with protobuf-c's generic functions (for every generated message:
  /// protoc-c generates `*__pack` only for top-level ones). Inlinable, so that each message
  /// type gets a specialized copy.
  @inlinable
  public static func pack<C>(_ message: UnsafeMutablePointer<C>) -> [UInt8] {
    let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    let size = protobuf_c_message_get_packed_size(base)
    guard size > 0 else { return [] }
    // A small message is packed on the stack, then copied: an array made uninitialized
    // (`init(unsafeUninitializedCapacity:)`, `init(repeating:count:)`) is allocated through an
    // unspecialized generic path that looks up its storage type each time, a quarter of the
    // cost of encoding a small message; a copy from a buffer pointer is specialized. A large
    // one would take a heap buffer and a copy more than that lookup costs.
    guard size <= 1024 else {
      return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = protobuf_c_message_pack(base, buffer.baseAddress)
      }
    }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { buffer in
      let count = protobuf_c_message_pack(base, buffer.baseAddress)
      return [UInt8](UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
  }

  /// Unpacks bytes as the C message that `initialize` (its `*__init`) sets up, in an arena
  /// (``ProtoUnpackArena``), and converts it with `convert`.
  @inlinable
  public static func unpack<C, Message>(
    _ bytes: UnsafeRawBufferPointer, messageName: String,
    initialize: (UnsafeMutablePointer<C>) -> Void,
    convert: (UnsafePointer<C>) throws(ProtoDecodingError) -> Message
  ) throws(ProtoDecodingError) -> Message {
    // The descriptor's address is in every initialized message: take it from a blank one.
    let descriptor = withUnsafeTemporaryAllocation(of: C.self, capacity: 1) { blank in
      initialize(blank.baseAddress!)
      return UnsafeRawPointer(blank.baseAddress!).load(as: ProtobufCMessage.self).descriptor
    }
    let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
    return try ProtoUnpackArena.with { allocator throws(ProtoDecodingError) in
      guard let message = protobuf_c_message_unpack(descriptor, allocator, bytes.count, data) else {
        throw ProtoDecodingError(
          messageName: messageName, byteCount: bytes.count, reason: .invalidEncoding)
      }
      do throws(ProtoDecodingError) {
        return try convert(UnsafeRawPointer(message).assumingMemoryBound(to: C.self))
      } catch {
        throw error.located(in: messageName, byteCount: bytes.count)
      }
    }
  }
}
