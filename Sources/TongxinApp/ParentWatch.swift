import FoundationEssentials
import Glibc

/// Stops a child process whose parent died, so that nothing is left running when a test or
/// `tongxin up` is killed without the chance to stop its children.
///
/// Asked for with `TONGXIN_EXIT_WITH_PARENT=1`, which ``ChildProcess`` sets for every child.
enum ParentWatch {
  static func startIfAsked(shutdown: @escaping @Sendable () async -> Void) -> Task<Void, Never>? {
    guard ProcessInfo.processInfo.environment["TONGXIN_EXIT_WITH_PARENT"] == "1" else {
      return nil
    }
    let parent = getppid()
    return Task {
      // A dead parent's children are adopted by another process: the parent id changes.
      while !Task.isCancelled, getppid() == parent {
        try? await Task.sleep(for: .milliseconds(500))
      }
      if !Task.isCancelled { await shutdown() }
    }
  }
}
