import Foundation

/// Ids made by the service: a short prefix naming the kind of record and a random UUID.
///
/// Random rather than sequential, so that two instances creating records at the same moment
/// never need to agree on a counter; the prefix makes an id pasted into the wrong field obvious
/// in logs and messages.
enum Identifier {
  static func company() -> String { make("com") }
  static func person() -> String { make("per") }
  static func membership() -> String { make("mem") }
  static func recommendation() -> String { make("rec") }

  private static func make(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
  }
}
