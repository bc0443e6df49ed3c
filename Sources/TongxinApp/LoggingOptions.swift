import ArgumentParser
import Logging

/// `--log-level`, shared by every executable; logs go to standard error.
public struct LoggingOptions: ParsableArguments {
  @Option(help: "trace, debug, info, notice, warning, error or critical (env TONGXIN_LOG_LEVEL).")
  public var logLevel: String = Environment.value("TONGXIN_LOG_LEVEL") ?? "info"

  public init() {}

  /// Sets up swift-log once per process and returns a logger with `label`.
  public func bootstrap(label: String) throws -> Logger {
    guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
      throw ValidationError("unknown log level \"\(logLevel)\"")
    }
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    return Logger(label: label)
  }
}
