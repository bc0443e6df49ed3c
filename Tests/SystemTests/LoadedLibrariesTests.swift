import Foundation
import Testing
import TongxinTesting

@Suite("What the processes load")
struct LoadedLibrariesTests {
  /// Full Foundation (with ICU) costs each process 6 MB of resident memory (README,
  /// Benchmark): one `import Foundation` in a module they link would bring it back.
  @Test("the gateway and an echo instance map FoundationEssentials only, not Foundation")
  func noFullFoundation() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let instance = try #require(system.instance("echo-1"))
      for (name, pid) in [("gateway", system.gateway.pid), ("echo-1", instance.pid)] {
        let maps = try #require(readWhole("/proc/\(pid)/maps"))
        #expect(maps.contains("/libFoundationEssentials.so"), "\(name): the maps were read")
        for library in ["/libFoundation.so", "/libFoundationInternationalization.so"] {
          #expect(!maps.contains(library), "\(name) maps \(library)")
        }
      }
    }
  }
}

/// The whole of a file of /proc, which reports no size: Foundation's readers stop at a page.
private func readWhole(_ path: String) -> String? {
  let descriptor = open(path, O_RDONLY)
  guard descriptor >= 0 else { return nil }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65_536)
  while true {
    let count = read(descriptor, &chunk, chunk.count)
    guard count > 0 else { break }
    bytes += chunk[..<count]
  }
  return String(decoding: bytes, as: UTF8.self)
}
