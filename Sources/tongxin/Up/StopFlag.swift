import Foundation
import Synchronization
import TongxinApp
import TongxinProcesses

/// Tells supervised children to stop: services at once, the gateway once they are gone.
final class StopFlag: Sendable {
  private let state = Mutex<(set: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
  private let runningServices = Atomic<Int>(0)
  /// How long a child may take to leave after SIGTERM before it is killed.
  private static let grace: Duration = .seconds(35)

  var isSet: Bool { state.withLock { $0.set } }

  func set() {
    let waiters = state.withLock { state in
      defer { state = (true, []) }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Waits for `child` to exit; when stopping, sends it SIGTERM (the gateway only after every
  /// service has exited, so their goodbyes reach it) and returns its status.
  func wait(for child: ChildProcess, isGateway: Bool) async -> Int32 {
    if !isGateway { runningServices.add(1, ordering: .relaxed) }
    defer { if !isGateway { runningServices.subtract(1, ordering: .relaxed) } }
    let stopper = Task {
      await self.stopped()
      if isGateway {
        // Services get `grace` to leave before they are killed: past that, waiting longer for
        // one whose exit went unnoticed would only hold the gateway (and `up`) forever.
        let deadline = ContinuousClock.now + Self.grace + .seconds(5)
        while runningServices.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
          // Cancelled when the child exited by itself: nothing is left to stop. (Ignoring the
          // cancellation made this loop spin at full speed.)
          do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
        }
      }
      _ = await child.stop(grace: Self.grace)
    }
    let status = await child.waitForExit()
    stopper.cancel()
    return status
  }

  private func stopped() async {
    await withCheckedContinuation { continuation in
      let now = state.withLock { state -> Bool in
        if state.set { return true }
        state.waiters.append(continuation)
        return false
      }
      if now { continuation.resume() }
    }
  }
}
