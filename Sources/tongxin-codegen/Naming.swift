// Names: Swift names in swift-protobuf's style, and the C names protoc-c 1.4.1 generates
// (the rules of protoc-c's c_helpers.cc: FullNameToC, FullNameToLower, FieldName).

enum SwiftNaming {
  /// Words written in capitals inside a lowerCamelCase name (`call_id` → `callID`), as
  /// swift-protobuf does.
  private static let initialisms: Set<String> = ["id", "url", "http", "https"]

  /// Swift keywords: names that need backticks.
  private static let keywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol",
    "public", "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case",
    "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if",
    "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false",
    "is", "nil", "super", "throws", "true", "try", "package", "some", "any",
  ]

  /// Property names that swift-protobuf renames with a `_p` suffix (`description` →
  /// `description_p`): names that clash with members every message has, or that cannot be
  /// used even with backticks. Kept the same so code reads as it would with swift-protobuf.
  private static let reservedProperties: Set<String> = [
    "description", "debugDescription", "dynamicType", "hashValue", "init", "self", "Self",
    "Type", "Protocol", "isInitialized", "unknownFields", "serializedBytes", "protoMessageName",
    "with",
  ]

  /// Enum case names that clash with members of the generated enums.
  private static let reservedCases: Set<String> = [
    "init", "self", "Self", "Type", "Protocol", "hashValue", "rawValue", "allCases",
    "unrecognized", "protoEnumName", "protoValueNames", "protoName",
  ]

  /// Method names that clash with members of service protocols.
  private static let reservedMethods: Set<String> = [
    "init", "self", "Self", "Type", "Protocol", "serviceDescription", "registerMethods",
  ]

  /// Nested type names that would hide a type the generated code uses.
  private static let reservedTypes: Set<String> = [
    "String", "Int32", "Int64", "UInt32", "UInt64", "UInt8", "Int", "Bool", "Double", "Float",
    "Array", "Dictionary", "Optional", "Sendable", "Hashable", "Equatable", "Error", "Type",
    "Protocol", "Self", "ProtoMessage", "ProtoEnum", "ProtoArena", "ProtoC",
    "ProtoDecodingError", "ProtoBox", "StaticString", "Encoder", "Decoder", "ProtoJSON",
    "ProtoJSONEncodingContainer", "ProtoJSONDecodingContainer",
  ]

  /// `name` with backticks when it is a keyword.
  static func escaped(_ name: String) -> String {
    keywords.contains(name) ? "`\(name)`" : name
  }

  /// The Swift type prefix of a proto package: `tongxin.echo` → `Tongxin_Echo_`.
  static func packagePrefix(_ package: String) -> String {
    package.split(separator: ".").map { upperCamel(String($0)) + "_" }.joined()
  }

  /// The qualified Swift name of a message or enum, for example `Tongxin_Echo_Sample.Inner`.
  static func typeName(fullName: String, package: String) -> String {
    let relative = package.isEmpty ? fullName : String(fullName.dropFirst(package.count + 1))
    let parts = relative.split(separator: ".").map(String.init)
    let top = packagePrefix(package) + parts[0]
    let nested = parts.dropFirst().map(nestedTypeName)
    return ([package.isEmpty ? nestedTypeName(top) : top] + nested).joined(separator: ".")
  }

  /// The name of a nested message or enum inside its parent.
  static func nestedTypeName(_ name: String) -> String {
    reservedTypes.contains(name) ? name + "Message" : escaped(name)
  }

  /// A field or oneof property name: `call_id` → `callID`.
  static func propertyName(_ protoName: String) -> String {
    member(lowerCamel(protoName), reserved: reservedProperties)
  }

  /// The enum of a oneof: `choice` → `OneOf_Choice`.
  static func oneofTypeName(_ protoName: String) -> String {
    "OneOf_" + upperCamel(protoName)
  }

  /// An enum case: the enum's name as a prefix is dropped (`STATUS_CODE_INVALID_ARGUMENT` in
  /// `StatusCode` → `invalidArgument`).
  static func enumCaseName(enumName: String, valueName: String) -> String {
    let prefix = upperSnake(enumName) + "_"
    var name = valueName
    if name.uppercased().hasPrefix(prefix), name.count > prefix.count {
      let rest = String(name.dropFirst(prefix.count))
      if let first = rest.first, !first.isNumber { name = rest }
    }
    // UPPER_SNAKE values: every word lowercased before camel-casing.
    let isUpperSnake = name == name.uppercased()
    return member(lowerCamel(isUpperSnake ? name.lowercased() : name), reserved: reservedCases)
  }

  /// A method of a service protocol or client: `GetPerson` → `getPerson`.
  static func methodName(_ protoName: String) -> String {
    member(lowerCamel(protoName), reserved: reservedMethods)
  }

  private static func member(_ name: String, reserved: Set<String>) -> String {
    if reserved.contains(name) { return name + "_p" }
    return escaped(name)
  }

  /// snake_case or CamelCase → lowerCamelCase, with initialisms in capitals after the first
  /// word: `instance_id` → `instanceID`, `timeout_ms` → `timeoutMs`, `GetStats` → `getStats`.
  static func lowerCamel(_ name: String) -> String {
    let words = name.split(separator: "_").map(String.init)
    var result = ""
    for word in words {
      if result.isEmpty {
        result = initialisms.contains(word.lowercased()) ? word.lowercased() : lowerFirst(word)
      } else {
        result += initialisms.contains(word.lowercased()) ? word.uppercased() : upperFirst(word)
      }
    }
    if result.isEmpty { return "_" }
    if let first = result.first, first.isNumber { return "_" + result }
    return result
  }

  /// snake_case → UpperCamelCase: `tongxin` → `Tongxin`, `inner_by_name` → `InnerByName`.
  static func upperCamel(_ name: String) -> String {
    name.split(separator: "_").map { upperFirst(String($0)) }.joined()
  }

  /// CamelCase → UPPER_SNAKE: `StatusCode` → `STATUS_CODE`.
  static func upperSnake(_ name: String) -> String {
    var result = ""
    var previousWasLower = false
    for ch in name {
      if ch.isUppercase && previousWasLower { result += "_" }
      result += ch.uppercased()
      previousWasLower = ch.isLowercase || ch.isNumber
    }
    return result
  }

  private static func upperFirst(_ word: String) -> String {
    guard let first = word.first else { return word }
    return first.uppercased() + word.dropFirst()
  }

  /// Lowercases a leading run of capitals, keeping the last one when it starts the next
  /// word: `Echo` → `echo`, `HTTPRequest` → `httpRequest`, `ID` → `id`.
  private static func lowerFirst(_ word: String) -> String {
    let chars = Array(word)
    var run = 0
    while run < chars.count, chars[run].isUppercase { run += 1 }
    if run == 0 { return word }
    if run > 1, run < chars.count, chars[run].isLowercase { run -= 1 }
    return String(chars[..<run]).lowercased() + String(chars[run...])
  }
}

enum CNaming {
  /// protoc-c's C keyword list: field names that get a `_` suffix.
  private static let keywords: Set<String> = [
    "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "class", "compl", "const", "const_cast", "continue", "default", "delete", "do", "double",
    "dynamic_cast", "else", "enum", "explicit", "extern", "false", "float", "for", "friend",
    "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "not", "not_eq",
    "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "return", "short", "signed", "sizeof", "static", "static_cast", "struct", "switch",
    "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union",
    "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
  ]

  /// The C struct of a message: `tongxin.echo.Sample.Inner` → `Tongxin__Echo__Sample__Inner`.
  static func typeName(_ fullName: String) -> String {
    fullName.split(separator: ".").map { toCamel(String($0)) }.joined(separator: "__")
  }

  /// The prefix of a message's C functions: `tongxin.echo.EchoRequest` →
  /// `tongxin__echo__echo_request`.
  static func functionPrefix(_ fullName: String) -> String {
    fullName.split(separator: ".").map { camelToLower(String($0)) }.joined(separator: "__")
  }

  /// A field's member in the C struct (`n_` + this holds a repeated field's count).
  static func fieldName(_ name: String) -> String {
    let lower = name.lowercased()
    return keywords.contains(lower) ? lower + "_" : lower
  }

  /// The member holding which field of a oneof is set.
  static func oneofCaseName(_ oneofName: String) -> String {
    camelToLower(oneofName) + "_case"
  }

  private static func toCamel(_ name: String) -> String {
    var result = ""
    var upperNext = true
    for ch in name {
      if ch == "_" {
        upperNext = true
      } else if upperNext {
        result += ch.uppercased()
        upperNext = false
      } else {
        result.append(ch)
      }
    }
    return result
  }

  private static func camelToLower(_ name: String) -> String {
    var result = ""
    var wasUpper = true
    for ch in name {
      let isUpper = ch.isASCII && ch.isUppercase
      if isUpper {
        if !wasUpper { result += "_" }
        result += ch.lowercased()
      } else {
        result.append(ch)
      }
      wasUpper = isUpper
    }
    return result
  }
}
