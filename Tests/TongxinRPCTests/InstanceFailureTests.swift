import Foundation
import Testing
import TongxinApp
import TongxinMessages
import TongxinProcesses
import TongxinRPC

@Suite("Instances that die", .serialized)
struct InstanceFailureTests {
  /// Starts `tongxin-echo` as a process of its own, so that it can be killed.
  func startEchoProcess(_ cluster: TestCluster, id: String) async throws -> ChildProcess {
    let child = try ChildProcess(
      name: id, executable: Executables.url("tongxin-echo"),
      // The test cluster's in-process broker runs without authentication.
      arguments: ["--gateway", cluster.broker.backendEndpoint, "--instance-id", id,
        "--log-level", "error", "--insecure-plaintext"]
    ) { _ in }
    try await cluster.waitForInstances { $0.contains(id) }
    return child
  }

  @Test("an instance killed mid-load loses no call that was safe to retry")
  func killedInstance() async throws {
    let cluster = try TestCluster()
    let victim = try await startEchoProcess(cluster, id: "echo-victim")
    let survivor = try await startEchoProcess(cluster, id: "echo-survivor")
    let echo = cluster.echo
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 20 }
    let results = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<200 {
        group.addTask {
          if index.isMultiple(of: 2) {
            return try await echo.work(work).finished
          }
          var count = Tongxin_Echo_CountRequest()
          count.tag = "kill"
          return try await echo.count(
            count, options: CallOptions(idempotencyKey: "write-\(index)")).count > 0
        }
      }
      group.addTask {
        try await Task.sleep(for: .milliseconds(60))
        victim.signal(SIGKILL)
        return true
      }
      return try await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 201)
    #expect(results.allSatisfy { $0 })
    #expect(try await cluster.pendingCalls() == 0)
    _ = await survivor.stop()
    await cluster.shutdown()
  }

  @Test("a write without idempotency key on a killed instance is UNAVAILABLE, not retried")
  func unsafeWriteIsNotRetried() async throws {
    let cluster = try TestCluster()
    let victim = try await startEchoProcess(cluster, id: "echo-only")
    // Frozen: the gateway still counts it live for a few heartbeats and sends it the call,
    // which it never answers.
    victim.signal(SIGSTOP)
    // The signal lands asynchronously: make sure the instance is frozen before calling.
    try await waitUntilFrozen(victim.pid)
    var count = Tongxin_Echo_CountRequest()
    count.tag = "unsafe"
    let code = await RPCError.code { _ = try await cluster.echo.count(count) }
    victim.signal(SIGKILL)
    #expect(code == .unavailable)
    await cluster.shutdown()
  }
}

/// Waits until the process is stopped by a signal (state T in /proc).
func waitUntilFrozen(_ pid: Int32) async throws {
  for _ in 0..<500 {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    // The state follows the command name in parentheses, which may contain spaces.
    if let close = stat.lastIndex(of: ")"),
      stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    {
      return
    }
    try await Task.sleep(for: .milliseconds(2))
  }
  Issue.record("process \(pid) did not stop")
}
