import Foundation
import Synchronization
import Testing
import TongxinRPC
import ZeroMQ

@Suite("An outbox sends what it holds at the end of the loop's turn", .timeLimit(.minutes(1)))
struct OutboxTests {
  @Test("held messages leave in order once the turn ends; a failed send is reported, not lost")
  func heldUntilTheTurnEnds() throws {
    let context = try ZMQContext()
    let endpoint = "inproc://outbox-\(UInt64.random(in: 0...UInt64.max))"
    let loop = PollLoop(name: "outbox-test")
    defer { loop.stop() }
    let router = try loop.runAndWait {
      let router = try Socket(context: context, type: .router)
      try router.setRouterMandatory(true)
      try router.bind(endpoint)
      return router
    }
    let peer = try Socket(context: context, type: .dealer)
    defer { peer.close() }
    try peer.setRoutingID([7])
    try peer.connect(endpoint)
    // The router knows the peer once it has heard from it.
    try peer.send([[0x68, 0x69]])
    #expect(try loop.runAndWait { try Self.receive(router)?.last } == [0x68, 0x69])

    let failures = Mutex<[String]>([])
    let receivedInTheTurn = try loop.runAndWait {
      let outbox = Outbox(socket: router, loop: loop) { command, error in
        failures.withLock { $0.append("\(command) \(error.code == EHOSTUNREACH)") }
      }
      outbox.send(.response, [1], payload: [10], to: [7])
      outbox.send(.response, [2], payload: [20], to: [9])  // nobody: EHOSTUNREACH
      outbox.send(.heartbeat, [3], to: [7])
      return try peer.receive(dontWait: true)
    }
    #expect(receivedInTheTurn == nil, "sent before the turn ended")
    let version = Array(WireProtocol.version.utf8)
    #expect(try Self.receive(peer) == [version + [0x03, 1], [10]])
    #expect(try Self.receive(peer) == [version + [0x12, 3]])
    try loop.runAndWait { router.close() }
    #expect(failures.withLock { $0 } == ["response true"])
  }

  /// The next message on `socket`, waiting up to 10 s.
  private static func receive(_ socket: Socket) throws -> [[UInt8]]? {
    var items = [PollItem(socket: socket)]
    try ZMQ.poll(&items, timeout: .seconds(10))
    return try socket.receive(dontWait: true)
  }
}
