import Foundation
import Synchronization
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// Rolling restart (issue 8): every instance of a service restarted one by one under load
/// (SIGTERM, the instance drains and leaves, a replacement starts and registers) fails no call.
@Suite("Rolling restart", .serialized)
struct RollingRestartTests {
  @Test("restarting both membership instances one by one under reads and writes fails no call")
  func membership() async throws {
    try await withSystem(["membership": 2]) { system, logs in
      let membership = Tongxin_Membership_Membership.Client(wrapping: system.client)
      let acknowledged = Guarded<[String: String]>([:])  // company id → name
      let outcomes = try await Self.restartOneByOne(
        "membership", of: system, logs: logs, workers: 8
      ) { worker, index in
        let options = CallOptions(timeout: .seconds(10))
        switch index % 3 {
        case 0:
          let name = "滚动重启 \(worker)-\(index)"
          let company = try await membership.createCompany(
            .with { $0.company = .with { $0.name = name } },
            options: CallOptions(timeout: .seconds(10), idempotencyKey: name))
          acknowledged.withLock { $0[company.id] = name }
          return "write"
        case 1:
          guard let id = acknowledged.value.keys.randomElement() else { fallthrough }
          let company = try await membership.getCompany(.with { $0.id = id }, options: options)
          guard company.id == id else {
            throw RPCError(code: .internal, message: "read \(id), got \(company.id)")
          }
          return "read"
        default:
          _ = try await membership.listCompanies(.with { $0.pageSize = 10 }, options: options)
          return "read"
        }
      }
      #expect(outcomes.count("write") > 20)
      #expect(outcomes.count("read") > 20)
      // Every acknowledged write is in the database, once.
      var listed: [String: Int] = [:]
      var token = ""
      repeat {
        let page = try await membership.listCompanies(
          .with {
            $0.pageSize = 100
            $0.pageToken = token
          }, options: CallOptions(timeout: .seconds(10)))
        for company in page.companies { listed[company.name, default: 0] += 1 }
        token = page.nextPageToken
      } while !token.isEmpty
      let written = acknowledged.value
      print(
        "rolling restart (membership): \(written.count) writes acknowledged, "
          + "\(written.values.count { listed[$0] == 1 }) in the database once")
      #expect(written.values.allSatisfy { listed[$0] == 1 })
    }
  }

  /// With one instance, calls made between its exit and its replacement's registration wait
  /// in the gateway's queue (`--max-queue-wait`, 10 s) instead of failing.
  @Test(
    "restarting echo instances one by one while each holds slow calls fails no call",
    arguments: [1, 3])
  func slowCalls(instances: Int) async throws {
    try await withSystem(["echo": instances]) { system, logs in
      let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)
      let outcomes = try await Self.restartOneByOne(
        "echo", of: system, logs: logs, workers: 24, holdingCalls: true
      ) { worker, index in
        if index.isMultiple(of: 4) {
          _ = try await echo.count(
            .with { $0.tag = "rolling" },
            options: CallOptions(timeout: .seconds(10), idempotencyKey: "roll-\(worker)-\(index)"))
          return "write"
        }
        let reply = try await echo.work(
          .with { $0.milliseconds = 300 }, options: CallOptions(timeout: .seconds(10)))
        guard reply.finished else { throw RPCError(code: .aborted, message: "work cut short") }
        return "read"
      }
      #expect(outcomes.count("read") > 20 * instances)
    }
  }

  private func withSystem(
    _ services: [String: Int], _ body: (LocalSystem, LogWatch) async throws -> Void
  ) async throws {
    let logs = LogWatch(["drain"])
    let system = try await LocalSystem.start(services: services, output: logs.output)
    do {
      try await body(system, logs)
    } catch {
      await system.stop()
      throw error
    }
    await system.stop()
  }

  /// Runs `workers` loops of `call` (which returns the kind of call it made) while each
  /// instance of `service` in turn gets SIGTERM, drains and exits, and a replacement with a new
  /// id starts and serves; checks that no call failed and that each instance drained.
  ///
  /// With `holdingCalls`, each instance is signalled only while it holds calls.
  static func restartOneByOne(
    _ service: String, of system: LocalSystem, logs: LogWatch, workers: Int,
    holdingCalls: Bool = false,
    _ call: @escaping @Sendable (_ worker: Int, _ index: Int) async throws -> String
  ) async throws -> OutcomeTally {
    let probe = SystemProbe(system: system)
    let old = try #require(try await probe.service(service)).instances.map(\.instanceID).sorted()
    let stop = StopFlag()
    let outcomes = OutcomeTally()
    let failures = Guarded<[String]>([])
    let load = Task {
      await withTaskGroup(of: Void.self) { group in
        for worker in 0..<workers {
          group.addTask {
            var index = 0
            while !stop.isSet {
              index += 1
              let started = ContinuousClock.now
              // No retries here: the restart itself must fail nothing.
              do {
                outcomes.record(try await call(worker, index), after: .now - started)
              } catch {
                failures.withLock { $0.append("\(error)") }
                outcomes.record("failed", after: .now - started)
              }
              try? await Task.sleep(for: .milliseconds(5))
            }
          }
        }
      }
    }
    var restarts: [String] = []
    do {
      try await probe.waitUntil("load on every instance") {
        try await probe.service(service)?.instances.allSatisfy { $0.calls > 0 } ?? false
      }
      for (number, id) in old.enumerated() {
        let replacement = "\(service)-r\(number + 1)"
        var held: UInt32 = 0
        if holdingCalls {
          try await probe.waitUntil("\(id) holds calls") {
            held = try await probe.instance(id, of: service)?.inFlight ?? 0
            return held > 0
          }
        }
        let process = try #require(system.instance(id))
        let callsBefore = outcomes.total
        let started = ContinuousClock.now
        process.signal(SIGTERM)
        let status = await process.waitForExit()
        let exited = ContinuousClock.now - started
        #expect(status == 0, "\(id) exited with \(status)")
        // It said goodbye: the gateway forgot it before it exited, no heartbeat missed.
        #expect(try await probe.instance(id, of: service) == nil, "\(id) still listed")
        try system.startInstance(of: service, id: replacement)
        try await probe.waitUntilReady(replacement, of: service)
        // The replacement serves before the next instance goes.
        try await probe.waitUntil("\(replacement) serves calls") {
          try await probe.instance(replacement, of: service)?.calls ?? 0 > 0
        }
        restarts.append(
          "\(id) (holding \(held) calls) drained and exited in \(exited.ms), \(replacement) "
            + "serving \((ContinuousClock.now - started).ms) after the SIGTERM; "
            + "\(outcomes.total - callsBefore) calls meanwhile")
      }
      // Some more load on the replacements only.
      let settledAt = outcomes.total
      try await probe.waitUntil("load on the replacements") {
        outcomes.total >= settledAt + 4 * workers
      }
    } catch {
      stop.set()
      await load.value
      throw error
    }
    stop.set()
    await load.value

    let failed = failures.value
    print(
      """
      rolling restart (\(service)): \(outcomes.total) calls, \(failed.count) failed
        \(outcomes.summary)
        \(restarts.joined(separator: "\n  "))
      """)
    #expect(failed.isEmpty, "\(failed.prefix(10))")
    for id in old {
      #expect(!logs.matching("[\(id)]", "drained").isEmpty, "\(id) never logged drained")
    }
    try await probe.waitUntilNothingPending()
    return outcomes
  }
}
