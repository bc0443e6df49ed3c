import TongxinProtos

// The gateway forwards headers as they were encoded and appends the fields it changes: a
// protobuf parser merges concatenated messages, the last value of a scalar field winning
// (PROTOCOL.md, "What the gateway changes"). These pack just those fields with protobuf-c,
// from a message on the stack: a fifth of the cost of `serializedBytes()`, which allocates an
// arena and an array, and is paid on every call.

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

extension Tongxin_Rpc_ResponseHeader {
  /// Appends an encoded header holding only `call_id` to `bytes`.
  package static func append(callID: UInt64, to bytes: inout [UInt8]) {
    var message = Tongxin__Rpc__ResponseHeader()
    tongxin__rpc__response_header__init(&message)
    message.call_id = callID
    appendPacked(to: &bytes) { tongxin__rpc__response_header__pack(&message, $0) }
  }
}

/// Packs into a stack buffer big enough for two varint fields, then appends what was written.
private func appendPacked(to bytes: inout [UInt8], _ pack: (UnsafeMutablePointer<UInt8>) -> Int) {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
    let count = pack(buffer.baseAddress!)
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
  }
}
