public import CProtobufC

/// Memory for protobuf-c while it unpacks one message: bump allocation in a buffer on the
/// stack, then in heap chunks for big messages, all released at once when decoding ends.
///
/// protobuf-c otherwise mallocs every string, array and sub-message and frees each again with
/// `*__free_unpacked`: a request header with two metadata entries took ten allocations, and
/// malloc and free were a sixth of a service instance's work per call. With the arena there is
/// nothing to free one by one.
public enum ProtoUnpackArena {
  /// Runs `body` with an allocator for protobuf-c's `*__unpack`. What was unpacked with it is
  /// valid inside `body` only; do not call `*__free_unpacked` on it.
  @inlinable
  public static func with<Result>(
    _ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(ProtoDecodingError) -> Result
  ) throws(ProtoDecodingError) -> Result {
    // Constant and small, so the compiler puts it on the stack.
    let outcome = withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 16) { buffer in
      var state = ProtoUnpackArenaState(buffer)
      defer { state.releaseChunks() }
      return withUnsafeMutablePointer(to: &state) { statePointer in
        var allocator = ProtobufCAllocator(
          alloc: protoUnpackArenaAllocate, free: protoUnpackArenaFree,
          allocator_data: UnsafeMutableRawPointer(statePointer))
        return withUnsafeMutablePointer(to: &allocator) { allocatorPointer in
          Swift.Result { () throws(ProtoDecodingError) -> Result in try body(allocatorPointer) }
        }
      }
    }
    return try outcome.get()
  }
}

/// Where the next allocation goes, and the heap chunks to release.
@usableFromInline
struct ProtoUnpackArenaState {
  var cursor: UnsafeMutableRawPointer
  var end: UnsafeMutableRawPointer
  /// Heap chunks, each starting with the address of the one allocated before it.
  var chunks: UnsafeMutableRawPointer?
  var nextChunkSize = 4096

  @usableFromInline
  init(_ buffer: UnsafeMutableRawBufferPointer) {
    cursor = buffer.baseAddress!
    end = buffer.baseAddress! + buffer.count
  }

  mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer {
    let rounded = (size + 15) & ~15
    if end - cursor < rounded { addChunk(holding: rounded) }
    defer { cursor += rounded }
    return cursor
  }

  private mutating func addChunk(holding size: Int) {
    let header = 16
    let chunkSize = max(nextChunkSize, size + header)
    nextChunkSize = min(nextChunkSize * 2, 1 << 20)
    let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    chunk.storeBytes(of: chunks, as: UnsafeMutableRawPointer?.self)
    chunks = chunk
    cursor = chunk + header
    end = chunk + chunkSize
  }

  @usableFromInline
  mutating func releaseChunks() {
    while let chunk = chunks {
      chunks = chunk.load(as: UnsafeMutableRawPointer?.self)
      chunk.deallocate()
    }
  }
}

@usableFromInline
let protoUnpackArenaAllocate:
  @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { state, size in
    state!.assumingMemoryBound(to: ProtoUnpackArenaState.self).pointee.allocate(size)
  }

/// Everything goes when the arena does.
@usableFromInline
let protoUnpackArenaFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void =
  { _, _ in }
