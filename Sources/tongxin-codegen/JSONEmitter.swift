// Codable for generated messages, in protobuf's proto3 JSON mapping: `encode(to:)` and
// `init(from:)`, a line per field calling TongxinProtobuf's ProtoJSONEncodingContainer and
// ProtoJSONDecodingContainer (which pick the JSON form from the Swift type of the field).
// Enums need nothing here: ProtoEnum implements Codable from `protoValueNames`.

struct JSONEmitter {
  let plan: GenerationPlan
  let w: CodeWriter

  /// The Codable members of message `m`, inside its extension.
  func emit(_ m: ProtoMessageType) throws {
    w.line()
    if m.fullName == "google.protobuf.Timestamp" {
      emitTimestamp()
    } else if wrapperMessages.contains(m.fullName) {
      try emitWrapper(m)
    } else {
      try emitEncode(m)
      w.line()
      try emitDecode(m)
    }
  }

  /// The message as a proto3 JSON object: fields at their default are left out.
  private func emitEncode(_ m: ProtoMessageType) throws {
    w.line("/// Writes the message as proto3 JSON (for `JSONEncoder`).")
    w.block("public func encode(to encoder: any Encoder) throws {") {
      guard !m.fields.isEmpty else {
        w.line("_ = ProtoJSONEncodingContainer(encoder)  // {}")
        return
      }
      w.line("var json = ProtoJSONEncodingContainer(encoder)")
      var doneOneofs: Set<Int> = []
      for field in m.fields {
        guard let index = field.oneofIndex else {
          let name = SwiftNaming.propertyName(field.name)
          w.line("try json.encode(self.\(name), \(swiftLiteral(field.jsonName)))")
          continue
        }
        guard doneOneofs.insert(index).inserted else { continue }
        w.switchBlock("switch self.\(SwiftNaming.propertyName(m.oneofs[index])) {") {
          for member in m.fields where member.oneofIndex == index {
            let caseName = SwiftNaming.propertyName(member.name)
            w.line(
              "case .\(caseName)(let value)?: try json.encodeOneof(value, \(swiftLiteral(member.jsonName)))"
            )
          }
          w.line("case nil: break")
        }
      }
    }
  }

  /// Reads a proto3 JSON object: each field by its JSON name or its proto name.
  private func emitDecode(_ m: ProtoMessageType) throws {
    w.line("/// Reads the message from proto3 JSON (for `JSONDecoder`).")
    w.block("public init(from decoder: any Decoder) throws {") {
      w.line("self.init()")
      let names = m.fields.map { swiftLiteral($0.jsonName) }
      let opener = "let json = try ProtoJSONDecodingContainer(decoder, Self.self, fields: ["
      if opener.count + names.joined(separator: ", ").count + 2 <= 96 {
        w.line(opener + names.joined(separator: ", ") + "])")
      } else {
        w.block(opener, closer: "])") {
          var line = ""
          for name in names {
            if !line.isEmpty && line.count + name.count + 2 > 92 {
              w.line(line)
              line = ""
            }
            line += line.isEmpty ? name + "," : " " + name + ","
          }
          w.line(line)
        }
      }
      guard !m.fields.isEmpty else {
        w.line("if let key = json.keys.first { throw json.unknownField(key) }")
        return
      }
      w.block("for key in json.keys {") {
        w.switchBlock("switch key.stringValue {") {
          for field in m.fields {
            var keys = [swiftLiteral(field.jsonName)]
            if field.name != field.jsonName { keys.append(swiftLiteral(field.name)) }
            let label = "case \(keys.joined(separator: ", ")):"
            if let index = field.oneofIndex {
              let oneof = SwiftNaming.propertyName(m.oneofs[index])
              // Inside the message's extension, so the oneof enum needs no qualification.
              let makeCase =
                "\(SwiftNaming.oneofTypeName(m.oneofs[index])).\(SwiftNaming.propertyName(field.name))"
              w.line("\(label) try json.decode(key, oneof: &self.\(oneof), \(makeCase))")
            } else {
              let name = SwiftNaming.propertyName(field.name)
              w.line("\(label) try json.decode(key, into: &self.\(name))")
            }
          }
          w.line("default: throw json.unknownField(key)")
        }
      }
    }
  }

  /// google.protobuf.Timestamp: an RFC 3339 string rather than an object.
  private func emitTimestamp() {
    emitSingleValueCodable()
    w.line()
    w.line("/// An RFC 3339 string such as \"2017-08-01T00:00:00Z\", not an object.")
    w.block("public func encodeProtoJSON(to encoder: any Encoder) throws {") {
      w.line("try ProtoJSON.encodeTimestamp(seconds: self.seconds, nanos: self.nanos, to: encoder)")
    }
    w.line()
    w.block("public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {") {
      w.line("let time = try ProtoJSON.decodeTimestamp(from: decoder)")
      w.line("var message = Self()")
      w.line("message.seconds = time.seconds")
      w.line("message.nanos = time.nanos")
      w.line("return message")
    }
  }

  /// A google.protobuf wrapper used where it stays a message (repeated, in a oneof): its
  /// JSON is the plain value, as for the unwrapped optionals.
  private func emitWrapper(_ m: ProtoMessageType) throws {
    guard let field = m.fields.first(where: { $0.name == "value" }) else {
      throw CodegenError("\(m.fullName) has no field named value")
    }
    let value = try ValueCode(field, plan: plan)
    emitSingleValueCodable()
    w.line()
    w.line("/// The plain value, not an object.")
    w.block("public func encodeProtoJSON(to encoder: any Encoder) throws {") {
      w.line("try self.value.encodeProtoJSON(to: encoder)")
    }
    w.line()
    w.block("public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {") {
      w.line("var message = Self()")
      w.line("message.value = try \(value.swiftType).decodeProtoJSON(from: decoder)")
      w.line("return message")
    }
  }

  /// Codable through `encodeProtoJSON` / `decodeProtoJSON`, for messages whose JSON is not an
  /// object.
  private func emitSingleValueCodable() {
    w.block("public func encode(to encoder: any Encoder) throws {") {
      w.line("try encodeProtoJSON(to: encoder)")
    }
    w.line()
    w.block("public init(from decoder: any Decoder) throws {") {
      w.line("self = try ProtoJSON.decodeTopLevel(from: decoder)")
    }
  }
}
