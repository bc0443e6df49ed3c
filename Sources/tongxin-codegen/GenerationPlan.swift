// Decisions that span files: which Swift module each .proto file's code goes to, which
// google.protobuf types become Swift structs, and how each field is represented.

/// The Swift targets the generator writes to.
enum OutputModule: String {
  /// TongxinWire: the wire protocol's envelopes (package tongxin.rpc) and the well-known
  /// google.protobuf types that other messages use.
  case wire = "TongxinWire"
  /// TongxinMessages: every other message, service protocol and client.
  case messages = "TongxinMessages"
}

/// The wrapper messages of google/protobuf/wrappers.proto: a singular field of one of these
/// types becomes a Swift optional of its value, which is how the protos model presence.
let wrapperMessages: Set<String> = [
  "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
]

struct GenerationPlan {
  let schema: ProtoSchema
  /// Messages generated as Swift structs, by full name.
  private(set) var structMessages: Set<String> = []
  /// Enums generated as Swift enums, by full name.
  private(set) var swiftEnums: Set<String> = []
  /// Singular message fields stored in a `ProtoBox` because their type contains the message.
  private(set) var boxedFields: Set<String> = []
  /// Oneofs (`message.full.Name/index`) whose enum is `indirect` for the same reason.
  private(set) var indirectOneofs: Set<String> = []
  /// Messages that hold personal fields, directly or through message fields at any depth:
  /// they get a generated `redactingPersonalData()`.
  private(set) var personalMessages: Set<String> = []

  init(schema: ProtoSchema) throws {
    self.schema = schema
    try collectTypes()
    try findRecursiveFields()
    try findPersonalData()
  }

  /// Whether a file is part of the project (proto/), rather than one of protobuf's own.
  static func isWellKnown(package: String) -> Bool {
    package == "google.protobuf" || package.hasPrefix("google.protobuf.")
  }

  func module(ofPackage package: String) -> OutputModule {
    package == "tongxin.rpc" || Self.isWellKnown(package: package) ? .wire : .messages
  }

  func module(ofType fullName: String) -> OutputModule {
    module(ofPackage: schema.package(ofType: fullName))
  }

  /// The qualified Swift name of a message or enum.
  func swiftType(_ fullName: String) -> String {
    SwiftNaming.typeName(fullName: fullName, package: schema.package(ofType: fullName))
  }

  /// Whether any Swift is generated from `file`: it is in proto/, or declares a type that is.
  func generatesCode(for file: ProtoFile) -> Bool {
    if !Self.isWellKnown(package: file.package) { return true }
    return (structMessages.union(swiftEnums)).contains { schema.fileOfType[$0] == file.name }
  }

  /// A singular field of a wrapper type outside a oneof: a Swift optional of the value.
  func isUnwrappedWrapper(_ field: ProtoField) -> Bool {
    field.kind == .message && !field.isRepeated && field.oneofIndex == nil
      && wrapperMessages.contains(field.typeName)
  }

  // MARK: Which types become Swift types

  private mutating func collectTypes() throws {
    var work: [String] = []
    for file in schema.files where !Self.isWellKnown(package: file.package) {
      func addAll(_ m: ProtoMessageType) {
        if !m.isMapEntry { work.append(m.fullName) }
        for nested in m.nestedMessages { addAll(nested) }
        for e in m.nestedEnums { swiftEnums.insert(e.fullName) }
      }
      for m in file.messages { addAll(m) }
      for e in file.enums { swiftEnums.insert(e.fullName) }
      for service in file.services {
        for method in service.methods { work += [method.inputType, method.outputType] }
      }
    }
    while let name = work.popLast() {
      guard !structMessages.contains(name) else { continue }
      let message = try schema.message(name)
      structMessages.insert(name)
      for field in message.fields {
        if let entry = schema.mapEntry(of: field) {
          for entryField in entry.fields { try use(entryField, &work) }
        } else if !isUnwrappedWrapper(field) {
          try use(field, &work)
        }
      }
    }
  }

  private mutating func use(_ field: ProtoField, _ work: inout [String]) throws {
    switch field.kind {
    case .message: work.append(field.typeName)
    case .enumeration: swiftEnums.insert(field.typeName)
    case .group: throw CodegenError("\(field.fullName): groups are not supported")
    default: break
    }
  }

  // MARK: Recursive messages

  /// A struct cannot contain itself: singular fields whose type leads back to the message
  /// are boxed, and oneofs with such a field are `indirect` enums.
  private mutating func findRecursiveFields() throws {
    for name in structMessages.sorted() {
      let message = try schema.message(name)
      for field in message.fields where field.kind == .message && !field.isRepeated {
        guard !isUnwrappedWrapper(field), reaches(from: field.typeName, to: name) else { continue }
        if let index = field.oneofIndex {
          indirectOneofs.insert("\(name)/\(index)")
        } else {
          boxedFields.insert(field.fullName)
        }
      }
    }
  }

  /// Whether `start` contains `target` through singular (inline) message fields.
  private func reaches(from start: String, to target: String) -> Bool {
    var seen: Set<String> = []
    var work = [start]
    while let name = work.popLast() {
      if name == target { return true }
      guard seen.insert(name).inserted, let m = schema.messages[name] else { continue }
      for f in m.fields where f.kind == .message && !f.isRepeated && !isUnwrappedWrapper(f) {
        work.append(f.typeName)
      }
    }
    return false
  }

  // MARK: Personal data

  /// The value a personal enum field takes when redacted: the one named `..._REDACTED`.
  func redactedValue(of field: ProtoField) throws -> ProtoEnumValue {
    let e = try schema.enumType(field.typeName)
    guard
      let value = e.values.first(where: { $0.name == "REDACTED" || $0.name.hasSuffix("_REDACTED") })
    else {
      throw CodegenError(
        "\(field.fullName) is personal, so enum \(e.fullName) needs a value named "
          + "..._REDACTED to give callers without the personal-data right")
    }
    return value
  }

  /// Checks that each personal field can show that it was redacted, then finds the messages
  /// that hold personal data through their message fields (to a fixed point: types may nest
  /// each other).
  private mutating func findPersonalData() throws {
    for name in structMessages.sorted() {
      for field in try schema.message(name).fields where field.isPersonal {
        try checkPersonal(field)
        personalMessages.insert(name)
      }
    }
    var changed = true
    while changed {
      changed = false
      for name in structMessages.sorted() where !personalMessages.contains(name) {
        let holds = try schema.message(name).fields.contains { field in
          guard let type = redactedMessageType(of: field) else { return false }
          return personalMessages.contains(type)
        }
        if holds {
          personalMessages.insert(name)
          changed = true
        }
      }
    }
  }

  /// The message type whose redaction a field passes on to: its own message type, or a map's
  /// value type; nil for other fields.
  func redactedMessageType(of field: ProtoField) -> String? {
    if let entry = schema.mapEntry(of: field) {
      let value = entry.fields[1]
      return value.kind == .message ? value.typeName : nil
    }
    guard field.kind == .message, !isUnwrappedWrapper(field) else { return nil }
    return field.typeName
  }

  /// Only text, bytes and enums with a REDACTED value can look redacted rather than missing.
  private func checkPersonal(_ field: ProtoField) throws {
    func refuse(_ why: String) -> CodegenError {
      CodegenError("\(field.fullName) cannot be personal: \(why)")
    }
    let noMarker = "numbers and bools have no value that reads as redacted rather than as data"
    switch field.kind {
    case .string, .bytes: return
    case .enumeration: _ = try redactedValue(of: field)
    case .message:
      if schema.mapEntry(of: field) != nil {
        throw refuse("maps are not supported; use a message with personal fields as the value")
      }
      if isUnwrappedWrapper(field) {
        let text = ["google.protobuf.StringValue", "google.protobuf.BytesValue"]
        if text.contains(field.typeName) { return }
        throw refuse(noMarker)
      }
      throw refuse(
        "mark the personal fields of \(field.typeName) instead (only string, bytes, enums, "
          + "StringValue and BytesValue can be marked)")
    default: throw refuse(noMarker)
    }
  }
}
