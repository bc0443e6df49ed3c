import Foundation
import TongxinMessages
import TongxinProtobuf
import TongxinWire
import ZeroMQ

/// Calls from a DEALER on a thread of its own, one blocking loop, no RPC library: against a
/// raw ZeroMQ echo (a ROUTER that sends every message back) it is the floor any RPC layer is
/// compared with; speaking the wire protocol by hand to the gateway, it measures the gateway
/// and the instance without the costs of the Swift client.
enum RawEchoClient {
  /// What the client sends and how it finds the call an answer belongs to.
  enum Peer: Sendable {
    /// 64 bytes whose first 8 carry the call's index, sent back as they came.
    case rawEcho
    /// `echo.Echo` calls in Tongxin frames, the index in the call id.
    case tongxinGateway
  }

  static func run(endpoint: String, peer: Peer = .rawEcho, calls: Int, inFlight: Int)
    async throws -> LatencySample
  {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(with: Result { try measure(endpoint, peer, calls, inFlight) })
      }
      thread.name = "bench-raw"
      thread.start()
    }
  }

  private static func measure(_ endpoint: String, _ peer: Peer, _ calls: Int, _ inFlight: Int)
    throws -> LatencySample
  {
    let socket = try Socket(context: .benchContext, type: .dealer)
    defer { socket.close() }
    try socket.connect(endpoint)
    // Warm the connection up before measuring.
    for index in 0..<200 {
      try socket.send(peer.frames(index: index))
      _ = try socket.receive()
    }
    var sentAt = [ContinuousClock.Instant](repeating: .now, count: calls)
    var latencies: [Duration] = []
    latencies.reserveCapacity(calls)
    var next = 0
    func sendNext() throws {
      let frames = peer.frames(index: next)
      sentAt[next] = .now
      try socket.send(frames)
      next += 1
    }
    let start = ContinuousClock.now
    while next < min(inFlight, calls) { try sendNext() }
    while latencies.count < calls {
      guard let frames = try socket.receive(), let index = peer.index(of: frames),
        (0..<calls).contains(index)
      else { continue }
      latencies.append(.now - sentAt[index])
      if next < calls { try sendNext() }
    }
    return LatencySample(latencies: latencies, wall: .now - start)
  }
}

extension RawEchoClient.Peer {
  /// What the first frame of a request and of a response begins with (PROTOCOL.md): the
  /// version, then REQUEST or RESPONSE.
  private static let version = Array("tongxin/2".utf8)
  private static let requestHead = version + [0x01]
  private static let responseHead = version + [0x03]
  private static let echoPayload = Tongxin_Echo_EchoRequest.with {
    $0.payload = [UInt8](repeating: 0x2a, count: 64)
  }.serializedBytes()

  func frames(index: Int) -> [[UInt8]] {
    switch self {
    case .rawEcho:
      var payload = [UInt8](repeating: 0x2a, count: 64)
      withUnsafeBytes(of: UInt64(index).littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
      return [payload]
    case .tongxinGateway:
      var header = Tongxin_Rpc_RequestHeader()
      header.callID = UInt64(index) + 1
      header.service = "echo"
      header.method = "Echo"
      header.timeoutMs = 10_000
      return [Self.requestHead + header.serializedBytes(), Self.echoPayload]
    }
  }

  func index(of frames: [[UInt8]]) -> Int? {
    switch self {
    case .rawEcho:
      guard let frame = frames.last, frame.count >= 8 else { return nil }
      return frame.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
    case .tongxinGateway:
      let head = Self.responseHead
      guard frames.count == 2, frames[0].starts(with: head),
        let header = frames[0].withUnsafeBytes({ frame in
          try? Tongxin_Rpc_ResponseHeader(
            serializedBytes: UnsafeRawBufferPointer(rebasing: frame[head.count...]))
        }),
        header.code == .ok
      else { return nil }
      return Int(header.callID) - 1
    }
  }
}

extension ZMQContext {
  /// The benchmark's own context, apart from the RPC client's.
  static let benchContext: ZMQContext = {
    do { return try ZMQContext() } catch { fatalError("cannot create a ZeroMQ context: \(error)") }
  }()
}
