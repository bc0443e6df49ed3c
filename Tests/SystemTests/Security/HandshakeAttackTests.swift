import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

#if canImport(Glibc)
  import Glibc
#endif

/// Broken and replayed CurveZMQ handshakes reach nothing, and harm nobody else.
@Suite("Handshake attacks on the gateway", .timeLimit(.minutes(3)))
struct HandshakeAttackTests {
  /// The first bytes of a ZMTP 3 greeting (signature and version) and a whole CURVE one.
  static let signature: [UInt8] = [0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f]
  static let curveGreeting: [UInt8] =
    signature + [3, 0] + Array("CURVE".utf8) + [UInt8](repeating: 0, count: 15) + [0]
    + [UInt8](repeating: 0, count: 31)

  @Test("truncated greetings and a garbage HELLO are dropped; the gateway keeps serving")
  func truncatedHandshakes() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let echo = Tongxin_Echo_Echo.Client(wrapping: system.client)
      for attempt in [
        Array(Self.signature.prefix(4)), Self.signature, Self.curveGreeting,
        Self.curveGreeting + [0x04, 200] + Array("HELLO".utf8.prefix(3)),
        Self.curveGreeting + [0x04, 0xff] + [UInt8](repeating: 0xAA, count: 255),
      ] {
        for endpoint in [system.frontend, system.backend] {
          let fd = try RawTCP.connect(endpoint)
          RawTCP.send(fd, attempt)
          _ = RawTCP.receiveAvailable(fd)
          close(fd)
        }
        #expect(try await echo.echo(.with { $0.text = "仍在" }).text == "仍在")
      }
    }
  }

  @Test("a recorded handshake and call replayed on a new connection is not served")
  func replayedHandshake() async throws {
    try await LocalSystem.with(services: ["echo": 1]) { system in
      let relay = try RawTCP.RecordingRelay(to: system.frontend)
      let recorded = try system.makeClient { $0.endpoint = relay.endpoint }
      let echo = Tongxin_Echo_Echo.Client(wrapping: recorded)
      #expect(try await echo.echo(.with { $0.text = "录下" }).text == "录下")
      recorded.close()
      let bytes = relay.clientBytes
      #expect(bytes.count > 200)  // greeting, HELLO, INITIATE and the call

      let before = try await echoCalls(system)
      let fd = try RawTCP.connect(system.frontend)
      RawTCP.send(fd, bytes)
      let answer = RawTCP.receiveAvailable(fd)
      close(fd)
      try await Task.sleep(for: .milliseconds(500))
      #expect(try await echoCalls(system) == before, "the replayed call was served")
      // Whatever came back (a greeting and a WELCOME at most) holds no answer: the replayed
      // INITIATE carries a cookie the gateway no longer has.
      #expect(answer.count < 300, "\(answer.count) bytes came back")
      #expect(try await Tongxin_Echo_Echo.Client(wrapping: system.client).echo(.with { $0.text = "新" }).text == "新")
    }
  }

  private func echoCalls(_ system: LocalSystem) async throws -> UInt64 {
    let stats = try await Tongxin_System_System.Client(wrapping: system.client).getStats(.init())
    return stats.methods.filter { $0.service == "echo" && $0.method == "Echo" }.map(\.calls).reduce(0, +)
  }
}
