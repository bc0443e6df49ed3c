import Foundation
import TongxinRPC

/// Checks of single fields, each refusing with INVALID_ARGUMENT that names the field.
enum FieldRules {
  /// Text for people: surrounding white space dropped, at most `limit` characters, and no
  /// control characters unless `multiline` (a stray control character is almost always a
  /// client bug, and it breaks every table and log that shows the text).
  static func text(
    _ value: String, _ field: String, required: Bool = false, limit: Int,
    multiline: Bool = false
  ) throws(RPCError) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty {
      if required { throw Refusal.missing(field) }
      return ""
    }
    guard trimmed.count <= limit else {
      throw Refusal.invalid(field, "is \(trimmed.count) characters long; at most \(limit) fit")
    }
    let allowed: (Unicode.Scalar) -> Bool = { scalar in
      scalar.properties.generalCategory != .control
        || (multiline && (scalar == "\n" || scalar == "\t"))
    }
    guard trimmed.unicodeScalars.allSatisfy(allowed) else {
      throw Refusal.invalid(field, "contains control characters")
    }
    return trimmed
  }

  /// An id made by another service (a membership person, an event): 1 to 64 ASCII letters,
  /// digits and `_ - . :`, which covers every id format in use without trusting its content.
  static func foreignID(_ value: String, _ field: String, required: Bool) throws(RPCError)
    -> String
  {
    if value.isEmpty {
      if required { throw Refusal.missing(field) }
      return ""
    }
    guard value.utf8.count <= 64, value.unicodeScalars.allSatisfy(isIDCharacter) else {
      throw Refusal.invalid(
        field, "\"\(value.prefix(80))\" is not an id: 1 to 64 of A-Z a-z 0-9 _ - . :")
    }
    return value
  }

  /// A hold key: 1 to 128 printable ASCII characters without spaces.
  static func holdKey(_ value: String) throws(RPCError) -> String {
    guard !value.isEmpty else { throw Refusal.missing("hold_key") }
    guard value.utf8.count <= 128,
      value.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) })
    else {
      throw Refusal.invalid("hold_key", "must be 1 to 128 printable ASCII characters, no spaces")
    }
    return value
  }

  /// A phone number: an optional leading +, digits, spaces and dashes; 5 to 20 characters.
  static func phone(_ value: String, _ field: String) throws(RPCError) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return "" }
    let body = trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
    guard (5...20).contains(trimmed.count),
      body.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == " " || $0 == "-" })
    else {
      throw Refusal.invalid(field, "is not a phone number: + and 5 to 20 digits, spaces, dashes")
    }
    return trimmed
  }

  /// A resident ID or passport number: 6 to 32 ASCII letters and digits, kept upper-case (the
  /// check letter X of a resident ID is written either way).
  static func idNumber(_ value: String, _ field: String) throws(RPCError) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return "" }
    guard (6...32).contains(trimmed.count),
      trimmed.unicodeScalars.allSatisfy({
        ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
      })
    else {
      throw Refusal.invalid(field, "is not an ID number: 6 to 32 letters and digits")
    }
    return trimmed.uppercased()
  }

  /// A version an update names: the one the caller read, never 0.
  static func version(_ value: UInt64) throws(RPCError) -> Int64 {
    guard value > 0 else {
      throw Refusal.invalid("version", "is required: send the version you read")
    }
    return Int64(clamping: value)
  }

  private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", ":": true
    default: false
    }
  }
}
