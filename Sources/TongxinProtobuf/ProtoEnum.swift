/// An enum type generated from a `.proto` file by `tongxin-codegen`.
///
/// Proto3 enums are open: a number the generated code does not know decodes to
/// `unrecognized(number)` and encodes back unchanged.
public protocol ProtoEnum: Sendable, Hashable, CaseIterable {
  /// The enum's zero value.
  init()
  /// The case for `rawValue`, or `unrecognized(rawValue)`.
  init(rawValue: Int32)
  /// The number on the wire.
  var rawValue: Int32 { get }
}
