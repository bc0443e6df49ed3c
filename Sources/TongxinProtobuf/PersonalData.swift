/// How personal data is redacted: the rule that generated code applies to every field marked
/// `[(tongxin.personal) = true]` in `proto/` (proto/PROTOCOL.md, "Personal data").
///
/// A redacted value must not look like missing data: a caller that gets an empty phone number
/// believes there is none. So a value is replaced by a marker that says it was withheld: text
/// and bytes by "[redacted]", an enum by its `..._REDACTED` value. A field at its default
/// (empty, UNSPECIFIED) holds nothing to withhold and stays as it is.
public enum PersonalData {
  /// What a caller without the personal-data right reads in place of personal text.
  public static let marker = "[redacted]"
  /// The marker as bytes, for personal bytes fields.
  public static let markerBytes: [UInt8] = Array(marker.utf8)

  @inlinable
  public static func redacted(_ value: String) -> String {
    value.isEmpty ? value : marker
  }

  @inlinable
  public static func redacted(_ value: [UInt8]) -> [UInt8] {
    value.isEmpty ? value : markerBytes
  }

  /// `value`, or `redactedValue` (the enum's `..._REDACTED`) unless `value` is the zero value.
  @inlinable
  public static func redacted<E: ProtoEnum>(_ value: E, as redactedValue: E) -> E {
    value == E() ? value : redactedValue
  }

  /// Whether a value is the marker: redacted data sent back as if it were data.
  @inlinable
  public static func isMarker(_ value: String) -> Bool { value == marker }

  @inlinable
  public static func isMarker(_ value: [UInt8]) -> Bool { value == markerBytes }
}
