/// An enum type generated from a `.proto` file by `tongxin-codegen`.
///
/// Proto3 enums are open: a number the generated code does not know decodes to
/// `unrecognized(number)` and encodes back unchanged.
///
/// Enums are `Codable` as in proto3 JSON: a value is written as its proto name
/// (`"COLOUR_JADE"`), `unrecognized(n)` as the number `n`; the name or the number is read.
public protocol ProtoEnum: Sendable, Hashable, CaseIterable, Codable, ProtoJSONValue {
  /// The enum's zero value.
  init()
  /// The case for `rawValue`, or `unrecognized(rawValue)`.
  init(rawValue: Int32)
  /// The number on the wire.
  var rawValue: Int32 { get }
  /// The fully qualified proto name, for example `tongxin.echo.Colour`.
  static var protoEnumName: String { get }
  /// Every value's proto name and number as declared, aliases included
  /// (`("COLOUR_JADE", 2)`): the names of the JSON form.
  static var protoValueNames: [(name: String, number: Int32)] { get }
}
