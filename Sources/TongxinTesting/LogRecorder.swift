public import Logging
import Synchronization

/// Keeps what loggers made by it log, one line each ("LEVEL message key=value ..."), for tests
/// that check a line is written, and not written again and again.
public final class LogRecorder: Sendable {
  private let recorded = Mutex<[String]>([])

  public init() {}

  public var lines: [String] { recorded.withLock { $0 } }

  /// A logger that records what it logs at `level` and above.
  public func logger(_ label: String, level: Logger.Level = .trace) -> Logger {
    Logger(label: label) { _ in Handler(recorder: self, logLevel: level) }
  }

  private struct Handler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(recorder: LogRecorder, logLevel: Logger.Level) {
      self.recorder = recorder
      self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      let metadata = self.metadata.merging(event.metadata ?? [:]) { $1 }
        .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      recorder.recorded.withLock { $0.append("\(event.level) \(event.message) \(metadata)") }
    }
  }
}
