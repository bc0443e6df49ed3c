import Foundation

/// CPU time (user and system, all threads) that processes spent, from `/proc/PID/stat`: how
/// much work each process of a run did per call, which varies far less between runs on a
/// shared machine than calls per second do.
struct CPUTime {
  /// Every process's user and system time in clock ticks, by name; absent when unreadable.
  fileprivate let ticks: [String: (user: Int, system: Int)]

  /// Now, for each named process; "caller" is this process.
  init(_ processes: [String: Int32]) {
    var ticks: [String: (user: Int, system: Int)] = [:]
    for (name, pid) in processes.merging(["caller": getpid()], uniquingKeysWith: { a, _ in a }) {
      ticks[name] = Self.ticks(of: pid)
    }
    self.ticks = ticks
  }

  /// utime and stime: fields 14 and 15, counted after the command name, which may hold spaces.
  private static func ticks(of pid: Int32) -> (user: Int, system: Int)? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
      return nil
    }
    return (user, system)
  }
}

/// CPU time spent over several runs, and their calls.
struct CPUTotals {
  private var ticks: [String: (user: Int, system: Int)] = [:]
  private var calls = 0

  /// Adds what each process spent between `start` and `end`, which made `calls` calls.
  mutating func add(since start: CPUTime, to end: CPUTime, calls: Int) {
    for (name, now) in end.ticks {
      guard let before = start.ticks[name] else { continue }
      let sum = ticks[name] ?? (0, 0)
      ticks[name] = (sum.user + now.user - before.user, sum.system + now.system - before.system)
    }
    self.calls += calls
  }

  /// Microseconds of CPU per call of each process.
  var perCall: [String: ProcessCPU] {
    guard calls > 0 else { return [:] }
    let microsecondsPerTick = 1e6 / Double(sysconf(Int32(_SC_CLK_TCK)))
    func perCall(_ ticks: Int) -> Double { Double(ticks) * microsecondsPerTick / Double(calls) }
    return ticks.mapValues { ProcessCPU(user: perCall($0.user), system: perCall($0.system)) }
  }
}

/// One process's CPU per call in µs: in its own code and libraries (user), and in the kernel
/// on its behalf (system: socket reads and writes, polls, wake-ups).
struct ProcessCPU: Encodable {
  var user: Double
  var system: Double

  var total: Double { user + system }
}
