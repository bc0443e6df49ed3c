// `redactingPersonalData()` and `redactionMarkerPath()` for each message that holds personal
// data (fields marked `[(tongxin.personal) = true]`, directly or in nested messages). The
// rule itself (which marker replaces what) lives in TongxinProtobuf's `PersonalData`; this
// only walks the fields. Messages without personal data use ProtoMessage's defaults.

struct RedactionEmitter {
  let plan: GenerationPlan
  let w: CodeWriter

  /// Emits both members inside the message's extension, when it holds personal data.
  func emit(_ m: ProtoMessageType) throws {
    guard plan.personalMessages.contains(m.fullName) else { return }
    w.line()
    w.line("/// A copy for a caller without the personal-data right (see `PersonalData`).")
    try w.block("public func redactingPersonalData() -> Self {") {
      w.line("var r = self")
      for field in m.fields where field.oneofIndex == nil { try emitRedaction(field) }
      for index in m.oneofs.indices { try emitOneofRedaction(m, index) }
      w.line("return r")
    }
    w.line()
    w.line("/// The first personal field that holds a redaction marker (see `ProtoMessage`).")
    try w.block("public func redactionMarkerPath() -> String? {") {
      for field in m.fields where field.oneofIndex == nil { try emitMarkerCheck(field) }
      for index in m.oneofs.indices { try emitOneofMarkerCheck(m, index) }
      w.line("return nil")
    }
  }

  // MARK: Redaction

  private func emitRedaction(_ field: ProtoField) throws {
    guard redacts(field) else { return }
    let name = "r." + SwiftNaming.propertyName(field.name)
    if field.isPersonal {
      if field.isRepeated || plan.isUnwrappedWrapper(field) {
        w.line("\(name) = \(name).map { \(try redaction(field, "$0")) }")
      } else {
        w.line("\(name) = \(try redaction(field, name))")
      }
    } else {
      if plan.schema.mapEntry(of: field) != nil {
        w.line("\(name) = \(name).mapValues { $0.redactingPersonalData() }")
      } else if field.isRepeated {
        w.line("\(name) = \(name).map { $0.redactingPersonalData() }")
      } else {
        w.line("\(name) = \(name)?.redactingPersonalData()")
      }
    }
  }

  private func emitOneofRedaction(_ m: ProtoMessageType, _ index: Int) throws {
    let members = m.fields.filter { $0.oneofIndex == index && redacts($0) }
    guard !members.isEmpty else { return }
    let name = "r." + SwiftNaming.propertyName(m.oneofs[index])
    try w.switchBlock("switch \(name) {") {
      for field in members {
        let caseName = SwiftNaming.propertyName(field.name)
        let value =
          field.isPersonal ? try redaction(field, "value") : "value.redactingPersonalData()"
        w.line("case .\(caseName)(let value)?: \(name) = .\(caseName)(\(value))")
      }
      w.line("default: break")
    }
  }

  /// The redacted value of one value `v` of personal field `field`.
  private func redaction(_ field: ProtoField, _ v: String) throws -> String {
    if field.kind == .enumeration {
      let e = try plan.schema.enumType(field.typeName)
      let value = try plan.redactedValue(of: field)
      let caseName = SwiftNaming.enumCaseName(enumName: e.name, valueName: value.name)
      return "PersonalData.redacted(\(v), as: .\(caseName))"
    }
    return "PersonalData.redacted(\(v))"
  }

  // MARK: Markers in requests

  private func emitMarkerCheck(_ field: ProtoField) throws {
    guard redacts(field) else { return }
    // `self.`: a field may share its name with a local of this code (`inner`, `value`).
    let name = "self." + SwiftNaming.propertyName(field.name)
    let path = field.name
    if field.isPersonal {
      let test = try isMarker(field, "$0")
      if field.isRepeated {
        w.block("if let i = \(name).firstIndex(where: { \(test) }) {") {
          w.line("return \"\(path)[\\(i)]\"")
        }
      } else if plan.isUnwrappedWrapper(field) {
        w.line("if let value = \(name), \(try isMarker(field, "value")) { return \"\(path)\" }")
      } else {
        w.line("if \(try isMarker(field, name)) { return \"\(path)\" }")
      }
    } else {
      if let entry = plan.schema.mapEntry(of: field) {
        // In key order, so that the same request always names the same entry.
        let order = entry.fields[0].kind == .bool ? "{ !$0.key && $1.key }" : "{ $0.key < $1.key }"
        w.block("for (key, value) in \(name).sorted(by: \(order)) {") {
          w.line(
            "if let inner = value.redactionMarkerPath() { return \"\(path)[\\(key)].\" + inner }")
        }
      } else if field.isRepeated {
        w.block("for (i, item) in \(name).enumerated() {") {
          w.line(
            "if let inner = item.redactionMarkerPath() { return \"\(path)[\\(i)].\" + inner }")
        }
      } else {
        w.line(
          "if let inner = \(name)?.redactionMarkerPath() { return \"\(path).\" + inner }")
      }
    }
  }

  private func emitOneofMarkerCheck(_ m: ProtoMessageType, _ index: Int) throws {
    let name = "self." + SwiftNaming.propertyName(m.oneofs[index])
    for field in m.fields where field.oneofIndex == index && redacts(field) {
      let caseName = SwiftNaming.propertyName(field.name)
      if field.isPersonal {
        w.block("if case .\(caseName)(let value)? = \(name), \(try isMarker(field, "value")) {") {
          w.line("return \"\(field.name)\"")
        }
      } else {
        w.block(
          "if case .\(caseName)(let value)? = \(name), let inner = value.redactionMarkerPath() {"
        ) {
          w.line("return \"\(field.name).\" + inner")
        }
      }
    }
  }

  /// Whether one value `v` of personal field `field` is the redaction marker.
  private func isMarker(_ field: ProtoField, _ v: String) throws -> String {
    if field.kind == .enumeration {
      let e = try plan.schema.enumType(field.typeName)
      let value = try plan.redactedValue(of: field)
      return "\(v) == .\(SwiftNaming.enumCaseName(enumName: e.name, valueName: value.name))"
    }
    return "PersonalData.isMarker(\(v))"
  }

  /// Whether a field is personal or leads to a message that holds personal data.
  private func redacts(_ field: ProtoField) -> Bool {
    if field.isPersonal { return true }
    guard let type = plan.redactedMessageType(of: field) else { return false }
    return plan.personalMessages.contains(type)
  }
}
