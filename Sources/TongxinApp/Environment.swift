import Foundation

/// Environment variables as defaults for options: a given option always wins.
public enum Environment {
  public static func value(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
      return nil
    }
    return value
  }

  public static func int(_ name: String) -> Int? {
    value(name).flatMap { Int($0) }
  }
}
