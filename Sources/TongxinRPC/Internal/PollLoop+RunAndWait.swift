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

  /// `runAndWait` for making the object that owns the loop: when that fails, the loop stops,
  /// so that its thread does not outlive an owner that never was.
  package func setUp<T>(_ make: @escaping () throws -> T) throws -> T {
    do {
      return try runAndWait(make)
    } catch {
      stop()
      throw error
    }
  }
}
