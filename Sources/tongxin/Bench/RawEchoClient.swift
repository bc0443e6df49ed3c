import Foundation
import ZeroMQ

/// Calls a raw ZeroMQ echo (a ROUTER that sends every message back) from a DEALER on a
/// thread of its own: the floor any RPC layer is compared with.
enum RawEchoClient {
  static func run(endpoint: String, calls: Int, inFlight: Int) async throws -> LatencySample {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(with: Result { try measure(endpoint, calls, inFlight) })
      }
      thread.name = "bench-raw"
      thread.start()
    }
  }

  private static func measure(_ endpoint: String, _ calls: Int, _ inFlight: Int) throws
    -> LatencySample
  {
    let socket = try Socket(context: .benchContext, type: .dealer)
    defer { socket.close() }
    try socket.connect(endpoint)
    var payload = [UInt8](repeating: 0x2a, count: 64)
    // Warm the connection up before measuring.
    for _ in 0..<200 {
      try socket.send([payload])
      _ = try socket.receive()
    }
    var sentAt = [ContinuousClock.Instant](repeating: .now, count: calls)
    var latencies: [Duration] = []
    latencies.reserveCapacity(calls)
    var next = 0
    func sendNext() throws {
      withUnsafeBytes(of: UInt64(next).littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
      sentAt[next] = .now
      try socket.send([payload])
      next += 1
    }
    let start = ContinuousClock.now
    while next < min(inFlight, calls) { try sendNext() }
    while latencies.count < calls {
      guard let frames = try socket.receive(), let frame = frames.last, frame.count >= 8 else {
        continue
      }
      let index = frame.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
      latencies.append(.now - sentAt[index])
      if next < calls { try sendNext() }
    }
    return LatencySample(latencies: latencies, wall: .now - start)
  }
}

extension ZMQContext {
  /// The benchmark's own context, apart from the RPC client's.
  static let benchContext: ZMQContext = {
    do { return try ZMQContext() } catch { fatalError("cannot create a ZeroMQ context: \(error)") }
  }()
}
