import TongxinRPC

/// Page size and position of a list call.
///
/// The token is the offset of the next row, as text: opaque to callers by contract, and cheap
/// for lists that stay in the thousands (a new record can shift a page by one; callers that
/// need a consistent view read by time windows instead).
struct Paging {
  static let defaultSize = 100
  static let maxSize = 1000

  var size: Int
  var offset: Int

  init(size: UInt32, token: String) throws(RPCError) {
    guard size <= UInt32(Self.maxSize) else {
      throw Refusal.invalid("page_size", "is \(size); at most \(Self.maxSize)")
    }
    self.size = size == 0 ? Self.defaultSize : Int(size)
    if token.isEmpty {
      offset = 0
    } else if let offset = Int(token), (0...1_000_000_000).contains(offset) {
      self.offset = offset
    } else {
      throw Refusal.invalid("page_token", "is not a token this service gave")
    }
  }

  /// One row more than a page is fetched to learn whether another page follows.
  var fetchLimit: Int { size + 1 }

  /// The page of `rows` and the token of the next one (empty on the last).
  func page<T>(_ rows: [T]) -> (rows: [T], nextToken: String) {
    rows.count > size ? (Array(rows.prefix(size)), String(offset + size)) : (rows, "")
  }
}
