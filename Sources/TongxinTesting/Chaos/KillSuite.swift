import Foundation
import Synchronization
import TongxinMessages
import TongxinRPC

/// The kill suite: steady mixed load on the real system while its processes are SIGKILLed,
/// then a check that no acknowledged write was lost and none was applied twice.
///
/// The system runs two instances of membership, events and reception. Workers call all three
/// (and the gateway's aggregates) with a mix of reads and creates; every create carries a
/// unique idempotency key, written into the record itself, and is retried with the same key
/// on `UNAVAILABLE`, `DEADLINE_EXCEEDED` and `RESOURCE_EXHAUSTED`. Meanwhile a killer runs
/// cycles: in each it SIGKILLs one instance of each service in turn (alternating between the
/// two), and starts it again with the same id; every so many cycles it SIGKILLs the gateway
/// and starts it again on the same ports. Afterwards every record is read back:
///
/// - every write the client saw acknowledged is stored exactly once, under the id answered;
/// - every other write (given up, or refused) is stored at most once;
/// - no read missed a record whose creation had been acknowledged.
///
/// ```swift
/// let report = try await KillSuite(.init(cycles: 2)).run()
/// print(report)        // calls, errors by status, acknowledged, lost = 0, duplicated = 0
/// ```
public struct KillSuite: Sendable {
  public struct Configuration: Sendable {
    /// Kill cycles; each SIGKILLs one instance of every service.
    public var cycles: Int
    /// Keep cycling until this much time has passed, even after `cycles`.
    public var minimumDuration: Duration
    /// SIGKILL and restart the gateway after every this many cycles; nil: once, after the
    /// last cycle.
    public var gatewayRestartEvery: Int?
    /// Callers working at once, each on a connection of its own.
    public var workers: Int
    /// The share of calls that are writes (creates), 0...1.
    public var writeShare: Double
    /// Load after each kill (and after the gateway's restart) before the next.
    public var pauseBetweenKills: Duration
    /// Deadline of each attempt of a call.
    public var callTimeout: Duration
    /// How long a write is retried before the client gives up on it.
    public var retryWritesFor: Duration
    /// The share of writes made by an impatient client: a deadline of 2 to 60 ms for each
    /// attempt, three attempts at most, then it gives up. Their attempts often expire while
    /// the write goes on (and a retry runs beside the attempt before it), and some end without
    /// an acknowledgement: those must be stored at most once.
    public var impatientShare: Double
    /// Whether room events are written impatiently too. An abandoned room creation holds its
    /// booking until the events service's reconciliation finds it stale (60 s, then a round
    /// every 30 s), so the check of orphan bookings may wait that long.
    public var impatientRoomEvents: Bool
    /// How long the check waits for reconciliation to release bookings of abandoned creations.
    public var reconciliationPatience: Duration
    /// A worker's pause between calls, so that the load is steady rather than flat out.
    public var thinkTime: Duration
    /// Also freeze (SIGSTOP) one instance of each service per cycle until the gateway drops
    /// it, then let it go on (SIGCONT): the gateway retries its calls elsewhere while it still
    /// has them, and it finishes them when it wakes.
    public var freezes: Bool
    /// Extra arguments of the gateway (e.g. `--heartbeat-ms 500` to notice deaths sooner).
    public var gatewayArguments: [String]
    /// Progress lines (kills, restarts); the report is returned, not logged.
    public var log: @Sendable (String) -> Void
    /// Every line the processes write (default: dropped).
    public var processOutput: @Sendable (String) -> Void

    public init(
      cycles: Int = 2, minimumDuration: Duration = .zero, gatewayRestartEvery: Int? = nil,
      workers: Int = 6, writeShare: Double = 0.5, pauseBetweenKills: Duration = .seconds(1),
      callTimeout: Duration = .seconds(5), retryWritesFor: Duration = .seconds(90),
      impatientShare: Double = 0.1, impatientRoomEvents: Bool = true,
      reconciliationPatience: Duration = .seconds(120), freezes: Bool = false, thinkTime: Duration = .milliseconds(20), gatewayArguments: [String] = [],
      log: @escaping @Sendable (String) -> Void = { _ in },
      processOutput: @escaping @Sendable (String) -> Void = { _ in }
    ) {
      self.cycles = cycles
      self.minimumDuration = minimumDuration
      self.gatewayRestartEvery = gatewayRestartEvery
      self.workers = workers
      self.writeShare = writeShare
      self.pauseBetweenKills = pauseBetweenKills
      self.callTimeout = callTimeout
      self.retryWritesFor = retryWritesFor
      self.impatientShare = impatientShare
      self.impatientRoomEvents = impatientRoomEvents
      self.reconciliationPatience = reconciliationPatience
      self.freezes = freezes
      self.thinkTime = thinkTime
      self.gatewayArguments = gatewayArguments
      self.log = log
      self.processOutput = processOutput
    }
  }

  /// The services killed in turn, two instances each.
  public static let services = ["membership", "events", "reception"]

  public var configuration: Configuration

  public init(_ configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// Starts the system (two instances of each service), runs the suite, checks the data and
  /// stops the system. Throws only when the system itself cannot be run; lost and duplicated
  /// writes are in the report.
  public func run() async throws -> KillSuiteReport {
    let system = try await LocalSystem.start(
      services: Dictionary(uniqueKeysWithValues: Self.services.map { ($0, 2) }),
      gatewayArguments: configuration.gatewayArguments, output: configuration.processOutput)
    do {
      let report = try await run(on: system)
      await system.stop()
      return report
    } catch {
      await system.stop()
      throw error
    }
  }

  /// Runs the suite on `system`, which must have started instances `SERVICE-1` and
  /// `SERVICE-2` of each of ``services``.
  public func run(on system: LocalSystem) async throws -> KillSuiteReport {
    let started = ContinuousClock.now
    let workload = KillSuiteWorkload()
    let ledger = KillSuiteLedger()
    let stopping = KillSuiteFlag()
    let clients = try (0..<configuration.workers).map { _ in try system.makeClient() }
    defer { for client in clients { client.close() } }
    var report = KillSuiteReport()
    let configuration = self.configuration
    configuration.log("kill suite \(workload.run): \(configuration.workers) workers")

    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, client) in clients.enumerated() {
        group.addTask {
          let worker = KillSuiteWorker(
            index: index, client: client, workload: workload, ledger: ledger,
            configuration: configuration)
          await worker.run { stopping.isSet }
        }
      }
      do {
        // A moment of load before the first kill, so that calls are in flight.
        try await Task.sleep(for: configuration.pauseBetweenKills)
        try await killer(system, report: &report, since: started)
      } catch {
        stopping.set()
        throw error
      }
      stopping.set()
      configuration.log("load stopping; writes in flight finish or give up")
      try await group.waitForAll()
    }

    try await system.waitUntilServing(
      Dictionary(uniqueKeysWithValues: Self.services.map { ($0, 2) }))
    let verification = KillSuiteVerification(workload: workload, client: system.client)
    var stored = try await verification.stored()
    // A room left held by an abandoned creation is released by the events service's
    // reconciliation once the creation is stale: give it time before calling it an orphan.
    let patience = ContinuousClock.now + configuration.reconciliationPatience
    while !stored.orphanBookings.isEmpty && ContinuousClock.now < patience {
      configuration.log(
        "\(stored.orphanBookings.count) bookings held for events not shown; waiting for "
          + "reconciliation")
      try await Task.sleep(for: .seconds(5))
      stored = try await verification.stored()
    }
    report.duration = ContinuousClock.now - started
    Self.tally(ledger, stored, into: &report)
    return report
  }

  // MARK: Killing

  private func killer(
    _ system: LocalSystem, report: inout KillSuiteReport, since started: ContinuousClock.Instant
  ) async throws {
    var cycle = 0
    while cycle < configuration.cycles
      || ContinuousClock.now - started < configuration.minimumDuration
    {
      cycle += 1
      for service in Self.services {
        // Alternate the victim, and whether the gateway has dropped it (it notices a failed
        // send or missed heartbeats) before the new process registers under the same id.
        let victim = "\(service)-\(cycle % 2 == 1 ? 1 : 2)"
        guard let process = system.instance(victim) else {
          throw LocalSystemError("no instance \(victim)")
        }
        let waitForDrop = cycle % 2 == 1
        configuration.log(
          "cycle \(cycle): SIGKILL \(victim) (pid \(process.pid))"
            + (waitForDrop ? ", restart once the gateway dropped it" : ", restart at once"))
        process.signal(SIGKILL)
        _ = await process.waitForExit()
        report.instanceKills += 1
        if waitForDrop { try await system.waitUntilRemoved(victim) }
        try await system.restartInstance(victim)
        try await system.waitUntilServing([service: 2])
        try await Task.sleep(for: configuration.pauseBetweenKills)
      }
      if configuration.freezes {
        for service in Self.services {
          try await freeze("\(service)-\(cycle % 2 == 1 ? 2 : 1)", of: service, in: system, cycle: cycle)
          report.instanceFreezes += 1
        }
      }
      report.killCycles = cycle
      let every = configuration.gatewayRestartEvery
      let lastCycle =
        cycle >= configuration.cycles
        && ContinuousClock.now - started >= configuration.minimumDuration
      if let every, every > 0, cycle % every == 0 {
        try await restartGateway(system, cycle: cycle, report: &report)
      } else if lastCycle && report.gatewayRestarts == 0 {
        try await restartGateway(system, cycle: cycle, report: &report)
      }
    }
  }

  /// SIGSTOPs `victim` until the gateway has dropped it, then SIGCONTs it; it registers
  /// again by itself.
  private func freeze(
    _ victim: String, of service: String, in system: LocalSystem, cycle: Int
  ) async throws {
    guard let process = system.instance(victim) else {
      throw LocalSystemError("no instance \(victim)")
    }
    configuration.log("cycle \(cycle): SIGSTOP \(victim) until the gateway drops it")
    process.signal(SIGSTOP)
    do {
      try await system.waitUntilRemoved(victim)
      // A moment more, so that its calls have been retried elsewhere before it wakes.
      try await Task.sleep(for: .milliseconds(500))
    } catch {
      process.signal(SIGCONT)
      throw error
    }
    process.signal(SIGCONT)
    try await system.waitUntilServing([service: 2])
    try await Task.sleep(for: configuration.pauseBetweenKills)
  }

  private func restartGateway(
    _ system: LocalSystem, cycle: Int, report: inout KillSuiteReport
  ) async throws {
    configuration.log("cycle \(cycle): SIGKILL the gateway (pid \(system.gateway.pid))")
    try await system.restartGateway(signal: SIGKILL)
    try await system.waitUntilServing(
      Dictionary(uniqueKeysWithValues: Self.services.map { ($0, 2) }))
    report.gatewayRestarts += 1
    configuration.log("cycle \(cycle): the gateway is back, every instance registered again")
    try await Task.sleep(for: configuration.pauseBetweenKills)
  }

  // MARK: Counting

  private static func tally(
    _ ledger: KillSuiteLedger, _ stored: KillSuiteVerification.Stored,
    into report: inout KillSuiteReport
  ) {
    let counts = ledger.counts
    report.calls = counts.calls
    report.reads = counts.reads
    report.writeAttempts = counts.writeAttempts
    report.errorsByStatus = counts.errors
    report.staleReads = counts.staleReads.count
    report.problems += counts.staleReads.prefix(5).map { "stale read: \($0)" }
    let writes = ledger.writes
    report.writes = writes.count
    for (key, write) in writes.sorted(by: { $0.key < $1.key }) {
      let ids = stored.records[key] ?? []
      if write.attempts > 1 { report.retried += 1 }
      if ids.count > 1 {
        report.duplicated += 1
        report.problems.append("\(write.kind.rawValue) \(key) is stored \(ids.count) times: \(ids)")
      }
      if let id = write.acknowledgedID {
        report.acknowledged += 1
        report.acknowledgedByKind[write.kind.rawValue, default: 0] += 1
        if write.attempts > 1 { report.retriedAcknowledged += 1 }
        if !ids.contains(id) {
          report.lost += 1
          report.problems.append(
            "\(write.kind.rawValue) \(key) was acknowledged as \(id) but is stored as \(ids)")
        } else if write.kind == .roomEvent {
          // The other half of the write: exactly one booking in reception, the one it names.
          let named = stored.eventBookings[id] ?? ""
          let held = stored.bookingsHeld[id] ?? []
          if held.count > 1 {
            report.duplicated += 1
            report.problems.append("room event \(id) (\(key)) holds \(held.count) bookings: \(held)")
          } else if named.isEmpty || held != [named] {
            report.lost += 1
            report.problems.append(
              "room event \(id) (\(key)) names booking \"\(named)\" but reception holds \(held)")
          }
        }
      } else {
        report.unacknowledged += 1
        if !ids.isEmpty { report.unacknowledgedApplied += 1 }
      }
    }
    let orphans = stored.orphanBookings
    report.orphanBookings = orphans.count
    if !orphans.isEmpty {
      report.problems.append("bookings held for events that are not shown: \(orphans.prefix(10))")
    }
    if report.problems.count > 20 {
      report.problems = Array(report.problems.prefix(20)) + ["…"]
    }
  }
}

/// Set once, read by every worker.
final class KillSuiteFlag: Sendable {
  private let value = Atomic<Bool>(false)
  var isSet: Bool { value.load(ordering: .relaxed) }
  func set() { value.store(true, ordering: .relaxed) }
}

/// One caller of the kill suite: a loop of reads and writes on its own connection.
struct KillSuiteWorker: Sendable {
  let index: Int
  let client: RPCClient
  let workload: KillSuiteWorkload
  let ledger: KillSuiteLedger
  let configuration: KillSuite.Configuration

  private var membership: Tongxin_Membership_Membership.Client { .init(wrapping: client) }
  private var events: Tongxin_Events_Events.Client { .init(wrapping: client) }
  private var reception: Tongxin_Reception_Reception.Client { .init(wrapping: client) }
  private var aggregates: Tongxin_Aggregates_Aggregates.Client { .init(wrapping: client) }

  func run(until stopping: () -> Bool) async {
    var sequence = 0
    while !stopping() {
      if Double.random(in: 0..<1) < configuration.writeShare {
        sequence += 1
        await write(KillSuiteWrite.allCases.randomElement()!, sequence: sequence)
      } else {
        await read()
      }
      try? await Task.sleep(for: configuration.thinkTime)
    }
  }

  // MARK: Writes

  private func write(_ kind: KillSuiteWrite, sequence: Int) async {
    let key = workload.key(worker: index, sequence: sequence)
    let impatient =
      Double.random(in: 0..<1) < configuration.impatientShare
      && (kind != .roomEvent || configuration.impatientRoomEvents)
    let patience: Patience =
      impatient
      ? .impatient
      : .patient(configuration.callTimeout, until: .now + configuration.retryWritesFor)
    switch kind {
    case .company:
      let request = workload.createCompany(key)
      await retrying(kind, key, patience) {
        try await membership.createCompany(request, options: $0).id
      }
    case .person:
      let request = workload.createPerson(key)
      await retrying(kind, key, patience) {
        try await membership.createPerson(request, options: $0).id
      }
    case .event:
      let request = workload.createEvent(key, sequence: sequence * 16 + index)
      await retrying(kind, key, patience) { try await events.createEvent(request, options: $0).id }
    case .roomEvent:
      let request = workload.createRoomEvent(key)
      await retrying(kind, key, patience) { try await events.createEvent(request, options: $0).id }
    case .delegation:
      let request = workload.createDelegation(key, sequence: sequence * 16 + index)
      await retrying(kind, key, patience) {
        try await reception.createDelegation(request, options: $0).id
      }
    }
  }

  /// How long a client waits for each attempt of a write, and how long it keeps trying.
  private enum Patience {
    /// The suite's call timeout per attempt, retried until the given time.
    case patient(Duration, until: ContinuousClock.Instant)
    /// 2 to 60 ms per attempt, three attempts.
    case impatient

    var timeout: Duration {
      switch self {
      case .patient(let timeout, _): timeout
      case .impatient: .milliseconds(Int.random(in: 2...60))
      }
    }

    func mayRetry(after attempts: Int) -> Bool {
      switch self {
      case .patient(_, let until): ContinuousClock.now < until
      case .impatient: attempts < 3
      }
    }
  }

  /// Calls `attempt` with the same key until it is answered OK or with a status that is not
  /// worth retrying, or the client's patience is spent.
  private func retrying(
    _ kind: KillSuiteWrite, _ key: String, _ patience: Patience,
    _ attempt: (CallOptions) async throws -> String
  ) async {
    var attempts = 0
    while true {
      attempts += 1
      do {
        let id = try await attempt(CallOptions(timeout: patience.timeout, idempotencyKey: key))
        ledger.recordCall(read: false, error: nil)
        ledger.recordAttempt(key, kind: kind, error: nil)
        ledger.recordAcknowledged(key, kind: kind, id: id)
        return
      } catch {
        let error = Self.rpcError(error)
        ledger.recordCall(read: false, error: error)
        ledger.recordAttempt(key, kind: kind, error: error)
        guard Self.retryable.contains(error.code), patience.mayRetry(after: attempts) else {
          if !Self.retryable.contains(error.code) {
            configuration.log("\(kind.rawValue) \(key) refused: \(error)")
          }
          return
        }
        // Back off a little more each time, up to a second.
        try? await Task.sleep(for: .milliseconds(min(1_000, 50 * attempts)))
      }
    }
  }

  /// What a client may retry with the same idempotency key: the write may or may not have
  /// been applied, and the key makes a second application impossible.
  static let retryable: Set<StatusCode> = [.unavailable, .deadlineExceeded, .resourceExhausted]

  // MARK: Reads

  private func read() async {
    let options = CallOptions(timeout: configuration.callTimeout)
    do {
      switch Int.random(in: 0..<9) {
      case 0:
        var request = Tongxin_Membership_ListCompaniesRequest()
        request.pageSize = 20
        _ = try await membership.listCompanies(request, options: options)
      case 1:
        guard let id = ledger.randomAcknowledged(.company) else { return await listEvents() }
        try await expectFound("company \(id)") {
          _ = try await membership.getCompany(.with { $0.id = id }, options: options)
        }
      case 2:
        guard let id = ledger.randomAcknowledged(.person) else { return await listEvents() }
        try await expectFound("person \(id)") {
          _ = try await membership.getPerson(.with { $0.id = id }, options: options)
        }
      case 3:
        return await listEvents()
      case 4:
        let kind: KillSuiteWrite = Bool.random() ? .event : .roomEvent
        guard let id = ledger.randomAcknowledged(kind) else { return await listEvents() }
        try await expectFound("event \(id)") {
          _ = try await events.getEvent(.with { $0.id = id }, options: options)
        }
      case 5:
        var request = Tongxin_Reception_ListDelegationsRequest()
        request.start = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowStart)
        request.pageSize = 20
        _ = try await reception.listDelegations(request, options: options)
      case 6:
        guard let id = ledger.randomAcknowledged(.delegation) else {
          _ = try await reception.getBaseProfile(.init(), options: options)
          break
        }
        try await expectFound("delegation \(id)") {
          _ = try await reception.getDelegation(.with { $0.id = id }, options: options)
        }
      case 7:
        _ = try await reception.getBaseProfile(.init(), options: options)
      default:
        _ = try await aggregates.getBaseOverview(.init(), options: options)
      }
      ledger.recordCall(read: true, error: nil)
    } catch {
      ledger.recordCall(read: true, error: Self.rpcError(error))
    }
  }

  private func listEvents() async {
    var request = Tongxin_Events_ListEventsRequest()
    request.start = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowStart)
    request.pageSize = 20
    do {
      _ = try await events.listEvents(request, options: CallOptions(timeout: configuration.callTimeout))
      ledger.recordCall(read: true, error: nil)
    } catch {
      ledger.recordCall(read: true, error: Self.rpcError(error))
    }
  }

  /// Runs a read of an acknowledged record; NOT_FOUND is a stale read.
  private func expectFound(_ what: String, _ read: () async throws -> Void) async throws {
    do {
      try await read()
    } catch let error as RPCError where error.code == .notFound {
      ledger.recordStaleRead("\(what): \(error)")
      throw error
    }
  }

  private static func rpcError(_ error: any Error) -> RPCError {
    (error as? RPCError) ?? RPCError(code: .unknown, message: "\(error)")
  }
}
