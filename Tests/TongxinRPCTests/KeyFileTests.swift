import Testing
import TongxinRPC

@Suite("Key files")
struct KeyFileTests {
  @Test("a key file that cannot be read is named with the system's reason")
  func unreadable() {
    let missing = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/service.key"
    let error = #expect(throws: KeyFileError.self) { _ = try KeyFile.read(missing) }
    #expect(error?.description == "cannot read key file \(missing): No such file or directory")
    let folder = #expect(throws: KeyFileError.self) { _ = try KeyFile.read("/tmp") }
    #expect(folder?.description == "cannot read key file /tmp: Is a directory")
  }
}
