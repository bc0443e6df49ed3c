import Foundation

/// Finds the package's executables: they are built side by side.
public enum Executables {
  /// The folder of the running executable (or test bundle), links resolved.
  public static var folder: URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
  }

  /// `name` in ``folder``, or an error that says how to build it.
  public static func url(_ name: String) throws -> URL {
    let url = folder.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw MissingExecutable(name: name, folder: folder.path)
    }
    return url
  }

  public struct MissingExecutable: Error, CustomStringConvertible {
    public var name: String
    public var folder: String
    public var description: String {
      "\(name) is not built in \(folder): run `swift build` (with the same -c) first"
    }
  }
}
