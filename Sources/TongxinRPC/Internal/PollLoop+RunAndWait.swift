import Dispatch
import ZeroMQ

extension PollLoop {
  /// Runs `work` on the loop thread and waits for its result: for set-up from synchronous
  /// code (creating and binding sockets), never from the loop thread or an async hot path.
  package func runAndWait<T>(_ work: @escaping () throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>?
    nonisolated(unsafe) let work = work
    execute {
      result = Result { try work() }
      done.signal()
    }
    done.wait()
    return try result!.get()
  }
}
