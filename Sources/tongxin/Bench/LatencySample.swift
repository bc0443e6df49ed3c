/// Latencies of one benchmark run and its wall time.
struct LatencySample: Sendable {
  var latencies: [Duration]
  var wall: Duration

  init(latencies: [Duration], wall: Duration) {
    self.latencies = latencies
    self.wall = wall
  }

  /// The runs as one: their latencies together, over the sum of their wall times.
  init(merging samples: [LatencySample]) {
    self.init(
      latencies: samples.flatMap(\.latencies),
      wall: samples.reduce(.zero) { $0 + $1.wall })
  }

  /// The figures printed for one run.
  var figures: Figures {
    let sorted = latencies.sorted()
    func percentile(_ fraction: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
      return sorted[max(0, index)].microseconds
    }
    return Figures(
      p50_us: percentile(0.5), p99_us: percentile(0.99),
      calls_per_s: Double(latencies.count) / max(wall.seconds, 1e-9))
  }
}

struct Figures: Codable, Sendable {
  var p50_us: Double
  var p99_us: Double
  var calls_per_s: Double
}

struct RunFigures: Codable, Sendable {
  var sequential: Figures
  var concurrent: Figures
}

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
  var microseconds: Double { seconds * 1e6 }
}
