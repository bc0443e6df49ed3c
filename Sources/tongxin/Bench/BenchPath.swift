/// One way to the echo (direct, through the proxy, through the gateway) and the processes that
/// serve it, whose CPU time is counted per call.
struct BenchPath {
  let name: String
  /// Server processes by the label the report gives them; the caller (this process) is added.
  let servers: [String: Int32]
  /// Makes `calls` calls with at most the given number in flight.
  let run: (_ calls: Int, _ inFlight: Int) async throws -> LatencySample

  /// What a path measured over all its turns.
  struct Figures {
    var runs: RunFigures
    /// CPU per call of its servers and of the caller in the concurrent runs; empty for a
    /// path without servers of its own.
    var cpu: [String: ProcessCPU]
  }

  /// Measures every path in turns: `rounds` sequential runs each, one path after the other,
  /// then `rounds` concurrent runs each, every run with its share of the calls. These machines'
  /// speed drifts by a third within minutes: paths measured one after the other would compare
  /// different machines, while taking turns lets the drift weigh on all of them alike.
  static func measureInTurns(
    _ paths: [BenchPath], rounds: Int, sequentialCalls: Int, concurrentCalls: Int, inFlight: Int
  ) async throws -> [String: Figures] {
    func share(_ calls: Int, _ round: Int) -> Int {
      calls / rounds + (round < calls % rounds ? 1 : 0)
    }
    var sequential: [String: [LatencySample]] = [:]
    var concurrent: [String: [LatencySample]] = [:]
    var cpu: [String: CPUTotals] = [:]
    for round in 0..<rounds {
      for path in paths {
        sequential[path.name, default: []].append(
          try await path.run(share(sequentialCalls, round), 1))
      }
    }
    for round in 0..<rounds {
      for path in paths {
        let calls = share(concurrentCalls, round)
        let start = CPUTime(path.servers)
        concurrent[path.name, default: []].append(try await path.run(calls, inFlight))
        let end = CPUTime(path.servers)
        cpu[path.name, default: CPUTotals()].add(since: start, to: end, calls: calls)
      }
    }
    var figures: [String: Figures] = [:]
    for path in paths {
      figures[path.name] = Figures(
        runs: RunFigures(
          sequential: LatencySample(merging: sequential[path.name]!).figures,
          concurrent: LatencySample(merging: concurrent[path.name]!).figures),
        cpu: path.servers.isEmpty ? [:] : cpu[path.name]!.perCall)
    }
    return figures
  }
}
