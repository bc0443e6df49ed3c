extension StringProtocol {
  /// Without the white space at either end: Unicode's, so newlines and the ideographic space
  /// (U+3000) of Chinese text go too, as with Foundation's `.whitespacesAndNewlines` (which
  /// only full Foundation has: see DetachedThread for why the gateway does without it).
  public func trimmingWhitespace() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}
