import Foundation
import TongxinRPC

/// Where the next page of a listing starts: after the row with this sort key and id.
///
/// Keyset paging instead of offsets: rows added or removed before the cursor do not shift the
/// pages, so a caller walking the pages while others write sees every row that existed when it
/// started exactly once (rows added meanwhile show up if they sort after the cursor). The token
/// also carries a hash of the query's filters, so a token used with other filters is refused
/// instead of silently skipping rows. It is opaque to callers: base64url of a small JSON.
struct PageToken: Codable, Hashable, Sendable {
  /// ``QueryHash`` of the filters the token was made for.
  var query: UInt64
  /// The sort key of the last row served (a name, or a creation time in nanoseconds).
  var key: String
  /// The id of the last row served: breaks ties between equal sort keys.
  var id: String

  private enum CodingKeys: String, CodingKey {
    case query = "q"
    case key = "k"
    case id = "i"
  }

  var encoded: String {
    let json = (try? JSONEncoder().encode(self)) ?? Data()
    return json.base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// The token in `text`, nil when `text` is empty; INVALID_ARGUMENT when it is not a token of
  /// this service or was made for another query.
  static func decode(_ text: String, query: UInt64) throws -> PageToken? {
    guard !text.isEmpty else { return nil }
    var base64 = text.replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    guard text.count <= 1024, let data = Data(base64Encoded: base64),
      let token = try? JSONDecoder().decode(PageToken.self, from: data)
    else {
      throw FieldError.invalid(
        "page_token",
        "is not a page token of this service; send the next_page_token of the "
          + "previous page, or none for the first page")
    }
    guard token.query == query else {
      throw FieldError.invalid(
        "page_token", "was made for a query with other filters; start again without a token")
    }
    return token
  }
}

/// The number of rows a page holds.
enum PageSize {
  static let `default` = 50
  static let maximum = 200

  /// 0 means the default and larger than the maximum means the maximum (so tools that ask for
  /// "everything" still get bounded pages); negative is INVALID_ARGUMENT.
  static func resolve(_ requested: Int32) throws -> Int {
    guard requested >= 0 else {
      throw FieldError.invalid("page_size", "must not be negative, got \(requested)")
    }
    return requested == 0 ? Self.default : min(Int(requested), maximum)
  }
}

/// A hash of a query's filters that every instance computes alike.
///
/// Swift's `Hasher` is seeded per process, so a token made by one instance would not match on
/// another; FNV-1a over the filters' text is the same everywhere and for ever.
enum QueryHash {
  static func of(_ parts: [String]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in parts.joined(separator: "\u{1F}").utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}
