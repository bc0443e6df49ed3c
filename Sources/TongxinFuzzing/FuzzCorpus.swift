import Foundation

/// The committed inputs: `Tests/Fuzz/seeds` (written from ``FuzzSeeds``), `Tests/Fuzz/corpus`
/// (what the fuzzer kept, minimized with `-merge=1`) and `Tests/Fuzz/regressions` (inputs
/// that once found a bug).
package enum FuzzCorpus {
  package static let folders = ["seeds", "corpus", "regressions"]

  /// `url` itself when it is a file, else the files in and under it (sorted; hidden files and
  /// `.md` notes left out).
  package static func files(at url: URL) throws -> [URL] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    guard isFolder.boolValue else { return [url] }
    let names = try FileManager.default.subpathsOfDirectory(atPath: url.path)
    return names.sorted().compactMap { name in
      let file = url.appendingPathComponent(name)
      let last = file.lastPathComponent
      guard !last.hasPrefix("."), !last.hasSuffix(".md") else { return nil }
      var isSubfolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: file.path, isDirectory: &isSubfolder)
      return isSubfolder.boolValue ? nil : file
    }
  }
}
