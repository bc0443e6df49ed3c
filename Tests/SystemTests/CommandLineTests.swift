import Foundation
import Synchronization
import Testing
import TongxinApp
import TongxinMessages
import TongxinProcesses
import TongxinRPC
import TongxinTesting

/// Runs `tongxin` with `arguments` and returns its exit status and everything it printed.
func tongxin(_ arguments: [String]) async throws -> (status: Int32, output: String) {
  let output = Mutex<[String]>([])
  let child = try ChildProcess(
    name: "tongxin", executable: Executables.url("tongxin"), arguments: arguments
  ) { line in output.withLock { $0.append(line) } }
  let status = await child.waitForExit()
  // The last lines may still be on their way through the pipe.
  try await Task.sleep(for: .milliseconds(100))
  return (status, output.withLock { $0.joined(separator: "\n") })
}

@Suite("The tongxin command line", .serialized)
struct CommandLineTests {
  @Test("call sends JSON and prints the JSON answer")
  func callWithGoodJSON() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let result = try await tongxin(
        ["call"] + system.commandLineArguments()
          + ["echo.Echo", #"{"text": "同心", "payload": "AAEC"}"#])
      #expect(result.status == 0)
      let answer = try JSONDecoder().decode(
        Tongxin_Echo_EchoResponse.self, from: Data(result.output.utf8))
      #expect(answer.text == "同心")
      #expect(answer.payload == [0, 1, 2])
    }
  }

  @Test(
    "call explains bad JSON instead of calling",
    arguments: [
      (#"{"txt": "x"}"#, #"unknown field "txt""#),
      (#"{"text": 5}"#, #"field "text""#),
      (#"{"text": "#, "not a valid tongxin.echo.EchoRequest"),
    ])
  func callWithBadJSON(json: String, explanation: String) async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let result = try await tongxin(["call"] + system.commandLineArguments() + ["echo.Echo", json])
      #expect(result.status != 0)
      #expect(result.output.contains(explanation), "\(result.output)")
      let stats = try await Tongxin_System_System.Client(wrapping: system.client)
        .getStats(.init())
      #expect(!stats.methods.contains { $0.service == "echo" }, "a bad request was sent anyway")
    }
  }

  @Test("call names an unknown method and its status on failure")
  func callFailures() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let unknown = try await tongxin(["call"] + system.commandLineArguments() + ["echo.Ech"])
      #expect(unknown.status != 0)
      #expect(unknown.output.contains("has no method \"Ech\""))
      let failing = try await tongxin(
        ["call"] + system.commandLineArguments()
          + ["echo.Fail", #"{"code": "STATUS_CODE_NOT_FOUND", "message": "nobody"}"#])
      #expect(failing.status != 0)
      #expect(failing.output.contains("NOT_FOUND: nobody"))
    }
  }

  @Test("keygen writes a Z85 pair, the secret one readable by its owner only, and keeps it")
  func keygen() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-keygen-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let base = folder.appendingPathComponent("departments/front-desk").path
    let made = try await tongxin(["keygen", base])
    #expect(made.status == 0, "\(made.output)")
    let attributes = try FileManager.default.attributesOfItem(atPath: base + ".key")
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let pair = try CurveKeyPair.load(secretKeyFile: base + ".key")
    #expect(try KeyFile.read(base + ".pub") == pair.publicKey)
    #expect(made.output.contains(pair.publicKey))
    let again = try await tongxin(["keygen", base])
    #expect(again.status != 0)
    #expect(again.output.contains("--force"))
    #expect(try CurveKeyPair.load(secretKeyFile: base + ".key") == pair)
  }
}
