// Proto messages → Swift structs conforming to ProtoMessage, and the generated bridge to
// protobuf-c: `_cMessage(in:)` fills the C struct, `init(_cMessage:)` reads it, and
// `serializedBytes()` / `init(serializedBytes:)` pack and unpack through protobuf-c; the
// Codable members for proto3 JSON come from JSONEmitter, personal-data redaction from
// RedactionEmitter.

struct MessageEmitter {
  let plan: GenerationPlan
  let w: CodeWriter

  // MARK: Declarations

  /// The struct, with its nested messages, enums and oneof enums inside. `name` is the Swift
  /// name as declared (unqualified when nested).
  func emitDeclaration(_ m: ProtoMessageType, name: String) throws {
    w.docComment(m.comment)
    try w.block("public struct \(name): ProtoMessage {") {
      w.line("public static let protoMessageName = \(swiftLiteral(m.fullName))")
      if !m.fields.isEmpty { w.line() }
      var emittedOneofs: Set<Int> = []
      for (i, field) in m.fields.enumerated() {
        // A blank line before each commented property, to keep the comment with it.
        if i > 0 && !field.comment.isEmpty && field.oneofIndex == nil { w.line() }
        if let index = field.oneofIndex {
          guard emittedOneofs.insert(index).inserted else { continue }
          let oneof = m.oneofs[index]
          w.line(
            "public var \(SwiftNaming.propertyName(oneof)): \(SwiftNaming.oneofTypeName(oneof))? = nil"
          )
        } else {
          try emitProperty(field)
        }
      }
      w.line()
      w.line("public init() {}")
      for (index, oneof) in m.oneofs.enumerated() {
        let members = m.fields.filter { $0.oneofIndex == index }
        guard !members.isEmpty else { continue }
        w.line()
        let indirect = plan.indirectOneofs.contains("\(m.fullName)/\(index)") ? "indirect " : ""
        try w.block(
          "public \(indirect)enum \(SwiftNaming.oneofTypeName(oneof)): Sendable, Hashable {"
        ) {
          for field in members {
            w.docComment(field.comment)
            let value = try ValueCode(field, plan: plan)
            w.line("case \(SwiftNaming.propertyName(field.name))(\(value.swiftType))")
          }
        }
      }
      for e in m.nestedEnums where plan.swiftEnums.contains(e.fullName) {
        w.line()
        try EnumEmitter(w: w).emit(e, name: SwiftNaming.nestedTypeName(e.name))
      }
      for nested in m.nestedMessages where plan.structMessages.contains(nested.fullName) {
        w.line()
        try emitDeclaration(nested, name: SwiftNaming.nestedTypeName(nested.name))
      }
    }
  }

  private func emitProperty(_ field: ProtoField) throws {
    let name = SwiftNaming.propertyName(field.name)
    w.docComment(field.comment)
    if let entry = plan.schema.mapEntry(of: field) {
      let key = try ValueCode(entry.fields[0], plan: plan)
      let value = try ValueCode(entry.fields[1], plan: plan)
      w.line("public var \(name): [\(key.swiftType): \(value.swiftType)] = [:]")
    } else if plan.isUnwrappedWrapper(field) {
      let inner = try ValueCode(wrapperValueField(field), plan: plan)
      w.line("public var \(name): \(inner.swiftType)? = nil")
    } else {
      let value = try ValueCode(field, plan: plan)
      if field.isRepeated {
        w.line("public var \(name): [\(value.swiftType)] = []")
      } else if case .message(let type, _, _) = value {
        if plan.boxedFields.contains(field.fullName) {
          w.block("public var \(name): \(type)? {") {
            w.line("get { _\(name.filter { $0 != "`" })?.value }")
            w.line("set { _\(name.filter { $0 != "`" }) = newValue.map { ProtoBox($0) } }")
          }
          w.line("private var _\(name.filter { $0 != "`" }): ProtoBox<\(type)>? = nil")
        } else {
          w.line("public var \(name): \(type)? = nil")
        }
      } else {
        w.line("public var \(name): \(value.swiftType) = \(try defaultValue(field, value))")
      }
    }
  }

  private func defaultValue(_ field: ProtoField, _ value: ValueCode) throws -> String {
    switch value {
    case .number: return "0"
    case .bool: return "false"
    case .string: return "\"\""
    case .bytes: return "[]"
    case .enumeration:
      let e = try plan.schema.enumType(field.typeName)
      return "." + SwiftNaming.enumCaseName(enumName: e.name, valueName: e.values[0].name)
    case .message: return "nil"
    }
  }

  /// The `value` field of a google.protobuf wrapper message.
  private func wrapperValueField(_ field: ProtoField) throws -> ProtoField {
    let wrapper = try plan.schema.message(field.typeName)
    guard let value = wrapper.fields.first(where: { $0.name == "value" }) else {
      throw CodegenError("\(field.typeName) has no field named value")
    }
    return value
  }

  // MARK: Bridge to protobuf-c

  /// An extension with the ProtoMessage methods and the protobuf-c bridge, for `m` and each
  /// nested message. Every message packs and unpacks through protobuf-c's generic functions
  /// (`ProtoC.pack`, `ProtoC.unpack`): protoc-c generates `*__pack`/`*__unpack` for top-level
  /// messages only, and one path keeps the arena and the error handling in one place.
  func emitBridge(_ m: ProtoMessageType) throws {
    let swiftType = plan.swiftType(m.fullName)
    let cType = CNaming.typeName(m.fullName)
    let cPrefix = CNaming.functionPrefix(m.fullName)
    w.line()
    try w.block("extension \(swiftType) {") {
      w.block("public func serializedBytes() -> [UInt8] {") {
        w.line("let arena = ProtoArena()")
        w.line("return withExtendedLifetime(arena) { ProtoC.pack(_cMessage(in: arena)) }")
      }
      w.line()
      w.block(
        "public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {"
      ) {
        w.line("self = try ProtoC.unpack(")
        w.line("  bytes, messageName: Self.protoMessageName, initialize: \(cPrefix)__init,")
        w.line("  convert: { c throws(ProtoDecodingError) in try Self(_cMessage: c) })")
      }
      w.line()
      try emitDecode(m, cType: cType)
      w.line()
      try emitEncode(m, cType: cType, cInit: cPrefix + "__init")
      try JSONEmitter(plan: plan, w: w).emit(m)
      try RedactionEmitter(plan: plan, w: w).emit(m)
    }
    for nested in m.nestedMessages where plan.structMessages.contains(nested.fullName) {
      try emitBridge(nested)
    }
  }

  private func emitDecode(_ m: ProtoMessageType, cType: String) throws {
    w.line("/// Copies a C message that protobuf-c unpacked (for generated code).")
    try w.block("package init(_cMessage c: UnsafePointer<\(cType)>) throws(ProtoDecodingError) {") {
      if !m.fields.isEmpty { w.line("let m = c.pointee") }
      var doneOneofs: Set<Int> = []
      for field in m.fields {
        if let index = field.oneofIndex {
          if doneOneofs.insert(index).inserted { try emitOneofDecode(m, index) }
        } else {
          try emitFieldDecode(field)
        }
      }
    }
  }

  private func emitFieldDecode(_ field: ProtoField) throws {
    let name = "self." + SwiftNaming.propertyName(field.name)
    let c = "m." + CNaming.fieldName(field.name)
    let count = "m.n_" + CNaming.fieldName(field.name)
    if let entry = plan.schema.mapEntry(of: field) {
      let key = try ValueCode(entry.fields[0], plan: plan)
      let value = try ValueCode(entry.fields[1], plan: plan)
      w.block("if \(count) > 0 {") {
        // Not `reserveCapacity`: that one is not specialized, and built the dictionary's
        // metadata at run time for every message decoded (the request header's, per call).
        w.line("\(name) = Dictionary(minimumCapacity: \(count))")
        w.block("for i in 0..<\(count) {") {
          w.line("let e = \(c)[i]!.pointee")
          w.line("let key = \(key.decode("e.key", field: entry.fields[0]))")
          if case .message(let type, _, _) = value {
            w.line(
              "\(name)[key] = try e.value.map { p throws(ProtoDecodingError) in try \(type)(_cMessage: p) } ?? \(type)()"
            )
          } else {
            w.line("\(name)[key] = \(value.decode("e.value", field: entry.fields[1]))")
          }
        }
      }
    } else if plan.isUnwrappedWrapper(field) {
      let inner = try ValueCode(wrapperValueField(field), plan: plan)
      w.line("if let p = \(c) { \(name) = \(inner.decode("p.pointee.value", field: field)) }")
    } else {
      let value = try ValueCode(field, plan: plan)
      if field.isRepeated {
        switch value {
        case .number: w.line("\(name) = ProtoC.array(\(c), count: \(count))")
        case .bool: w.line("\(name) = ProtoC.bools(\(c), count: \(count))")
        case .string:
          w.line(
            "\(name) = try ProtoC.strings(\(c), count: \(count), field: \(swiftLiteral(field.fullName)))"
          )
        case .bytes: w.line("\(name) = ProtoC.byteArrays(\(c), count: \(count))")
        case .enumeration: w.line("\(name) = ProtoC.swiftEnums(\(c), count: \(count))")
        case .message(let type, _, _):
          w.block("if \(count) > 0 {") {
            w.line("\(name).reserveCapacity(\(count))")
            w.line("for i in 0..<\(count) { \(name).append(try \(type)(_cMessage: \(c)[i]!)) }")
          }
        }
      } else if case .message = value {
        w.line("if let p = \(c) { \(name) = \(value.decode("p", field: field)) }")
      } else {
        w.line("\(name) = \(value.decode(c, field: field))")
      }
    }
  }

  private func emitOneofDecode(_ m: ProtoMessageType, _ index: Int) throws {
    let oneof = m.oneofs[index]
    let name = "self." + SwiftNaming.propertyName(oneof)
    try w.switchBlock("switch m.\(CNaming.oneofCaseName(oneof)).rawValue {") {
      for field in m.fields where field.oneofIndex == index {
        let value = try ValueCode(field, plan: plan)
        let caseName = SwiftNaming.propertyName(field.name)
        let c = "m." + CNaming.fieldName(field.name)
        if case .message(let type, _, _) = value {
          w.line(
            "case \(field.number): \(name) = .\(caseName)(try \(c).map { p throws(ProtoDecodingError) in try \(type)(_cMessage: p) } ?? \(type)())"
          )
        } else {
          w.line("case \(field.number): \(name) = .\(caseName)(\(value.decode(c, field: field)))")
        }
      }
      w.line("default: break")
    }
  }

  private func emitEncode(_ m: ProtoMessageType, cType: String, cInit: String) throws {
    w.line(
      "/// A C message for protobuf-c to pack, in memory owned by `arena` (for generated code).")
    try w.block("package func _cMessage(in arena: ProtoArena) -> UnsafeMutablePointer<\(cType)> {")
    {
      w.line("let c = arena.message(\(cType).self)")
      w.line("\(cInit)(c)")
      var doneOneofs: Set<Int> = []
      for field in m.fields {
        if let index = field.oneofIndex {
          if doneOneofs.insert(index).inserted { try emitOneofEncode(m, index) }
        } else {
          try emitFieldEncode(field)
        }
      }
      w.line("return c")
    }
  }

  private func emitFieldEncode(_ field: ProtoField) throws {
    let name = "self." + SwiftNaming.propertyName(field.name)
    let c = "c.pointee." + CNaming.fieldName(field.name)
    let count = "c.pointee.n_" + CNaming.fieldName(field.name)
    if let entry = plan.schema.mapEntry(of: field) {
      let key = try ValueCode(entry.fields[0], plan: plan)
      let value = try ValueCode(entry.fields[1], plan: plan)
      let entryType = CNaming.typeName(entry.fullName)
      // Sorted by key, so that equal maps encode to equal bytes.
      let order = key.swiftType == "Bool" ? "{ !$0.key && $1.key }" : "{ $0.key < $1.key }"
      w.block("if !\(name).isEmpty {") {
        w.line("let entries = arena.pointers(count: \(name).count, to: \(entryType).self)")
        w.block("for (i, (key, value)) in \(name).sorted(by: \(order)).enumerated() {") {
          w.line("let e = arena.message(\(entryType).self)")
          w.line("\(CNaming.functionPrefix(entry.fullName))__init(e)")
          w.line("e.pointee.key = \(key.encode("key"))")
          w.line("e.pointee.value = \(value.encode("value"))")
          w.line("entries[i] = e")
        }
        w.line("\(count) = \(name).count")
        w.line("\(c) = entries")
      }
    } else if plan.isUnwrappedWrapper(field) {
      let inner = try ValueCode(wrapperValueField(field), plan: plan)
      let wrapperType = CNaming.typeName(field.typeName)
      w.block("if let value = \(name) {") {
        w.line("let wrapper = arena.message(\(wrapperType).self)")
        w.line("\(CNaming.functionPrefix(field.typeName))__init(wrapper)")
        w.line("wrapper.pointee.value = \(inner.encode("value"))")
        w.line("\(c) = wrapper")
      }
    } else {
      let value = try ValueCode(field, plan: plan)
      if field.isRepeated {
        let copy: String
        switch value {
        case .number: copy = "arena.array(\(name))"
        case .bool: copy = "arena.bools(\(name))"
        case .string: copy = "arena.strings(\(name))"
        case .bytes: copy = "arena.byteArrays(\(name))"
        case .enumeration: copy = "arena.enums(\(name))"
        case .message(_, let cType, _):
          w.block("if !\(name).isEmpty {") {
            w.line("let items = arena.pointers(count: \(name).count, to: \(cType).self)")
            w.line("for (i, item) in \(name).enumerated() { items[i] = item._cMessage(in: arena) }")
            w.line("\(count) = \(name).count")
            w.line("\(c) = items")
          }
          return
        }
        w.block("if !\(name).isEmpty {") {
          w.line("\(count) = \(name).count")
          w.line("\(c) = \(copy)")
        }
      } else if case .message = value {
        w.line("if let value = \(name) { \(c) = \(value.encode("value")) }")
      } else if value.skipsDefault {
        w.line("if !\(name).isEmpty { \(c) = \(value.encode(name)) }")
      } else {
        w.line("\(c) = \(value.encode(name))")
      }
    }
  }

  private func emitOneofEncode(_ m: ProtoMessageType, _ index: Int) throws {
    let oneof = m.oneofs[index]
    let caseMember = "c.pointee." + CNaming.oneofCaseName(oneof)
    try w.switchBlock("switch self.\(SwiftNaming.propertyName(oneof)) {") {
      for field in m.fields where field.oneofIndex == index {
        let value = try ValueCode(field, plan: plan)
        w.line("case .\(SwiftNaming.propertyName(field.name))(let value)?:")
        w.line("  \(caseMember) = .init(rawValue: \(field.number))")
        w.line("  c.pointee.\(CNaming.fieldName(field.name)) = \(value.encode("value"))")
      }
      w.line("case nil: break")
    }
  }
}
