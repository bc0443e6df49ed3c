import FoundationEssentials
#if canImport(Glibc)
  import Glibc
#endif

/// Key files: one Z85 key per file, with `#` comment lines, so an operator can tell by
/// looking what a file is for. A `.pub` file is safe to share; a `.key` file is not.
public enum KeyFile {
  /// The key in `path`: its first line that is neither empty nor a comment.
  public static func read(_ path: String) throws -> String {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw KeyFileError("cannot read key file \(path): \(error.fileProblem)")
    }
    let key = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingWhitespace() }
      .first { !$0.isEmpty && !$0.hasPrefix("#") }
    guard let key, key.count == 40 else {
      throw KeyFileError("\(path) holds no CURVE key (40 Z85 characters)")
    }
    return key
  }

  /// Writes `key` to `path` with `mode`, creating the folder; an existing file is replaced.
  /// Written whole to a new file beside it, then renamed into place: a reader (a command run
  /// while `tongxin up` makes its keys) finds no file or the whole key, never an empty one.
  public static func write(_ key: String, to path: String, comment: String, mode: Int) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    // Created with its final mode (open(2) with O_EXCL), so a secret key is never readable
    // by others, not even for a moment.
    let temporary = path + ".new-\(UInt64.random(in: 0...UInt64.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else {
      throw KeyFileError("cannot create key file \(path): \(String(cString: strerror(errno)))")
    }
    let bytes = Array("# \(comment)\n\(key)\n".utf8)
    let written =
      bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count
      && fchmod(fd, mode_t(mode)) == 0  // the umask may have taken bits away
    let writeError = errno
    if close(fd) == 0 && written && rename(temporary, path) == 0 { return }
    let problem = String(cString: strerror(written ? errno : writeError))
    unlink(temporary)
    throw KeyFileError("cannot write key file \(path): \(problem)")
  }
}

public struct KeyFileError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
