// libzmq takes times as milliseconds in an Int32, with -1 for "forever".
extension Duration {
  /// Whole milliseconds, rounded up so that a short positive wait never becomes 0 (which
  /// libzmq reads as "do not wait"), clamped to what an Int32 holds.
  var zmqMilliseconds: Int32 {
    let (seconds, attoseconds) = components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let (ms, rest) = attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000_000_000)
    let total = seconds.multipliedReportingOverflow(by: 1000)
    if total.overflow { return .max }
    let rounded = total.partialValue + ms + (rest > 0 ? 1 : 0)
    return Int32(clamping: rounded)
  }

  /// `zmqMilliseconds`, or -1 for nil (forever).
  static func zmqMilliseconds(_ value: Duration?) -> Int32 {
    value?.zmqMilliseconds ?? -1
  }

  /// The inverse: -1 (or any negative value) is nil, forever.
  static func fromZMQMilliseconds(_ value: Int32) -> Duration? {
    value < 0 ? nil : .milliseconds(value)
  }
}
