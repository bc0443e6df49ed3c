import Foundation
import Synchronization

/// Every log line of a system's processes, to check what the gateway said.
final class CapturedLog: Sendable {
  private let lines = Mutex<[String]>([])

  var output: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }

  /// Waits up to `timeout` for a line containing every one of `parts`; returns it.
  func line(containing parts: String..., timeout: Duration = .seconds(20)) async -> String? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let line = lines.withLock({ $0.first { line in parts.allSatisfy(line.contains) } }) {
        return line
      }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }
}
