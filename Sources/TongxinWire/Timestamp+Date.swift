import FoundationEssentials

extension Google_Protobuf_Timestamp {
  /// The instant `date`, to the nanosecond as far as `Date` holds it.
  public init(date: Date) {
    let interval = date.timeIntervalSince1970
    let seconds = interval.rounded(.down)
    self.init()
    self.seconds = Int64(seconds)
    self.nanos = Int32(min(999_999_999, ((interval - seconds) * 1e9).rounded()))
  }
}

extension Date {
  public init(timestamp: Google_Protobuf_Timestamp) {
    self.init(timeIntervalSince1970: Double(timestamp.seconds) + Double(timestamp.nanos) / 1e9)
  }
}
