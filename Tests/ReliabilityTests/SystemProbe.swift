import Foundation
import Synchronization
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// What the overload, rolling-restart and vanishing-peer tests ask the gateway's `system`
/// service about a ``LocalSystem``: pending calls, instances, readiness.
struct SystemProbe: Sendable {
  let system: LocalSystem

  private var client: Tongxin_System_System.Client {
    Tongxin_System_System.Client(wrapping: system.client)
  }

  private var options: CallOptions { CallOptions(timeout: .seconds(5)) }

  /// Calls the gateway holds: queued for an instance or at one.
  func pendingCalls() async throws -> UInt64 {
    try await client.getStats(.init(), options: options).pendingCalls
  }

  func service(_ name: String) async throws -> Tongxin_System_ServiceInfo? {
    try await client.listServices(.init(), options: options).services.first { $0.service == name }
  }

  /// The instance `id` as the gateway lists it, nil when it does not.
  func instance(_ id: String, of service: String) async throws -> Tongxin_System_InstanceInfo? {
    try await self.service(service)?.instances.first { $0.instanceID == id }
  }

  /// Polls `condition` every 50 ms until it holds; fails the test with `what` after `timeout`.
  /// Returns how long it took.
  @discardableResult
  func waitUntil(
    _ what: String, timeout: Duration = .seconds(30),
    _ condition: () async throws -> Bool
  ) async throws -> Duration {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
      if (try? await condition()) == true { return ContinuousClock.now - start }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw ProbeError("not within \(timeout): \(what)")
  }

  /// Waits until the gateway holds no call at all.
  @discardableResult
  func waitUntilNothingPending(timeout: Duration = .seconds(30)) async throws -> Duration {
    try await waitUntil("pending calls back to 0", timeout: timeout) {
      try await pendingCalls() == 0
    }
  }

  /// Waits until instance `id` of `service` is registered and not draining.
  func waitUntilReady(_ id: String, of service: String, timeout: Duration = .seconds(60))
    async throws
  {
    try await waitUntil("\(id) ready", timeout: timeout) {
      guard let info = try await instance(id, of: service) else { return false }
      return !info.draining
    }
  }
}

struct ProbeError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A value that load tasks share (a `Mutex` in a class, so closures can capture it).
final class Guarded<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>
  init(_ value: Value) { mutex = Mutex(value) }
  func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
  var value: Value { mutex.withLock { $0 } }
}

/// A thread-safe stop flag for load loops.
final class StopFlag: Sendable {
  private let stopped = Atomic<Bool>(false)
  var isSet: Bool { stopped.load(ordering: .acquiring) }
  func set() { stopped.store(true, ordering: .releasing) }
}

/// Call outcomes by kind with their latencies, shared by load tasks.
final class OutcomeTally: Sendable {
  private let state = Mutex<[String: [Duration]]>([:])

  func record(_ kind: String, after latency: Duration) {
    state.withLock { $0[kind, default: []].append(latency) }
  }

  var counts: [String: Int] { state.withLock { $0.mapValues(\.count) } }

  func count(_ kind: String) -> Int { state.withLock { $0[kind]?.count ?? 0 } }

  var total: Int { state.withLock { $0.values.reduce(0) { $0 + $1.count } } }

  func latencies(_ kind: String) -> [Duration] { state.withLock { $0[kind] ?? [] }.sorted() }

  /// `kind: count (p50 …, p99 …, max …)` per kind, for the test's printout.
  var summary: String {
    counts.keys.sorted().map { kind in
      let sorted = latencies(kind)
      return "\(kind): \(sorted.count) (p50 \(sorted.percentile(0.5).ms), "
        + "p99 \(sorted.percentile(0.99).ms), max \(sorted.percentile(1).ms))"
    }.joined(separator: "\n  ")
  }
}

extension [Duration] {
  /// The `fraction` percentile of a sorted array; zero when empty.
  func percentile(_ fraction: Double) -> Duration {
    guard !isEmpty else { return .zero }
    return self[Swift.min(count - 1, Int(Double(count - 1) * fraction))]
  }
}

extension Duration {
  var ms: String {
    let (seconds, attoseconds) = components
    return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
  }
}

/// Waits until the process is stopped by a signal (state T in /proc).
func waitUntilStopped(_ pid: Int32) async throws {
  for _ in 0..<2_500 {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    // The state follows the command name in parentheses, which may contain spaces.
    if let close = stat.lastIndex(of: ")"),
      stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    {
      return
    }
    try await Task.sleep(for: .milliseconds(2))
  }
  throw ProbeError("process \(pid) did not stop")
}

/// Log lines of the system's processes that contain one of `words`, for assertions.
final class LogWatch: Sendable {
  private let words: [String]
  private let lines = Mutex<[String]>([])

  init(_ words: [String]) { self.words = words }

  var output: @Sendable (String) -> Void {
    { line in
      guard self.words.contains(where: { line.contains($0) }) else { return }
      self.lines.withLock { $0.append(line) }
    }
  }

  func matching(_ fragments: String...) -> [String] {
    lines.withLock { $0.filter { line in fragments.allSatisfy { line.contains($0) } } }
  }
}
