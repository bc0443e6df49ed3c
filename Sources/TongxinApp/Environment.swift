import FoundationEssentials
import Glibc
import TongxinWire

/// Where options take their defaults from: the environment, then a configuration file.
///
/// An option given on the command line always wins. Then comes the process environment,
/// then the file named by `TONGXIN_CONFIG`: lines of `NAME=value` with the same names as
/// the environment variables (`#` starts a comment). So one file configures a process, and
/// the environment can still override a line of it (see deploy/README.md).
public enum Environment {
  public static func value(_ name: String) -> String? {
    if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
    return configurationFile[name]
  }

  public static func int(_ name: String) -> Int? {
    value(name).flatMap { Int($0) }
  }

  /// The file named by `TONGXIN_CONFIG`, read once; a file that cannot be read ends the
  /// process with a clear message rather than running on defaults nobody asked for.
  static let configurationFile: [String: String] = {
    guard let path = ProcessInfo.processInfo.environment["TONGXIN_CONFIG"], !path.isEmpty else {
      return [:]
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      let message = Array("error: cannot read TONGXIN_CONFIG file \(path)\n".utf8)
      _ = write(STDERR_FILENO, message, message.count)
      exit(78)  // EX_CONFIG
    }
    return parse(text)
  }()

  /// `NAME=value` lines; blank lines and `#` comments skipped, surrounding spaces trimmed.
  static func parse(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let trimmed = line.trimmingWhitespace()
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#"),
        let equals = trimmed.firstIndex(of: "=")
      else { continue }
      let name = trimmed[..<equals].trimmingWhitespace()
      let value = trimmed[trimmed.index(after: equals)...].trimmingWhitespace()
      values[name] = value
    }
    return values
  }
}
