import Synchronization
import TongxinRPC

/// The kinds of write the kill suite makes, each a create whose record carries its key.
enum KillSuiteWrite: String, CaseIterable, Sendable {
  /// membership.CreateCompany: the company's name ends with the key.
  case company
  /// membership.CreatePerson: the person is tagged with the run and named after the key.
  case person
  /// events.CreateEvent somewhere outside the base: the title ends with the key.
  case event
  /// events.CreateEvent in a base room, a slot of its own: the room saga with reception.
  case roomEvent = "room event"
  /// reception.CreateDelegation: the visiting body ends with the key.
  case delegation
}

/// What the client learnt of every call and every write, shared by the workers.
final class KillSuiteLedger: Sendable {
  /// A write as the client saw it.
  struct Write: Sendable {
    var kind: KillSuiteWrite
    var attempts = 0
    /// The id the service answered with, once acknowledged.
    var acknowledgedID: String?
    /// The last error, while not acknowledged.
    var lastError: RPCError?
  }

  private struct State {
    var calls = 0
    var reads = 0
    var writeAttempts = 0
    var errors: [String: Int] = [:]
    var writes: [String: Write] = [:]
    var acknowledged: [KillSuiteWrite: [String]] = [:]
    var staleReads: [String] = []
  }

  private let state = Mutex(State())

  /// Records the outcome of one call (`nil`: OK).
  func recordCall(read: Bool, error: RPCError?) {
    state.withLock {
      $0.calls += 1
      if read { $0.reads += 1 } else { $0.writeAttempts += 1 }
      if let error { $0.errors[error.code.name, default: 0] += 1 }
    }
  }

  func recordAttempt(_ key: String, kind: KillSuiteWrite, error: RPCError?) {
    state.withLock {
      $0.writes[key, default: Write(kind: kind)].attempts += 1
      if let error { $0.writes[key]?.lastError = error }
    }
  }

  func recordAcknowledged(_ key: String, kind: KillSuiteWrite, id: String) {
    state.withLock {
      $0.writes[key, default: Write(kind: kind)].acknowledgedID = id
      $0.writes[key]?.lastError = nil
      $0.acknowledged[kind, default: []].append(id)
    }
  }

  /// A read that did not find a record whose creation was acknowledged.
  func recordStaleRead(_ what: String) {
    state.withLock { $0.staleReads.append(what) }
  }

  /// An id of an acknowledged record of `kind`, at random, for reads.
  func randomAcknowledged(_ kind: KillSuiteWrite) -> String? {
    state.withLock { $0.acknowledged[kind]?.randomElement() }
  }

  var writes: [String: Write] { state.withLock { $0.writes } }

  var counts:
    (calls: Int, reads: Int, writeAttempts: Int, errors: [String: Int], staleReads: [String])
  {
    state.withLock { ($0.calls, $0.reads, $0.writeAttempts, $0.errors, $0.staleReads) }
  }
}
