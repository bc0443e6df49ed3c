import FoundationEssentials

/// The endpoints a process bound, written to a file for the process that started it.
///
/// Processes bind `tcp://127.0.0.1:*` and report the real ports here, so nothing has to
/// guess a free port.
public struct EndpointsFile: Codable, Sendable, Equatable {
  public var endpoints: [String: String]

  public init(_ endpoints: [String: String]) {
    self.endpoints = endpoints
  }

  /// Writes atomically, so a reader never sees half a file.
  public func write(to path: String) throws {
    let data = try JSONEncoder().encode(self)
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// Waits until `path` exists and reads it, or throws after `timeout`.
  public static func wait(for path: String, timeout: Duration = .seconds(30)) async throws
    -> EndpointsFile
  {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let data = FileManager.default.contents(atPath: path),
        let file = try? JSONDecoder().decode(EndpointsFile.self, from: data)
      {
        return file
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(path: path)
  }

  public struct TimedOut: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "no endpoints were written to \(path) in time" }
  }
}
