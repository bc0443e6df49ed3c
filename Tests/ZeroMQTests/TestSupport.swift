import Dispatch
import Foundation
import Synchronization

@testable import ZeroMQ

/// A unique in-process endpoint, so that tests running in parallel never meet.
func uniqueInproc(_ label: String) -> String {
  "inproc://\(label)-\(UUID().uuidString)"
}

/// A one-shot signal between threads, waited for with a timeout so a broken test fails
/// instead of hanging.
final class Signal: Sendable {
  private let semaphore = DispatchSemaphore(value: 0)

  func signal() { semaphore.signal() }

  func wait(seconds: Double = 2) -> Bool {
    semaphore.wait(timeout: .now() + seconds) == .success
  }
}

/// A value shared between the test and a loop thread.
final class Locked<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>

  init(_ value: Value) { mutex = Mutex(value) }

  var value: Value { mutex.withLock { $0 } }

  func update(_ body: (inout Value) -> Void) {
    mutex.withLock { body(&$0) }
  }
}

/// Waits until `condition` holds, checking every millisecond; false on timeout.
func eventually(seconds: Double = 2, _ condition: () -> Bool) -> Bool {
  let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
  while ContinuousClock.now < deadline {
    if condition() { return true }
    usleep(1000)
  }
  return condition()
}

/// The names of this process's threads, as the OS knows them.
func osThreadNames() -> [String] {
  let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
  return tasks.compactMap { task in
    (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
