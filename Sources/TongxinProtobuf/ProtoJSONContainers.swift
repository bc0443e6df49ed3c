// The JSON object of a message, field by field: what generated `encode(to:)` and
// `init(from:)` use. A field's shape picks the overload: a value (left out when default), an
// optional (messages and google.protobuf wrappers: left out when nil), an array (repeated), a
// dictionary (map), or a oneof case.

/// Writes a message as a JSON object, leaving out fields at their default (proto3).
public struct ProtoJSONEncodingContainer {
  private var container: KeyedEncodingContainer<ProtoJSONCodingKey>

  public init(_ encoder: any Encoder) {
    container = encoder.container(keyedBy: ProtoJSONCodingKey.self)
  }

  /// A singular field: left out when zero or empty.
  public mutating func encode<T: ProtoJSONValue>(_ value: T, _ key: String) throws {
    guard !value.isProtoJSONDefault else { return }
    try container.encode(Box(value), forKey: ProtoJSONCodingKey(key))
  }

  /// A message field or a wrapper (`google.protobuf.Int64Value` as `Int64?`): left out when nil,
  /// else written even when zero.
  public mutating func encode<T: ProtoJSONValue>(_ value: T?, _ key: String) throws {
    guard let value else { return }
    try container.encode(Box(value), forKey: ProtoJSONCodingKey(key))
  }

  /// The set field of a oneof: written even when zero.
  public mutating func encodeOneof<T: ProtoJSONValue>(_ value: T, _ key: String) throws {
    try container.encode(Box(value), forKey: ProtoJSONCodingKey(key))
  }

  /// A repeated field: a JSON array, left out when empty.
  public mutating func encode<T: ProtoJSONValue>(_ values: [T], _ key: String) throws {
    guard !values.isEmpty else { return }
    var array = container.nestedUnkeyedContainer(forKey: ProtoJSONCodingKey(key))
    for value in values { try array.encode(Box(value)) }
  }

  /// A map field: a JSON object with the keys as strings, left out when empty.
  public mutating func encode<K: ProtoJSONMapKey, V: ProtoJSONValue>(_ map: [K: V], _ key: String)
    throws
  {
    guard !map.isEmpty else { return }
    var object = container.nestedContainer(
      keyedBy: ProtoJSONCodingKey.self, forKey: ProtoJSONCodingKey(key))
    let entries = map.map { (key: $0.key.protoJSONKey, value: $0.value) }
    for entry in entries.sorted(by: { $0.key < $1.key }) {
      try object.encode(Box(entry.value), forKey: ProtoJSONCodingKey(entry.key))
    }
  }

  private struct Box<T: ProtoJSONValue>: Encodable {
    let value: T
    init(_ value: T) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encodeProtoJSON(to: encoder) }
  }
}

/// Reads a message's JSON object: generated `init(from:)` switches over `keys`, accepting each
/// field's JSON name and proto name, and calls a `decode` for each. JSON null leaves a field
/// at its default (nil for messages and wrappers). Every error is a `DecodingError` whose
/// `debugDescription` names the field and the message.
public struct ProtoJSONDecodingContainer {
  private let container: KeyedDecodingContainer<ProtoJSONCodingKey>
  private let messageName: String
  private let fieldNames: [String]
  /// The keys of the object, sorted (so that errors do not depend on hash order).
  public let keys: [ProtoJSONCodingKey]

  /// The object in `decoder` for message type `type`, whose fields have JSON names `fields`
  /// (for the error about an unknown key).
  public init(_ decoder: any Decoder, _ type: any ProtoMessage.Type, fields: [String]) throws {
    messageName = type.protoMessageName
    guard let container = try? decoder.container(keyedBy: ProtoJSONCodingKey.self) else {
      throw ProtoJSONValueError.mismatch("an object", decoder).decodingError(
        type, subject: messageName, codingPath: decoder.codingPath)
    }
    self.container = container
    self.fieldNames = fields
    self.keys = container.allKeys.sorted { $0.stringValue < $1.stringValue }
  }

  /// The error for a key that is not a field of the message.
  public func unknownField(_ key: ProtoJSONCodingKey) -> DecodingError {
    let fields = fieldNames.isEmpty ? "it has none" : fieldNames.joined(separator: ", ")
    return .dataCorrupted(
      DecodingError.Context(
        codingPath: container.codingPath + [key],
        debugDescription:
          "unknown field \(ProtoJSON.quoted(key.stringValue)) in \(messageName); fields are: \(fields)"
      ))
  }

  /// A singular field.
  public func decode<T: ProtoJSONValue>(_ key: ProtoJSONCodingKey, into value: inout T) throws {
    guard try !container.decodeNil(forKey: key) else { return }
    value = try decodeValue(key)
  }

  /// A message field or a wrapper: null is nil.
  public func decode<T: ProtoJSONValue>(_ key: ProtoJSONCodingKey, into value: inout T?) throws {
    guard try !container.decodeNil(forKey: key) else {
      value = nil
      return
    }
    value = try decodeValue(key) as T
  }

  /// A field of a oneof: `makeCase` is the oneof enum's case, for example
  /// `Sample.OneOf_Choice.choiceText`. Two fields of one oneof are an error.
  public func decode<T: ProtoJSONValue, Oneof>(
    _ key: ProtoJSONCodingKey, oneof: inout Oneof?, _ makeCase: (T) -> Oneof
  ) throws {
    guard try !container.decodeNil(forKey: key) else { return }
    guard oneof == nil else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: container.codingPath + [key],
          debugDescription: "\(field(key)): another field of its oneof is set too"))
    }
    oneof = makeCase(try decodeValue(key))
  }

  /// A repeated field: a JSON array.
  public func decode<T: ProtoJSONValue>(_ key: ProtoJSONCodingKey, into values: inout [T]) throws {
    guard try !container.decodeNil(forKey: key) else { return }
    guard var array = try? container.nestedUnkeyedContainer(forKey: key) else {
      throw try mismatch([T].self, "an array", key)
    }
    values = []
    if let count = array.count { values.reserveCapacity(count) }
    while !array.isAtEnd {
      let index = array.currentIndex
      let element = try array.superDecoder()
      values.append(try Self.value(element, "element \(index) of \(field(key))"))
    }
  }

  /// A map field: a JSON object whose keys are the map's keys as strings.
  public func decode<K: ProtoJSONMapKey, V: ProtoJSONValue>(
    _ key: ProtoJSONCodingKey, into map: inout [K: V]
  ) throws {
    guard try !container.decodeNil(forKey: key) else { return }
    guard let object = try? container.nestedContainer(keyedBy: ProtoJSONCodingKey.self, forKey: key)
    else { throw try mismatch([K: V].self, "an object", key) }
    map = [:]
    for entryKey in object.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
      guard let mapKey = K(protoJSONKey: entryKey.stringValue) else {
        throw DecodingError.dataCorrupted(
          DecodingError.Context(
            codingPath: object.codingPath + [entryKey],
            debugDescription:
              "\(field(key)): key \(ProtoJSON.quoted(entryKey.stringValue)) is not a map key of type \(K.protoJSONTypeName)"
          ))
      }
      let value = try object.superDecoder(forKey: entryKey)
      map[mapKey] = try Self.value(
        value, "value \(ProtoJSON.quoted(entryKey.stringValue)) of \(field(key))")
    }
  }

  private func field(_ key: ProtoJSONCodingKey) -> String {
    "field \(ProtoJSON.quoted(key.stringValue)) of \(messageName)"
  }

  private func decodeValue<T: ProtoJSONValue>(_ key: ProtoJSONCodingKey) throws -> T {
    try Self.value(try container.superDecoder(forKey: key), field(key))
  }

  /// The value in `decoder`, with errors said of `subject`.
  private static func value<T: ProtoJSONValue>(
    _ decoder: any Decoder, _ subject: @autoclosure () -> String
  ) throws -> T {
    do {
      return try T.decodeProtoJSON(from: decoder)
    } catch let error as ProtoJSONValueError {
      throw error.decodingError(T.self, subject: subject(), codingPath: decoder.codingPath)
    }
  }

  private func mismatch<T>(_ type: T.Type, _ expected: String, _ key: ProtoJSONCodingKey) throws
    -> DecodingError
  {
    let decoder = try container.superDecoder(forKey: key)
    return ProtoJSONValueError.mismatch(expected, decoder).decodingError(
      type, subject: field(key), codingPath: decoder.codingPath)
  }
}

/// The key types of proto maps, written as JSON object keys: `"7"`, `"true"`.
public protocol ProtoJSONMapKey: ProtoJSONValue, Hashable {
  var protoJSONKey: String { get }
  init?(protoJSONKey: String)
}

extension ProtoJSONMapKey where Self: FixedWidthInteger {
  public var protoJSONKey: String { String(self) }
  public init?(protoJSONKey: String) { self.init(protoJSONKey) }
}

extension Int32: ProtoJSONMapKey {}
extension Int64: ProtoJSONMapKey {}
extension UInt32: ProtoJSONMapKey {}
extension UInt64: ProtoJSONMapKey {}

extension String: ProtoJSONMapKey {
  public var protoJSONKey: String { self }
  public init?(protoJSONKey: String) { self = protoJSONKey }
}

extension Bool: ProtoJSONMapKey {
  public var protoJSONKey: String { self ? "true" : "false" }
  public init?(protoJSONKey: String) {
    switch protoJSONKey {
    case "true": self = true
    case "false": self = false
    default: return nil
    }
  }
}
