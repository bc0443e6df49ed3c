public import CProtobufC

/// Owns the C memory of one protobuf-c message while generated code fills and packs it:
/// strings, byte buffers, arrays and sub-messages. Everything is freed at once when the arena
/// goes away, so filling a message costs a few bump allocations and no per-field frees.
///
/// For generated code; not thread-safe (an arena lives inside one `serializedBytes()` call).
public final class ProtoArena {
  /// Kept apart from `blocks`: most messages fit in one block, and then no array is allocated.
  private var firstBlock: UnsafeMutableRawPointer?
  private var blocks: [UnsafeMutableRawPointer] = []
  private var cursor = 0
  private var blockEnd = 0
  private var nextBlockSize = 512

  public init() {}

  deinit {
    firstBlock?.deallocate()
    for block in blocks { block.deallocate() }
  }

  /// Uninitialized memory that lives as long as the arena.
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
    let start = (cursor + alignment - 1) & ~(alignment - 1)
    if start + byteCount <= blockEnd, let base = UnsafeMutableRawPointer(bitPattern: start) {
      cursor = start + byteCount
      return base
    }
    return allocateSlow(byteCount: byteCount, alignment: alignment)
  }

  private func allocateSlow(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
    let size = max(byteCount, 1)
    if size > nextBlockSize / 2 {
      // Large: a block of its own, keeping the current block for small allocations.
      let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: max(alignment, 16))
      blocks.append(block)
      return block
    }
    let block = UnsafeMutableRawPointer.allocate(byteCount: nextBlockSize, alignment: 16)
    if firstBlock == nil { firstBlock = block } else { blocks.append(block) }
    cursor = Int(bitPattern: block)
    blockEnd = cursor + nextBlockSize
    nextBlockSize = min(nextBlockSize * 2, 64 * 1024)
    return allocate(byteCount: byteCount, alignment: alignment)
  }

  /// Memory for one C message; the caller initializes it with the message's `*__init`.
  @inlinable
  public func message<C>(_ type: C.Type) -> UnsafeMutablePointer<C> {
    allocate(byteCount: MemoryLayout<C>.stride, alignment: MemoryLayout<C>.alignment)
      .bindMemory(to: C.self, capacity: 1)
  }

  /// A NUL-terminated copy of `string` (protobuf-c strings are `char *`).
  ///
  /// protobuf-c measures strings with `strlen`, so a string with an embedded NUL is cut there.
  public func string(_ string: String) -> UnsafeMutablePointer<CChar> {
    var string = string
    return string.withUTF8 { utf8 in
      let p = allocate(byteCount: utf8.count + 1, alignment: 1)
      if let base = utf8.baseAddress { p.copyMemory(from: base, byteCount: utf8.count) }
      p.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
      return p.bindMemory(to: CChar.self, capacity: utf8.count + 1)
    }
  }

  /// A copy of `bytes` as protobuf-c's `bytes` value.
  public func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    if bytes.isEmpty { return ProtobufCBinaryData(len: 0, data: nil) }
    let p = array(bytes)
    return ProtobufCBinaryData(len: bytes.count, data: p)
  }

  /// A copy of `values` (numbers: the C and Swift layouts are the same).
  public func array<T: BitwiseCopyable>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let p = uninitialized(count: values.count, of: T.self)
    values.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { p.initialize(from: base, count: buffer.count) }
    }
    return p
  }

  /// `values` as protobuf-c's `protobuf_c_boolean` (an `int`) array.
  public func bools(_ values: [Bool]) -> UnsafeMutablePointer<protobuf_c_boolean> {
    let p = uninitialized(count: values.count, of: protobuf_c_boolean.self)
    for (i, value) in values.enumerated() { (p + i).initialize(to: value ? 1 : 0) }
    return p
  }

  /// `values` as an array of a protobuf-c enum type.
  public func enums<E: ProtoEnum, C: RawRepresentable>(_ values: [E], as: C.Type = C.self)
    -> UnsafeMutablePointer<C> where C.RawValue: FixedWidthInteger
  {
    let p = uninitialized(count: values.count, of: C.self)
    for (i, value) in values.enumerated() { (p + i).initialize(to: ProtoC.cEnum(value)) }
    return p
  }

  /// `values` as an array of NUL-terminated strings.
  public func strings(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    let p = uninitialized(count: values.count, of: UnsafeMutablePointer<CChar>?.self)
    for (i, value) in values.enumerated() { (p + i).initialize(to: string(value)) }
    return p
  }

  /// `values` as an array of protobuf-c `bytes` values.
  public func byteArrays(_ values: [[UInt8]]) -> UnsafeMutablePointer<ProtobufCBinaryData> {
    let p = uninitialized(count: values.count, of: ProtobufCBinaryData.self)
    for (i, value) in values.enumerated() { (p + i).initialize(to: bytes(value)) }
    return p
  }

  /// An uninitialized array of `count` pointers to C messages (repeated message fields and
  /// map entries); the caller stores every element.
  @inlinable
  public func pointers<C>(count: Int, to: C.Type = C.self)
    -> UnsafeMutablePointer<UnsafeMutablePointer<C>?>
  {
    uninitialized(count: count, of: UnsafeMutablePointer<C>?.self)
  }

  @inlinable
  public func uninitialized<T>(count: Int, of: T.Type) -> UnsafeMutablePointer<T> {
    allocate(
      byteCount: MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment
    ).bindMemory(to: T.self, capacity: count)
  }
}
