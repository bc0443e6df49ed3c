import TongxinWire

/// Where the id of what a write call changes sits in its request or response, found from the
/// method description the instance registered, so the gateway needs no per-service code and
/// never decodes a whole payload: the first top-level field named `id` or ending in `_id`
/// (string or integer) of the input message, else of the output message (for creations).
struct AuditTarget {
  var requestField: UInt32?
  var responseField: UInt32?

  init(method: Tongxin_Rpc_MethodDescription, in service: Tongxin_Rpc_ServiceDescription) {
    requestField = Self.idField(of: method.inputType, in: service)
    responseField = Self.idField(of: method.outputType, in: service)
  }

  private static func idField(of message: String, in service: Tongxin_Rpc_ServiceDescription)
    -> UInt32?
  {
    let scalarKinds: Set<Tongxin_Rpc_FieldDescription.Kind> = [
      .string, .uint64, .int64, .uint32, .int32, .fixed64, .fixed32,
    ]
    let fields = service.messages.first { $0.name == message }?.fields ?? []
    return fields.first {
      ($0.name == "id" || $0.name.hasSuffix("_id")) && !$0.repeated
        && scalarKinds.contains($0.kind)
    }?.number
  }

  /// The id in the request, else in the response; empty when neither carries one.
  func id(request: [UInt8], response: [UInt8]) -> String {
    if let requestField, let id = WireScan.scalar(requestField, in: request), !id.isEmpty {
      return id
    }
    if let responseField, let id = WireScan.scalar(responseField, in: response) { return id }
    return ""
  }
}

/// Reads one top-level field of an encoded protobuf message without decoding the rest.
enum WireScan {
  /// Field `number` as text: a length-delimited field as UTF-8, a varint or fixed-size field
  /// as its unsigned decimal value; nil when absent or when the bytes are not protobuf.
  static func scalar(_ number: UInt32, in bytes: [UInt8]) -> String? {
    var index = 0
    var found: String?
    while index < bytes.count {
      guard let key = varint(bytes, &index) else { return found }
      let wireType = key & 7
      let field = key >> 3
      switch wireType {
      case 0:
        guard let value = varint(bytes, &index) else { return found }
        if field == number { found = String(value) }
      case 1, 5:
        let size = wireType == 1 ? 8 : 4
        guard index + size <= bytes.count else { return found }
        if field == number {
          found = String(bytes[index..<index + size].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        index += size
      case 2:
        guard let length = varint(bytes, &index), length <= UInt64(bytes.count - index) else {
          return found
        }
        let end = index + Int(length)
        if field == number { found = String(decoding: bytes[index..<end], as: UTF8.self) }
        index = end
      default:
        return found
      }
    }
    // The last occurrence wins, as in protobuf's own decoding.
    return found
  }

  private static func varint(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count, shift < 64 {
      let byte = bytes[index]
      index += 1
      value |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
    return nil
  }
}
