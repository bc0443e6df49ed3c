import Synchronization
import TongxinRPC
import TongxinMessages
import TongxinWire

/// Fetches the parts of one aggregate in parallel, each with its own deadline inside the
/// caller's, and assembles what arrived; what did not is named with its status.
final class PartCollector<Response: Sendable>: Sendable {
  /// One part: its name and how to fetch it and put it into the response.
  struct Part: Sendable {
    var name: String
    var fetch: @Sendable (CallOptions, PartCollector) async throws -> Void
  }

  private let response: Mutex<Response>
  private let missing = Mutex<[Tongxin_Aggregates_MissingPart]>([])
  private let deadline: ContinuousClock.Instant
  private let partTimeout: Duration

  /// `deadline` is when the caller stops waiting; parts end a margin before it, so the
  /// answer still reaches the caller in time.
  init(_ response: Response, deadline: ContinuousClock.Instant, partTimeout: Duration) {
    self.response = Mutex(response)
    self.deadline = deadline - .milliseconds(50)
    self.partTimeout = partTimeout
  }

  /// Time a part may take from now: its own limit, never past the caller's deadline.
  var budget: Duration {
    min(partTimeout, ContinuousClock.now.duration(to: deadline))
  }

  func update(_ body: (inout Response) -> Void) {
    response.withLock { body(&$0) }
  }

  func markMissing(_ part: String, _ error: any Error) {
    var entry = Tongxin_Aggregates_MissingPart()
    entry.part = part
    switch error {
    case let error as RPCError:
      entry.code = error.code
      entry.message = error.message
    case is CancellationError:
      entry.code = .cancelled
      entry.message = "the caller gave up"
    default:
      entry.code = .internal
      entry.message = "\(part) could not be assembled"
    }
    missing.withLock { $0.append(entry) }
  }

  /// Runs every part at once and returns the response with the missing parts, by name.
  func collect(_ parts: [Part]) async -> (Response, [Tongxin_Aggregates_MissingPart]) {
    await withTaskGroup(of: Void.self) { group in
      for part in parts {
        group.addTask {
          let budget = self.budget
          guard budget > .zero else {
            return self.markMissing(
              part.name, RPCError(code: .deadlineExceeded, message: "no time left for this part"))
          }
          do {
            try await part.fetch(CallOptions(timeout: budget), self)
          } catch {
            self.markMissing(part.name, error)
          }
        }
      }
    }
    let missing = missing.withLock { $0 }.sorted { $0.part < $1.part }
    return (response.withLock { $0 }, missing)
  }
}
