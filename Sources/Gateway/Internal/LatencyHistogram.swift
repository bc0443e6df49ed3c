import FoundationEssentials
import Glibc

/// Latencies in buckets 10 % wide, from 1 µs up: constant memory, percentiles within 10 %.
struct LatencyHistogram {
  private static let growth = 1.1
  private static let bucketCount = 250  // 1.1^250 µs is far beyond any deadline
  private var buckets = [UInt64](repeating: 0, count: bucketCount)
  private(set) var count: UInt64 = 0

  mutating func record(_ duration: Duration) {
    // `components` divides 128 bits each time it is read: once per call, not twice.
    let (seconds, attoseconds) = duration.components
    let micros = max(1, Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
    let index = min(Self.bucketCount - 1, Int(log(micros) / log(Self.growth)))
    buckets[index] += 1
    count += 1
  }

  /// The latency below which `fraction` of the calls fell, in milliseconds (0 when empty).
  func percentile(_ fraction: Double) -> Double {
    guard count > 0 else { return 0 }
    let rank = UInt64((Double(count) * fraction).rounded(.up))
    var seen: UInt64 = 0
    for (index, bucketCount) in buckets.enumerated() {
      seen += bucketCount
      if seen >= max(rank, 1) { return pow(Self.growth, Double(index + 1)) / 1000 }
    }
    return 0
  }
}
