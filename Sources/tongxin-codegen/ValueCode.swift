// How one value of a field travels between its Swift type and protobuf-c's C struct: the
// Swift type, the Swift expression that reads a C value, and the C value for a Swift value.

enum ValueCode {
  /// Numbers: the Swift type is also the C type (`int32_t` is `Int32`, `float` is `Float`).
  case number(String)
  /// `protobuf_c_boolean` (an `int`).
  case bool
  /// `char *`, NUL-terminated.
  case string
  /// `ProtobufCBinaryData`.
  case bytes
  /// A C enum; the Swift enum keeps unknown numbers.
  case enumeration(swiftType: String)
  /// A pointer to a C message struct.
  case message(swiftType: String, cType: String, cInit: String)

  init(_ field: ProtoField, plan: GenerationPlan) throws {
    switch field.kind {
    case .bool: self = .bool
    case .string: self = .string
    case .bytes: self = .bytes
    case .enumeration: self = .enumeration(swiftType: plan.swiftType(field.typeName))
    case .message:
      self = .message(
        swiftType: plan.swiftType(field.typeName), cType: CNaming.typeName(field.typeName),
        cInit: CNaming.functionPrefix(field.typeName) + "__init")
    case .group: throw CodegenError("\(field.fullName): groups are not supported")
    default: self = .number(field.kind.swiftScalarType!)
    }
  }

  var swiftType: String {
    switch self {
    case .number(let t): t
    case .bool: "Bool"
    case .string: "String"
    case .bytes: "[UInt8]"
    case .enumeration(let t): t
    case .message(let t, _, _): t
    }
  }

  /// The Swift expression for C value `c` (for messages: a non-NULL pointer).
  func decode(_ c: String, field: ProtoField) -> String {
    switch self {
    case .number: c
    case .bool: "\(c) != 0"
    case .string: "try ProtoC.string(\(c), field: \(swiftLiteral(field.fullName)))"
    case .bytes: "ProtoC.bytes(\(c))"
    case .enumeration: "ProtoC.swiftEnum(\(c))"
    case .message(let t, _, _): "try \(t)(_cMessage: \(c))"
    }
  }

  /// The C value for Swift value `v`, allocated in `arena` when it needs memory.
  func encode(_ v: String) -> String {
    switch self {
    case .number: v
    case .bool: "\(v) ? 1 : 0"
    case .string: "arena.string(\(v))"
    case .bytes: "arena.bytes(\(v))"
    case .enumeration: "ProtoC.cEnum(\(v))"
    case .message: "\(v)._cMessage(in: arena)"
    }
  }

  /// Whether a singular field with this value is left out when it has its default (proto3
  /// leaves out zero values, so the C default is already right).
  var skipsDefault: Bool {
    switch self {
    case .string, .bytes: true
    default: false
    }
  }
}
