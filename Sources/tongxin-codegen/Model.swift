// What the generator knows about the .proto files: a plain Swift copy of the parts of
// protoc's descriptors that it uses (see DescriptorLoader.swift).

/// The kinds of field in `google.protobuf.FieldDescriptorProto.Type`, with protoc's numbers.
enum FieldKind: Int32 {
  case double = 1
  case float = 2
  case int64 = 3
  case uint64 = 4
  case int32 = 5
  case fixed64 = 6
  case fixed32 = 7
  case bool = 8
  case string = 9
  case group = 10
  case message = 11
  case bytes = 12
  case uint32 = 13
  case enumeration = 14
  case sfixed32 = 15
  case sfixed64 = 16
  case sint32 = 17
  case sint64 = 18

  /// The Swift type of a field of this kind, for the kinds that are not messages or enums.
  var swiftScalarType: String? {
    switch self {
    case .double: "Double"
    case .float: "Float"
    case .int64, .sfixed64, .sint64: "Int64"
    case .uint64, .fixed64: "UInt64"
    case .int32, .sfixed32, .sint32: "Int32"
    case .uint32, .fixed32: "UInt32"
    case .bool: "Bool"
    case .string: "String"
    case .bytes: "[UInt8]"
    case .group, .message, .enumeration: nil
    }
  }
}

struct ProtoField {
  var name: String
  var fullName: String
  var number: Int32
  var kind: FieldKind
  var isRepeated: Bool
  /// The full name (no leading dot) of the message or enum type, else empty.
  var typeName: String
  var jsonName: String
  /// Index into the message's `oneofs` when the field is part of a oneof.
  var oneofIndex: Int?
  var comment: String
  /// `[(tongxin.personal) = true]`: the field holds personal data (see PersonalDataPlan).
  var isPersonal: Bool
}

final class ProtoMessageType {
  var name: String
  var fullName: String
  var fields: [ProtoField] = []
  var oneofs: [String] = []
  var nestedMessages: [ProtoMessageType] = []
  var nestedEnums: [ProtoEnumType] = []
  var isMapEntry = false
  var comment = ""

  init(name: String, fullName: String) {
    self.name = name
    self.fullName = fullName
  }
}

struct ProtoEnumValue {
  var name: String
  var number: Int32
  var comment: String
}

struct ProtoEnumType {
  var name: String
  var fullName: String
  var values: [ProtoEnumValue]
  var comment: String
}

struct ProtoMethod {
  var name: String
  var inputType: String
  var outputType: String
  var clientStreaming: Bool
  var serverStreaming: Bool
  /// `option idempotency_level = NO_SIDE_EFFECTS`.
  var noSideEffects: Bool
  var comment: String
}

struct ProtoService {
  var name: String
  var fullName: String
  var methods: [ProtoMethod]
  var comment: String
}

struct ProtoFile {
  var name: String
  var package: String
  var syntax: String
  var messages: [ProtoMessageType] = []
  var enums: [ProtoEnumType] = []
  var services: [ProtoService] = []
}

/// Every file of a descriptor set, with lookups by full type name.
struct ProtoSchema {
  var files: [ProtoFile]
  private(set) var messages: [String: ProtoMessageType] = [:]
  private(set) var enums: [String: ProtoEnumType] = [:]
  /// The file that declares each message and enum, by full name.
  private(set) var fileOfType: [String: String] = [:]
  /// The package of each file, by file name.
  private(set) var packageOfFile: [String: String] = [:]

  init(files: [ProtoFile]) {
    self.files = files
    for file in files {
      packageOfFile[file.name] = file.package
      func add(_ message: ProtoMessageType) {
        messages[message.fullName] = message
        fileOfType[message.fullName] = file.name
        for e in message.nestedEnums {
          enums[e.fullName] = e
          fileOfType[e.fullName] = file.name
        }
        message.nestedMessages.forEach(add)
      }
      file.messages.forEach(add)
      for e in file.enums {
        enums[e.fullName] = e
        fileOfType[e.fullName] = file.name
      }
    }
  }

  func message(_ fullName: String) throws -> ProtoMessageType {
    guard let m = messages[fullName] else { throw CodegenError("unknown message type \(fullName)") }
    return m
  }

  func enumType(_ fullName: String) throws -> ProtoEnumType {
    guard let e = enums[fullName] else { throw CodegenError("unknown enum type \(fullName)") }
    return e
  }

  /// The package of the file that declares a message or enum.
  func package(ofType fullName: String) -> String {
    fileOfType[fullName].flatMap { packageOfFile[$0] } ?? ""
  }

  /// The map entry message of a map field, else nil.
  func mapEntry(of field: ProtoField) -> ProtoMessageType? {
    guard field.isRepeated, field.kind == .message, let m = messages[field.typeName], m.isMapEntry
    else { return nil }
    return m
  }
}

struct CodegenError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
