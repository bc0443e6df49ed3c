// The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) on top of Swift's
// Codable, without Foundation: generated messages and enums are Codable, so JSONEncoder prints
// them and JSONDecoder reads them. Generated `encode(to:)` / `init(from:)` are a line per field
// calling the containers in ProtoJSONContainers.swift; this file has what a single value
// needs.

/// A Swift type that a proto field value is stored in, with its proto3 JSON form: the numbers,
/// `Bool`, `String`, `[UInt8]` (bytes), and every generated enum and message.
///
/// For generated code and the containers in this module. To turn a message into JSON and back,
/// use `JSONEncoder` and `JSONDecoder`: messages and enums are `Codable`.
public protocol ProtoJSONValue {
  /// The proto name of the type in error messages: `int64`, `bytes`, `tongxin.echo.Colour`.
  static var protoJSONTypeName: String { get }
  /// Whether the value is proto3's default (zero, empty), which JSON leaves out.
  var isProtoJSONDefault: Bool { get }
  /// Writes the value's JSON form as the single value of `encoder`.
  func encodeProtoJSON(to encoder: any Encoder) throws
  /// Reads the value's JSON form from `decoder`. Throws a `ProtoJSONValueError` when the JSON
  /// is not such a value (the caller adds where it was), or a `DecodingError` from inside a
  /// message.
  static func decodeProtoJSON(from decoder: any Decoder) throws -> Self
}

/// A string coding key: JSON object keys of messages and maps.
public struct ProtoJSONCodingKey: CodingKey, Hashable, Sendable {
  public var stringValue: String
  public var intValue: Int?

  public init(_ stringValue: String) { self.stringValue = stringValue }
  public init(stringValue: String) { self.stringValue = stringValue }
  public init(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

/// A JSON value that is not a value of the expected type; `ProtoJSONDecodingContainer` turns it
/// into a `DecodingError` that names the field.
public struct ProtoJSONValueError: Error, CustomStringConvertible, Sendable {
  public enum Problem: Sendable {
    /// The wrong kind of JSON value: `expected` is like "a number", `got` like `a string "abc"`.
    case typeMismatch(expected: String, got: String)
    /// The right kind of JSON value but not a valid one, for example out of range.
    case invalid(String)
  }

  public var problem: Problem

  public init(_ problem: Problem) { self.problem = problem }

  static func mismatch(_ expected: String, _ decoder: any Decoder) -> ProtoJSONValueError {
    ProtoJSONValueError(.typeMismatch(expected: expected, got: ProtoJSON.describe(decoder)))
  }

  static func invalid(_ reason: String) -> ProtoJSONValueError {
    ProtoJSONValueError(.invalid(reason))
  }

  /// The problem said of `subject`, for example `field "timeoutMs" of tongxin.rpc.RequestHeader`.
  public func description(of subject: String) -> String {
    switch problem {
    case .typeMismatch(let expected, let got): "\(subject) expects \(expected), got \(got)"
    case .invalid(let reason): "\(subject): \(reason)"
    }
  }

  public var description: String { description(of: "value") }

  /// This error as a `DecodingError` at `codingPath`.
  public func decodingError<T>(
    _ type: T.Type, subject: String, codingPath: [any CodingKey]
  ) -> DecodingError {
    let context = DecodingError.Context(
      codingPath: codingPath, debugDescription: description(of: subject))
    return switch problem {
    case .typeMismatch: .typeMismatch(type, context)
    case .invalid: .dataCorrupted(context)
    }
  }
}

/// Helpers for the proto3 JSON mapping.
public enum ProtoJSON {
  /// Decodes a `T` that is the whole of `decoder`, with `DecodingError`s for wrong values: the
  /// `init(from:)` of enums and of messages with a JSON form of their own (Timestamp).
  public static func decodeTopLevel<T: ProtoJSONValue>(from decoder: any Decoder) throws -> T {
    do {
      return try T.decodeProtoJSON(from: decoder)
    } catch let error as ProtoJSONValueError {
      throw error.decodingError(
        T.self, subject: T.protoJSONTypeName, codingPath: decoder.codingPath)
    }
  }

  /// The JSON value in `decoder`, for error messages: `null`, `true`, `a string "abc"`,
  /// `a number 1.5`, `an array`, `an object`.
  public static func describe(_ decoder: any Decoder) -> String {
    guard let c = try? decoder.singleValueContainer() else { return "a value" }
    if c.decodeNil() { return "null" }
    if let b = try? c.decode(Bool.self) { return b ? "true" : "false" }
    if let s = try? c.decode(String.self) { return "a string " + quoted(s) }
    if let n = try? c.decode(Int64.self) { return "a number \(n)" }
    if let n = try? c.decode(UInt64.self) { return "a number \(n)" }
    if let n = try? c.decode(Double.self) { return "a number " + numberText(n) }
    if (try? decoder.unkeyedContainer()) != nil { return "an array" }
    if (try? decoder.container(keyedBy: ProtoJSONCodingKey.self)) != nil { return "an object" }
    return "a number out of range"
  }

  /// A JSON number for an error message: `3000000000` rather than `3000000000.0`.
  static func numberText(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e18 { return String(Int64(d)) }
    return "\(d)"
  }

  /// `s` in quotes for an error message, shortened when long.
  static func quoted(_ s: String) -> String {
    let short = s.count > 40 ? s.prefix(40) + "…" : Substring(s)
    return "\"" + short.replacingAll("\"", with: "\\\"") + "\""
  }

  /// The text of an error from `JSONDecoder` or `JSONEncoder` for a person to read: the
  /// `debugDescription` of a `DecodingError` / `EncodingError` (which for errors about fields
  /// names the field, the message and what was expected), with the underlying error if any.
  public static func errorDescription(_ error: any Error) -> String {
    let context: (path: [any CodingKey], text: String, underlying: (any Error)?)
    switch error {
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c),
      DecodingError.keyNotFound(_, let c), DecodingError.dataCorrupted(let c):
      context = (c.codingPath, c.debugDescription, c.underlyingError)
    case EncodingError.invalidValue(_, let c):
      context = (c.codingPath, c.debugDescription, c.underlyingError)
    default:
      return String(describing: error)
    }
    var text = context.text
    if let underlying = context.underlying { text += " (\(underlying))" }
    if !context.path.isEmpty {
      let path = context.path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
      text += " (at " + String(path.joined().drop { $0 == "." }) + ")"
    }
    return text
  }
}

extension Substring {
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var result = ""
    for ch in self {
      if ch == target { result += replacement } else { result.append(ch) }
    }
    return result
  }
}

// MARK: Numbers

/// Integers: 64-bit ones as JSON strings, the others as numbers; both read from numbers and
/// numeric strings.
public protocol ProtoJSONInteger: ProtoJSONValue, FixedWidthInteger, Codable {}

extension ProtoJSONInteger {
  public var isProtoJSONDefault: Bool { self == 0 }

  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    if Self.bitWidth == 64 { try c.encode(String(self)) } else { try c.encode(self) }
  }

  public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {
    let c = try decoder.singleValueContainer()
    if let value = try? c.decode(Self.self) { return value }
    if let text = try? c.decode(String.self) {
      if let value = Self(text) { return value }
      // Numeric strings as JSON numbers are written: "1e3", "7.0".
      if text.allSatisfy({ "0123456789+-.eE".contains($0) }), let d = Double(text) {
        return try exactly(d, text: ProtoJSON.quoted(text), decoder)
      }
      throw ProtoJSONValueError.mismatch("a number", decoder)
    }
    if let d = try? c.decode(Double.self) {
      return try exactly(d, text: ProtoJSON.numberText(d), decoder)
    }
    throw ProtoJSONValueError.mismatch("a number", decoder)
  }

  private static func exactly(_ d: Double, text: String, _ decoder: any Decoder) throws -> Self {
    guard d.isFinite, d == d.rounded() else {
      throw ProtoJSONValueError.mismatch("an integer", decoder)
    }
    guard let value = Self(exactly: d) else {
      throw ProtoJSONValueError.invalid("\(text) is out of range for \(protoJSONTypeName)")
    }
    return value
  }
}

extension Int32: ProtoJSONInteger { public static var protoJSONTypeName: String { "int32" } }
extension Int64: ProtoJSONInteger { public static var protoJSONTypeName: String { "int64" } }
extension UInt32: ProtoJSONInteger { public static var protoJSONTypeName: String { "uint32" } }
extension UInt64: ProtoJSONInteger { public static var protoJSONTypeName: String { "uint64" } }

/// `Float` and `Double`: JSON numbers, and the strings "NaN", "Infinity" and "-Infinity" for
/// values JSON numbers cannot hold; read also from numeric strings.
public protocol ProtoJSONFloatingPoint: ProtoJSONValue, BinaryFloatingPoint, Codable,
  LosslessStringConvertible
{}

extension ProtoJSONFloatingPoint {
  public var isProtoJSONDefault: Bool { self == 0 }

  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    if isNaN {
      try c.encode("NaN")
    } else if isInfinite {
      try c.encode(self < 0 ? "-Infinity" : "Infinity")
    } else {
      try c.encode(self)
    }
  }

  public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {
    let c = try decoder.singleValueContainer()
    if let value = try? c.decode(Self.self) { return value }
    if let text = try? c.decode(String.self) {
      switch text {
      case "NaN": return .nan
      case "Infinity": return .infinity
      case "-Infinity": return -.infinity
      default:
        guard text.allSatisfy({ "0123456789+-.eE".contains($0) }), let d = Double(text) else {
          throw ProtoJSONValueError.mismatch("a number", decoder)
        }
        return try fitting(d, text: ProtoJSON.quoted(text))
      }
    }
    if let d = try? c.decode(Double.self) { return try fitting(d, text: ProtoJSON.numberText(d)) }
    throw ProtoJSONValueError.mismatch("a number", decoder)
  }

  private static func fitting(_ d: Double, text: String) throws -> Self {
    let value = Self(d)
    guard value.isFinite || !d.isFinite else {
      throw ProtoJSONValueError.invalid("\(text) is out of range for \(protoJSONTypeName)")
    }
    return value
  }
}

extension Float: ProtoJSONFloatingPoint { public static var protoJSONTypeName: String { "float" } }
extension Double: ProtoJSONFloatingPoint {
  public static var protoJSONTypeName: String { "double" }
}

// MARK: Bool, String, bytes

extension Bool: ProtoJSONValue {
  public static var protoJSONTypeName: String { "bool" }
  public var isProtoJSONDefault: Bool { !self }

  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(self)
  }

  public static func decodeProtoJSON(from decoder: any Decoder) throws -> Bool {
    guard let value = try? decoder.singleValueContainer().decode(Bool.self) else {
      throw ProtoJSONValueError.mismatch("true or false", decoder)
    }
    return value
  }
}

extension String: ProtoJSONValue {
  public static var protoJSONTypeName: String { "string" }
  public var isProtoJSONDefault: Bool { isEmpty }

  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(self)
  }

  public static func decodeProtoJSON(from decoder: any Decoder) throws -> String {
    guard let value = try? decoder.singleValueContainer().decode(String.self) else {
      throw ProtoJSONValueError.mismatch("a string", decoder)
    }
    return value
  }
}

/// bytes: a base64 string (standard alphabet with padding; read also URL-safe, unpadded).
extension Array: ProtoJSONValue where Element == UInt8 {
  public static var protoJSONTypeName: String { "bytes" }
  public var isProtoJSONDefault: Bool { isEmpty }

  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(ProtoBase64.encode(self))
  }

  public static func decodeProtoJSON(from decoder: any Decoder) throws -> [UInt8] {
    guard let text = try? decoder.singleValueContainer().decode(String.self) else {
      throw ProtoJSONValueError.mismatch("a base64 string", decoder)
    }
    guard let bytes = ProtoBase64.decode(text) else {
      throw ProtoJSONValueError.invalid("\(ProtoJSON.quoted(text)) is not base64")
    }
    return bytes
  }
}

/// Base64 (RFC 4648) without Foundation.
public enum ProtoBase64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// The standard alphabet, padded with `=`.
  public static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
      i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
      var n = UInt32(bytes[i]) << 16
      if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Standard or URL-safe alphabet, padded or not; nil when `text` is not base64.
  public static func decode(_ text: String) -> [UInt8]? {
    var chars = Array(text.utf8)
    if chars.count % 4 == 0 {
      // Padding: at most two `=`, only at the end.
      var padding = 0
      while padding < 2, chars.last == UInt8(ascii: "=") {
        chars.removeLast()
        padding += 1
      }
    }
    guard chars.count % 4 != 1 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count * 3 / 4)
    var n: UInt32 = 0
    var bits = 0
    for ch in chars {
      let v: UInt32
      switch ch {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(ch - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(ch - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(ch - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
      default: return nil
      }
      n = n << 6 | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: n >> UInt32(bits)))
        n &= (1 << UInt32(bits)) - 1
      }
    }
    return out
  }
}

// MARK: Enums and messages

extension ProtoEnum {
  public static var protoJSONTypeName: String { protoEnumName }
  public var isProtoJSONDefault: Bool { rawValue == 0 }

  /// The proto name of the value (the first name for aliases), nil for `unrecognized`.
  public var protoName: String? {
    Self.protoValueNames.first { $0.number == rawValue }?.name
  }

  /// The value's proto name, or its number when it has none.
  public func encodeProtoJSON(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    if let name = protoName { try c.encode(name) } else { try c.encode(rawValue) }
  }

  /// A value's proto name or number.
  public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {
    let c = try decoder.singleValueContainer()
    if let name = try? c.decode(String.self) {
      if let value = protoValueNames.first(where: { $0.name == name }) {
        return Self(rawValue: value.number)
      }
      let names = protoValueNames.map(\.name).joined(separator: ", ")
      throw ProtoJSONValueError.invalid(
        "\(ProtoJSON.quoted(name)) is not a value of \(protoEnumName); the names are: \(names)")
    }
    return Self(rawValue: try Int32.decodeProtoJSON(from: decoder))
  }

}

extension ProtoMessage {
  public static var protoJSONTypeName: String { protoMessageName }
  /// Messages are never left out for being default: only an absent (nil) one is.
  public var isProtoJSONDefault: Bool { false }

  public func encodeProtoJSON(to encoder: any Encoder) throws { try encode(to: encoder) }

  /// The message from a JSON object.
  public static func decodeProtoJSON(from decoder: any Decoder) throws -> Self {
    // Checked here so that the error names the field that holds the message.
    guard (try? decoder.container(keyedBy: ProtoJSONCodingKey.self)) != nil else {
      throw ProtoJSONValueError.mismatch("an object", decoder)
    }
    return try Self(from: decoder)
  }
}
