// The `description` of each service: a `Tongxin_Rpc_ServiceDescription` (proto/tongxin/rpc/
// description.proto) written out as a Swift literal, with every message and enum that the
// methods' inputs and outputs use at any depth. Instances send it when they register; tools
// use it to describe and call methods.

struct DescriptionEmitter {
  let plan: GenerationPlan
  let w: CodeWriter

  private static let descriptionPackage = "tongxin.rpc"

  /// Emits `public static let description: ... = ...` for `service`.
  func emit(_ service: ProtoService, wireName: String) throws {
    let serviceType = try type("ServiceDescription")
    let methodType = try type("MethodDescription")
    let messageType = try type("MessageDescription")
    let fieldType = try type("FieldDescription")
    let enumType = try type("EnumDescription")
    let valueType = try type("EnumDescription.Value")
    let (messages, enums) = try reachableTypes(service)

    w.line("/// The methods of the service and every message and enum they use.")
    try w.block("public static let description: \(serviceType) = \(serviceType).with {") {
      set("name", wireName, indent: "")
      set("proto_name", service.fullName, indent: "")
      w.line("$0.\(p("methods")) = [")
      for method in service.methods {
        w.block("  \(methodType).with {", closer: "  },") {
          set("name", method.name)
          set("input_type", method.inputType)
          set("output_type", method.outputType)
          if method.noSideEffects { w.line("  $0.\(p("read_only")) = true") }
          set("comment", method.comment)
        }
      }
      w.line("]")
      w.line("$0.\(p("messages")) = [")
      for message in messages {
        try w.block("  \(messageType).with {", closer: "  },") {
          set("name", message.fullName)
          w.line("  $0.\(p("fields")) = [")
          for field in message.fields {
            try w.block("    \(fieldType).with {", closer: "    },") {
              try emitField(field, of: message)
            }
          }
          w.line("  ]")
        }
      }
      w.line("]")
      if !enums.isEmpty {
        w.line("$0.\(p("enums")) = [")
        for e in enums {
          w.block("  \(enumType).with {", closer: "  },") {
            set("name", e.fullName)
            w.line("  $0.\(p("values")) = [")
            for value in e.values {
              w.line(
                "    \(valueType).with { $0.\(p("name")) = \(swiftLiteral(value.name)); $0.\(p("number")) = \(value.number) },"
              )
            }
            w.line("  ]")
          }
        }
        w.line("]")
      }
    }
  }

  private func emitField(_ field: ProtoField, of message: ProtoMessageType) throws {
    let indent = "    "
    w.line("\(indent)$0.\(p("name")) = \(swiftLiteral(field.name))")
    w.line("\(indent)$0.\(p("json_name")) = \(swiftLiteral(field.jsonName))")
    w.line("\(indent)$0.\(p("number")) = \(field.number)")
    w.line("\(indent)$0.\(p("kind")) = .\(try kindCase(field.kind))")
    if field.isRepeated { w.line("\(indent)$0.\(p("repeated")) = true") }
    if !field.typeName.isEmpty {
      w.line("\(indent)$0.\(p("type_name")) = \(swiftLiteral(field.typeName))")
    }
    if let index = field.oneofIndex {
      w.line("\(indent)$0.\(p("oneof")) = \(swiftLiteral(message.oneofs[index]))")
    }
    if plan.schema.mapEntry(of: field) != nil { w.line("\(indent)$0.\(p("map")) = true") }
    if field.isPersonal { w.line("\(indent)$0.\(p("personal")) = true") }
    if !field.comment.isEmpty {
      w.line("\(indent)$0.\(p("comment")) = \(swiftLiteral(field.comment))")
    }
  }

  /// `$0.<field> = "<value>"`, left out when empty.
  private func set(_ protoField: String, _ value: String, indent: String = "  ") {
    guard !value.isEmpty else { return }
    w.line("\(indent)$0.\(p(protoField)) = \(swiftLiteral(value))")
  }

  /// The Swift property of a field of description.proto.
  private func p(_ protoField: String) -> String { SwiftNaming.propertyName(protoField) }

  private func type(_ name: String) throws -> String {
    let fullName = Self.descriptionPackage + "." + name
    guard plan.schema.messages[fullName] != nil else {
      throw CodegenError("\(fullName) is missing: proto/tongxin/rpc/description.proto is needed")
    }
    return plan.swiftType(fullName)
  }

  /// The Swift case of `tongxin.rpc.FieldDescription.Kind` with the number of `kind`.
  private func kindCase(_ kind: FieldKind) throws -> String {
    let e = try plan.schema.enumType(Self.descriptionPackage + ".FieldDescription.Kind")
    guard let value = e.values.first(where: { $0.number == kind.rawValue }) else {
      throw CodegenError("\(e.fullName) has no value numbered \(kind.rawValue)")
    }
    return SwiftNaming.enumCaseName(enumName: e.name, valueName: value.name)
  }

  /// Every message and enum reachable from the methods' inputs and outputs, sorted by name.
  private func reachableTypes(_ service: ProtoService) throws
    -> ([ProtoMessageType], [ProtoEnumType])
  {
    var messages: [String: ProtoMessageType] = [:]
    var enums: [String: ProtoEnumType] = [:]
    var work = service.methods.flatMap { [$0.inputType, $0.outputType] }
    while let name = work.popLast() {
      guard messages[name] == nil else { continue }
      let message = try plan.schema.message(name)
      messages[name] = message
      for field in message.fields {
        switch field.kind {
        case .message: work.append(field.typeName)
        case .enumeration: enums[field.typeName] = try plan.schema.enumType(field.typeName)
        default: break
        }
      }
    }
    return (
      messages.keys.sorted().map { messages[$0]! }, enums.keys.sorted().map { enums[$0]! }
    )
  }
}
