import Foundation
import Testing
import TongxinApp
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// Who may connect: keys the gateway lists, on the socket they are listed for.
@Suite("Authentication with CurveZMQ keys", .timeLimit(.minutes(3)))
struct AuthenticationTests {
  @Test("an unlisted key is refused with UNAUTHENTICATED and the refusal is logged with the key")
  func unlistedKey() async throws {
    let log = CapturedLog()
    try await LocalSystem.with(services: ["echo": 1], output: log.output) { system in
      let stranger = try CurveKeyPair.generate()
      let client = try system.makeClient {
        $0.security = CurveClientSecurity(
          keys: stranger, serverPublicKey: $0.security!.serverPublicKey)
      }
      defer { client.close() }
      let echo = Tongxin_Echo_Echo.Client(wrapping: client)
      let error = await #expect(throws: RPCError.self) {
        _ = try await echo.echo(.with { $0.text = "让我进去" }, options: CallOptions(timeout: .seconds(10)))
      }
      #expect(error?.code == .unauthenticated, "\(String(describing: error))")
      #expect(error?.message.contains("refused this key") == true)
      let line = await log.line(containing: "refused a connection", stranger.publicKey)
      #expect(line?.contains("peer=") == true || line?.contains("127.0.0.1") == true, "\(line ?? "no line")")
      // Everyone else is still served.
      let answer = try await Tongxin_Echo_Echo.Client(wrapping: system.client).echo(
        .with { $0.text = "同心" })
      #expect(answer.text == "同心")
    }
  }

  @Test("a plaintext caller gets nothing from a CURVE gateway, which keeps serving others")
  func plaintextPeer() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let plaintext = try system.makeClient { $0.security = nil }
      defer { plaintext.close() }
      let error = await #expect(throws: RPCError.self) {
        _ = try await Tongxin_Echo_Echo.Client(wrapping: plaintext).echo(
          .with { $0.text = "明文" }, options: CallOptions(timeout: .seconds(2)))
      }
      // Sent before the handshake fails, the call is lost with the connection and times out;
      // sent after it (a loaded machine), it finds no connection and is refused at once.
      #expect(
        [.deadlineExceeded, .unavailable].contains(error?.code), "\(String(describing: error))")
      let answer = try await Tongxin_Echo_Echo.Client(wrapping: system.client).echo(
        .with { $0.text = "密文" })
      #expect(answer.text == "密文")
    }
  }

  @Test("a department's key cannot register as a service instance")
  func departmentKeyAsInstance() async throws {
    let log = CapturedLog()
    try await LocalSystem.with(services: ["echo": 1], output: log.output) { system in
      let departmentKey = KeyLocations.department(LocalSystem.testDepartment, in: system.keysFolder)
      try system.startInstance(
        of: "echo", id: "echo-impostor", arguments: ["--key", departmentKey + ".key"])
      let refusal = await log.line(containing: "refused a connection", "not a service key")
      #expect(refusal != nil)
      let list = try await Tongxin_System_System.Client(wrapping: system.client).listServices(.init())
      let ids = list.services.flatMap(\.instances).map(\.instanceID)
      #expect(!ids.contains("echo-impostor"), "\(ids)")
    }
  }

  @Test("a service's key cannot register another service")
  func serviceKeyForAnotherService() async throws {
    let log = CapturedLog()
    try await LocalSystem.with(services: ["echo": 1], output: log.output) { system in
      let membershipKey = KeyLocations.service("membership", in: system.keysFolder)
      try system.startInstance(
        of: "echo", id: "echo-as-membership", arguments: ["--key", membershipKey + ".key"])
      let refusal = await log.line(
        containing: "refused a registration", "the key of service \"membership\" cannot register \"echo\"")
      #expect(refusal != nil)
    }
  }

  @Test("a key removed by a reload (SIGHUP) stops working for open and new connections")
  func reloadRevokesKey() async throws {
    let log = CapturedLog()
    try await LocalSystem.with(
      services: ["echo": 1], policy: SecurityPolicy.policy, output: log.output
    ) { system in
      let client = try system.makeClient(department: SecurityPolicy.readOnly)
      defer { client.close() }
      let echo = Tongxin_Echo_Echo.Client(wrapping: client)
      #expect(try await echo.echo(.with { $0.text = "一" }).text == "一")

      let publicKey = KeyLocations.department(SecurityPolicy.readOnly, in: system.keysFolder) + ".pub"
      try FileManager.default.removeItem(atPath: publicKey)
      system.gateway.signal(SIGHUP)
      #expect(await log.line(containing: "security reloaded") != nil)

      let open = await #expect(throws: RPCError.self) { _ = try await echo.echo(.with { $0.text = "二" }) }
      #expect(open?.code == .unauthenticated, "\(String(describing: open))")
      let fresh = try system.makeClient(department: SecurityPolicy.readOnly)
      defer { fresh.close() }
      let new = await #expect(throws: RPCError.self) {
        _ = try await Tongxin_Echo_Echo.Client(wrapping: fresh).echo(
          .with { $0.text = "三" }, options: CallOptions(timeout: .seconds(10)))
      }
      #expect(new?.code == .unauthenticated, "\(String(describing: new))")
      // The test department's key still works.
      #expect(try await Tongxin_Echo_Echo.Client(wrapping: system.client).echo(.with { $0.text = "四" }).text == "四")
    }
  }
}
