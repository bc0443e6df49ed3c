import TongxinRPC

/// What the gateway counts per method for `system.GetStats`.
struct MethodStatistics {
  var calls: UInt64 = 0
  var errors: [StatusCode: UInt64] = [:]
  var latency = LatencyHistogram()

  mutating func record(_ code: StatusCode, after duration: Duration) {
    calls += 1
    if code != .ok { errors[code, default: 0] += 1 }
    latency.record(duration)
  }
}

/// Identifies a method in the statistics.
struct MethodKey: Hashable, Comparable {
  var service: String
  var method: String

  static func < (lhs: Self, rhs: Self) -> Bool {
    (lhs.service, lhs.method) < (rhs.service, rhs.method)
  }
}
