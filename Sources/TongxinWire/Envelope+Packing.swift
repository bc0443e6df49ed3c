import TongxinProtobuf
import TongxinProtos

// Headers sent on every call, packed by protobuf-c from a message on the stack: a fraction of
// the cost of `serializedBytes()`, which allocates an arena and copies every string into it.
//
// The gateway forwards headers as they were encoded and appends the fields it changes: a
// protobuf parser merges concatenated messages, the last value of a scalar field winning
// (PROTOCOL.md, "What the gateway changes in a header").

extension Tongxin_Rpc_RequestHeader {
  /// Appends an encoded header holding only `call_id` and `timeout_ms` to `bytes`.
  package static func append(callID: UInt64, timeoutMs: UInt32, to bytes: inout [UInt8]) {
    var message = Tongxin__Rpc__RequestHeader()
    tongxin__rpc__request_header__init(&message)
    message.call_id = callID
    message.timeout_ms = timeoutMs
    appendPacked(to: &bytes) { tongxin__rpc__request_header__pack(&message, $0) }
  }
}

extension Tongxin_Rpc_RequestHeader {
  /// A new call's header without metadata, packed from a message on the stack: what a client
  /// sends on every call, at a third of the cost of filling a header and `serializedBytes()`.
  package static func packed(
    callID: UInt64, service: String, method: String, timeoutMs: UInt32, idempotencyKey: String
  ) -> [UInt8] {
    var message = Tongxin__Rpc__RequestHeader()
    tongxin__rpc__request_header__init(&message)
    message.call_id = callID
    message.timeout_ms = timeoutMs
    // protobuf-c only reads the strings while packing; a NUL ends them, as with the arena.
    return service.withCString { service in
      method.withCString { method in
        idempotencyKey.withCString { idempotencyKey in
          message.service = UnsafeMutablePointer(mutating: service)
          message.method = UnsafeMutablePointer(mutating: method)
          message.idempotency_key = UnsafeMutablePointer(mutating: idempotencyKey)
          return ProtoC.pack(&message)
        }
      }
    }
  }
}

extension Tongxin_Rpc_ResponseHeader {
  /// Appends an encoded header holding only `call_id` to `bytes`.
  package static func append(callID: UInt64, to bytes: inout [UInt8]) {
    var message = Tongxin__Rpc__ResponseHeader()
    tongxin__rpc__response_header__init(&message)
    message.call_id = callID
    appendPacked(to: &bytes) { tongxin__rpc__response_header__pack(&message, $0) }
  }
}

/// The most the `append` functions above add: two varint fields with their tags (17 bytes),
/// rounded up. Reserve it to append without a second allocation.
package let appendedFieldsCapacity = 32

/// Packs into a stack buffer big enough for two varint fields, then appends what was written.
private func appendPacked(to bytes: inout [UInt8], _ pack: (UnsafeMutablePointer<UInt8>) -> Int) {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: appendedFieldsCapacity) { buffer in
    let count = pack(buffer.baseAddress!)
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
  }
}
