import Foundation
import TongxinApp
import TongxinMessages
import TongxinProcesses
import TongxinRPC

/// Crashing and restarting the processes of a ``LocalSystem``, as operators and machines do.
///
/// ```swift
/// try await system.restartInstance("membership-1")          // SIGKILL, then start it again
/// try await system.restartGateway()                          // SIGKILL, same ports
/// try await system.waitUntilServing(["membership": 2])       // instances registered again
/// ```
extension LocalSystem {
  /// The gateway's current process, to signal it or read its memory.
  public var gateway: ChildProcess {
    gatewayProcess.withLock { $0 }
  }

  /// Ends the gateway with `signal` (SIGKILL: a crash; SIGTERM: a clean stop) and starts a new
  /// one bound to the same frontend and backend, with the same arguments.
  ///
  /// Returns once the new gateway has bound both ports. Instances notice by themselves and
  /// register again, and clients reconnect (ZeroMQ does): wait for them with
  /// ``waitUntilServing(_:timeout:)``. Calls in flight at the crash end with
  /// `DEADLINE_EXCEEDED` or `UNAVAILABLE` at their callers.
  public func restartGateway(signal: Int32 = SIGKILL, timeout: Duration = .seconds(60))
    async throws
  {
    let old = gateway
    old.signal(signal)
    if signal != SIGKILL {
      // A clean stop gets the time a clean stop takes, then it is a crash after all.
      let killer = Task {
        try await Task.sleep(for: .seconds(10))
        old.signal(SIGKILL)
      }
      _ = await old.waitForExit()
      killer.cancel()
    } else {
      _ = await old.waitForExit()
    }
    // The port may still be held for a moment (by the dying process's sockets, or briefly
    // by something else that grabbed it): try again until the deadline.
    let deadline = ContinuousClock.now + timeout
    var attempt = 0
    while true {
      attempt += 1
      let endpointsFile = dataFolder.appendingPathComponent("gateway-restart-\(attempt).json").path
      let process = try Self.launchGateway(
        frontend: frontend, backend: backend, endpointsFile: endpointsFile,
        arguments: gatewayArguments, output: output)
      switch await Self.waitForBinding(process, endpointsFile: endpointsFile, until: deadline) {
      case .bound(let endpoints):
        gatewayProcess.withLock { $0 = process }
        guard endpoints["frontend"] == frontend, endpoints["backend"] == backend else {
          throw LocalSystemError(
            "the restarted gateway bound \(endpoints), not \(frontend) and \(backend)")
        }
        return
      case .exited(let status):
        guard ContinuousClock.now < deadline else {
          throw LocalSystemError(
            "the gateway could not start again on \(frontend) and \(backend) (exit \(status))")
        }
        try await Task.sleep(for: .milliseconds(200))
      case .timedOut:
        gatewayProcess.withLock { $0 = process }  // so that stop() ends it
        throw LocalSystemError("the restarted gateway did not bind within \(timeout)")
      }
    }
  }

  /// Ends instance `id` with `signal` unless it has exited already, and starts it again with
  /// the same service, id and arguments; returns once the gateway routes to the new process.
  ///
  /// The gateway keeps routing to a killed instance until it misses its heartbeats, or until
  /// the same id registers again (which is what happens here when the restart comes first);
  /// either way the killed instance's calls are retried elsewhere when that is safe.
  public func restartInstance(
    _ id: String, signal: Int32 = SIGKILL, timeout: Duration = .seconds(60)
  ) async throws {
    guard let started = instances.withLock({ $0[id] }) else {
      throw LocalSystemError("no instance \"\(id)\" was started")
    }
    if started.process.isRunning {
      started.process.signal(signal)
      _ = await started.process.waitForExit()
    }
    let restartedAt = ContinuousClock.now
    try startInstance(of: started.service, id: id, arguments: started.arguments)
    try await waitUntilInstance(id, timeout: timeout) { info, askedAt in
      // The killed process's record was last heard before the restart; the new one since.
      // The gateway answered after `askedAt`, so it last heard from it after this:
      guard let info, !info.draining else { return false }
      return askedAt - .milliseconds(Int64(info.lastHeartbeatMsAgo)) > restartedAt
    }
  }

  /// Waits until the gateway no longer routes to instance `id` (it left, or the gateway
  /// dropped it for missing its heartbeats).
  public func waitUntilRemoved(_ id: String, timeout: Duration = .seconds(60)) async throws {
    try await waitUntilInstance(id, timeout: timeout) { info, _ in info == nil }
  }

  /// Polls the gateway's list of instances until `condition` holds for instance `id` (nil when
  /// it is not listed) and the time the list was asked for.
  private func waitUntilInstance(
    _ id: String, timeout: Duration,
    _ condition: (Tongxin_System_InstanceInfo?, ContinuousClock.Instant) -> Bool
  ) async throws {
    let system = Tongxin_System_System.Client(wrapping: client)
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      let askedAt = ContinuousClock.now
      if let list = try? await system.listServices(
        .init(), options: CallOptions(timeout: .seconds(2)))
      {
        let info = list.services.lazy.flatMap(\.instances).first { $0.instanceID == id }
        if condition(info, askedAt) { return }
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw LocalSystemError("instance \(id) did not reach the expected state within \(timeout)")
  }

  private enum Binding {
    case bound([String: String])
    case exited(Int32)
    case timedOut
  }

  /// Waits until `process` has written its endpoints, or has exited (it could not bind).
  private static func waitForBinding(
    _ process: ChildProcess, endpointsFile: String, until deadline: ContinuousClock.Instant
  ) async -> Binding {
    while ContinuousClock.now < deadline {
      if let data = FileManager.default.contents(atPath: endpointsFile),
        let file = try? JSONDecoder().decode(EndpointsFile.self, from: data)
      {
        return .bound(file.endpoints)
      }
      if !process.isRunning { return .exited(await process.waitForExit()) }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return .timedOut
  }
}
