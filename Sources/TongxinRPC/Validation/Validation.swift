import FoundationEssentials
import TongxinProtobuf

/// Field checks shared by every service: required text, lengths, enum values, versions, ids.
///
/// Lengths count characters as people see them (`String.count`), so a limit of 50 allows 50
/// Chinese characters as well as 50 Latin letters.
public enum Validation {
  /// Trimmed `value`; INVALID_ARGUMENT when empty or longer than `maxLength`.
  public static func required(
    _ value: String, _ field: String, maxLength: Int, lineBreaks: Bool = false
  ) throws -> String {
    let trimmed = value.trimmingWhitespace()
    guard !trimmed.isEmpty else { throw FieldError.invalid(field, "is required") }
    return try optional(trimmed, field, maxLength: maxLength, lineBreaks: lineBreaks)
  }

  /// Trimmed `value` (may be empty); INVALID_ARGUMENT when longer than `maxLength`.
  ///
  /// Control characters only break displays, so they are refused; `lineBreaks` lets newlines
  /// and tabs through, for texts such as descriptions and reasons.
  public static func optional(
    _ value: String, _ field: String, maxLength: Int, lineBreaks: Bool = false
  ) throws -> String {
    let trimmed = value.trimmingWhitespace()
    guard trimmed.count <= maxLength else {
      throw FieldError.invalid(
        field, "is \(trimmed.count) characters long; at most \(maxLength) are allowed")
    }
    let forbidden = trimmed.unicodeScalars.contains {
      $0.properties.generalCategory == .control && !(lineBreaks && ($0 == "\n" || $0 == "\t"))
    }
    guard !forbidden else { throw FieldError.invalid(field, "contains control characters") }
    return trimmed
  }

  /// `value` when it is a known, specified value; INVALID_ARGUMENT otherwise.
  public static func required<E: ProtoEnum>(_ value: E, _ field: String) throws -> E {
    guard value != E() else {
      throw FieldError.invalid(field, "is required; one of \(E.specifiedNames)")
    }
    return try known(value, field)
  }

  /// `value` when it is a value this service knows (zero included); INVALID_ARGUMENT for a
  /// number sent by a newer or broken client.
  public static func known<E: ProtoEnum>(_ value: E, _ field: String) throws -> E {
    guard E.allCases.contains(value) else {
      throw FieldError.invalid(
        field, "\(value.rawValue) is not a known value; one of \(E.specifiedNames)")
    }
    return value
  }

  /// The version an update sends: it must be one that was read (at least 1).
  public static func version(_ value: Int64, _ field: String = "version") throws -> Int64 {
    guard value >= 1 else {
      throw FieldError.invalid(field, "is required: send the version you read")
    }
    return value
  }

  /// A stable ASCII code such as an association's: lower-case letters, digits, "-" and "_".
  public static func code(_ value: String, _ field: String) throws -> String {
    let allowed = value.utf8.allSatisfy {
      ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
    }
    guard !value.isEmpty, value.utf8.count <= 32, allowed else {
      throw FieldError.invalid(
        field, "\"\(value.prefix(40))\" is not a code (lower-case letters, digits, - and _)")
    }
    return value
  }

  /// An id the service made, as sent back by a caller.
  public static func id(_ value: String, _ field: String) throws -> String {
    guard !value.isEmpty else { throw FieldError.invalid(field, "is required") }
    guard value.count <= 64 else { throw FieldError.invalid(field, "is not an id of this service") }
    return value
  }
}

extension ProtoEnum {
  /// The value's name in the `.proto`, e.g. `POST_PRESIDENT`, for messages.
  public var protoName: String {
    Self.protoValueNames.first { $0.number == rawValue }?.name ?? String(rawValue)
  }

  /// The names of every value a caller may send, for messages that list the choices: not
  /// zero, and not the `..._REDACTED` marker, which only the redaction of answers produces.
  public static var specifiedNames: String {
    protoValueNames.filter { $0.number != 0 && !$0.name.hasSuffix("_REDACTED") }.map(\.name)
      .joined(separator: ", ")
  }
}
