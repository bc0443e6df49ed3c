import TongxinRPC

/// What a kill suite run counted; `description` is what it prints.
public struct KillSuiteReport: Sendable, CustomStringConvertible {
  /// Cycles run: each SIGKILLed one instance of every service and started it again.
  public var killCycles = 0
  public var instanceKills = 0
  /// Instances frozen (SIGSTOP) until the gateway dropped them, then let go on.
  public var instanceFreezes = 0
  public var gatewayRestarts = 0
  public var duration: Duration = .zero

  /// Every call the workers made (each attempt of a write is a call).
  public var calls = 0
  public var reads = 0
  public var writeAttempts = 0
  /// Calls answered with each status other than OK, by gRPC name.
  public var errorsByStatus: [String: Int] = [:]

  /// Distinct writes (idempotency keys).
  public var writes = 0
  /// Writes the client saw acknowledged.
  public var acknowledged = 0
  /// Writes the client never saw acknowledged (it gave up, or the answer was a refusal).
  public var unacknowledged = 0
  /// Of those, the ones found applied anyway (at most once each).
  public var unacknowledgedApplied = 0
  /// Writes that needed more than one attempt.
  public var retried = 0
  /// Of those, the ones that ended acknowledged.
  public var retriedAcknowledged = 0
  /// Acknowledged writes, and their count, by kind.
  public var acknowledgedByKind: [String: Int] = [:]

  /// Acknowledged writes not found in the database exactly as answered.
  public var lost = 0
  /// Writes found in the database more than once.
  public var duplicated = 0
  /// Reads that did not find a record whose creation had been acknowledged.
  public var staleReads = 0
  /// Room bookings in reception held for events that are not shown (after reconciliation had
  /// its time): half a write left behind.
  public var orphanBookings = 0
  /// The first few problems, for people to start from.
  public var problems: [String] = []

  /// No acknowledged write lost, none applied twice, every acknowledged record readable, no
  /// room held for nothing.
  public var passed: Bool {
    lost == 0 && duplicated == 0 && staleReads == 0 && orphanBookings == 0
  }

  public var description: String {
    let seconds = Double(duration.components.seconds)
      + Double(duration.components.attoseconds) / 1e18
    let errors = errorsByStatus.isEmpty
      ? "none"
      : errorsByStatus.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
        .joined(separator: ", ")
    let kinds = acknowledgedByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      .joined(separator: ", ")
    var lines = [
      "kill suite: \(killCycles) kill cycles (\(instanceKills) instances SIGKILLed"
        + (instanceFreezes > 0 ? ", \(instanceFreezes) frozen and woken" : "") + "), "
        + "\(gatewayRestarts) gateway restarts, \(String(format: "%.1f", seconds)) s",
      "calls: \(calls) (reads \(reads), write attempts \(writeAttempts))",
      "errors by status: \(errors)",
      "writes: \(writes), acknowledged \(acknowledged) (\(kinds))",
      "unacknowledged: \(unacknowledged) (applied once \(unacknowledgedApplied), "
        + "not applied \(unacknowledged - unacknowledgedApplied))",
      "retried: \(retried) (acknowledged after retrying \(retriedAcknowledged))",
      "lost = \(lost), duplicated = \(duplicated), stale reads = \(staleReads), "
        + "orphan bookings = \(orphanBookings)",
    ]
    lines += problems.map { "  problem: \($0)" }
    return lines.joined(separator: "\n")
  }
}
