import Foundation
import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire
import ZeroMQ

/// A raw ZeroMQ peer that speaks (or breaks) the wire protocol by hand.
final class RawPeer {
  let socket: Socket

  init(connectTo endpoint: String) throws {
    socket = try Socket(context: .tongxinShared, type: .dealer)
    try socket.setReceiveTimeout(.seconds(5))
    try socket.connect(endpoint)
  }

  deinit { socket.close() }

  func send(_ frames: [[UInt8]]) throws { try socket.send(frames) }

  /// The next response header, or nil when none came within 5 s.
  func response() throws -> Tongxin_Rpc_ResponseHeader? {
    guard let frames = try socket.receive(), frames.count == 2,
      frames[0].starts(with: head(0x03, []))
    else {
      return nil
    }
    return try Tongxin_Rpc_ResponseHeader(serializedBytes: Array(frames[0].dropFirst(10)))
  }

  static func request(service: String, method: String, callID: UInt64 = 7) -> [UInt8] {
    var header = Tongxin_Rpc_RequestHeader()
    header.callID = callID
    header.service = service
    header.method = method
    header.timeoutMs = 2_000
    return header.serializedBytes()
  }
}

/// Frame 0 as `PROTOCOL.md` spells it: the version, the command byte, the command's message.
func head(_ command: UInt8, _ body: [UInt8]) -> [UInt8] {
  Array("tongxin/2".utf8) + [command] + body
}

/// `frames` (without a routing id) read as a Tongxin message; nil when they are not one.
func wireMessage(_ frames: ArraySlice<[UInt8]>) -> WireMessage? {
  try? WireMessage(frames: frames)
}

@Suite("Bad input gets a clear status and harms nobody", .serialized)
struct BadInputTests {
  static let cases: [(String, [[UInt8]], StatusCode)] = [
    ("garbage", [Array("hello".utf8)], .invalidArgument),
    ("a tongxin/1 peer", [Array("tongxin/1".utf8), [0x01], [], []], .failedPrecondition),
    ("another protocol version", [Array("tongxin/3".utf8) + [0x01], []], .failedPrecondition),
    ("a head without a command", [Array("tongxin/2".utf8)], .invalidArgument),
    ("an unknown command", [head(0x7f, [])], .invalidArgument),
    ("a request without payload frame", [head(0x01, RawPeer.request(service: "echo", method: "Echo"))], .invalidArgument),
    ("an undecodable header", [head(0x01, [0xff, 0xff, 0xff]), []], .invalidArgument),
    ("a request for an unknown method", [head(0x01, RawPeer.request(service: "echo", method: "Nope")), []], .unimplemented),
    ("an undecodable payload", [head(0x01, RawPeer.request(service: "echo", method: "Echo")), [0x0a, 0xff]], .invalidArgument),
    ("an instance command from a caller", [head(0x10, [])], .invalidArgument),
    ("an oversized payload", [head(0x01, RawPeer.request(service: "echo", method: "Echo")), [UInt8](repeating: 1, count: 70_000)], .resourceExhausted),
  ]

  @Test("each bad message is answered and the gateway keeps serving", arguments: 0..<cases.count)
  func badMessage(index: Int) async throws {
    let (name, frames, expected) = Self.cases[index]
    let cluster = try TestCluster { $0.maxMessageSize = 65_536 }
    _ = try await cluster.startEcho(id: "echo-bad")
    let peer = try RawPeer(connectTo: cluster.broker.frontendEndpoint)
    try peer.send(frames)
    let header = try #require(try peer.response(), "no answer to \(name)")
    #expect(header.code == expected, "\(name): \(header.message)")
    #expect(!header.message.isEmpty)
    #expect(try await cluster.echo.echo(echoRequest("still here")).text == "still here")
    await cluster.shutdown()
  }

  @Test("reserved metadata is refused")
  func reservedMetadata() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-meta")
    let code = await RPCError.code {
      _ = try await cluster.echo.echo(
        echoRequest("forged"), options: CallOptions(metadata: ["tongxin-caller": "finance"]))
    }
    #expect(code == .invalidArgument)
    await cluster.shutdown()
  }

  @Test("a caller that disconnects mid-call leaves nothing pending")
  func callerVanishes() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-vanish")
    let peer = try RawPeer(connectTo: cluster.broker.frontendEndpoint)
    let work = Tongxin_Echo_WorkRequest.with { $0.milliseconds = 200 }
    try peer.send([head(0x01, RawPeer.request(service: "echo", method: "Work")), work.serializedBytes()])
    try await Task.sleep(for: .milliseconds(50))
    peer.socket.close()
    try await Task.sleep(for: .milliseconds(400))
    #expect(try await cluster.pendingCalls() == 0)
    #expect(try await cluster.echo.echo(echoRequest("others fine")).text == "others fine")
    await cluster.shutdown()
  }

  @Test("an instance that answers calls it never got, or twice, is ignored")
  func rogueInstanceReplies() async throws {
    let cluster = try TestCluster()
    _ = try await cluster.startEcho(id: "echo-good")
    let rogue = try RawPeer(connectTo: cluster.broker.backendEndpoint)
    var registration = Tongxin_Rpc_RegisterInstance()
    registration.service = "echo"
    registration.instanceID = "rogue"
    registration.maxConcurrency = 1
    registration.description_p = Tongxin_Echo_Echo.description
    try rogue.send([head(0x10, registration.serializedBytes())])
    try await cluster.waitForInstances { $0.contains("rogue") }
    var header = Tongxin_Rpc_ResponseHeader()
    header.callID = 987_654
    for _ in 0..<2 {
      try rogue.send([head(0x03, header.serializedBytes()), []])
    }
    try rogue.send([Array("tongxin/9".utf8) + [0x12]])
    try rogue.send([head(0x03, [])])
    // The rogue takes no calls, so it is dropped once silent; the good one serves all.
    try await cluster.waitForInstances { $0 == ["echo-good"] }
    for index in 0..<10 {
      #expect(try await cluster.echo.echo(echoRequest("\(index)")).instanceID == "echo-good")
    }
    #expect(try await cluster.pendingCalls() == 0)
    await cluster.shutdown()
  }

  @Test("a registration for the system service or without methods is refused")
  func badRegistration() async throws {
    let cluster = try TestCluster()
    let rogue = try RawPeer(connectTo: cluster.broker.backendEndpoint)
    var registration = Tongxin_Rpc_RegisterInstance()
    registration.service = "system"
    registration.instanceID = "impostor"
    registration.maxConcurrency = 1
    try rogue.send([head(0x10, registration.serializedBytes())])
    let frames = try #require(try rogue.socket.receive())
    #expect(frames.count == 1 && frames[0].starts(with: head(0x11, [])))
    let reply = try Tongxin_Rpc_RegisterReply(serializedBytes: Array(frames[0].dropFirst(10)))
    #expect(!reply.accepted)
    #expect(reply.message.contains("system"))
    await cluster.shutdown()
  }
}
