import Foundation
import Testing

@testable import ZeroMQ

@Suite struct SocketTests {
  @Test func multipartRoundTripDealerToRouterIsNeverTruncated() throws {
    let context = try ZMQContext()
    let router = try Socket(context: context, type: .router)
    try router.setReceiveTimeout(.seconds(5))
    try router.bind("tcp://127.0.0.1:*")
    let endpoint = try router.lastEndpoint
    let port = Int(endpoint.split(separator: ":").last ?? "") ?? 0
    #expect(endpoint.hasPrefix("tcp://127.0.0.1:") && port > 0)

    let dealer = try Socket(context: context, type: .dealer)
    try dealer.setRoutingID(Array("dealer-1".utf8))
    try dealer.setReceiveTimeout(.seconds(5))
    try dealer.connect(endpoint)

    let big = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
    let frames: [[UInt8]] = [[], Array("header".utf8), big, [], [0]]
    try dealer.send(frames)

    let request = try #require(try router.receive())
    #expect(request.map(\.count) == [8, 0, 6, 5 << 20, 0, 1])
    let intact = request.first == Array("dealer-1".utf8) && Array(request.dropFirst()) == frames
    #expect(intact)

    try router.send(frames: request)
    let reply = try #require(try dealer.receive())
    let echoed = reply == frames
    #expect(echoed)
    #expect(try dealer.receive(dontWait: true) == nil)
  }

  @Test func rawBuffersAndCollectionsSendAsFrames() throws {
    let context = try ZMQContext()
    let endpoint = uniqueInproc("buffers")
    let pull = try Socket(context: context, type: .pull)
    try pull.setReceiveTimeout(.seconds(2))
    try pull.bind(endpoint)
    let push = try Socket(context: context, type: .push)
    try push.connect(endpoint)

    let first: [UInt8] = [1, 2, 3]
    let second: [UInt8] = []
    try first.withUnsafeBytes { a in
      try second.withUnsafeBytes { b in try push.send(buffers: [a, b]) }
    }
    #expect(try pull.receive() == [[1, 2, 3], []])

    try push.send(frames: ArraySlice([[4], [5, 6]] as [[UInt8]]))
    #expect(try pull.receive() == [[4], [5, 6]])

    // Two arrays joined in one frame, either of them empty.
    try push.send(part: [7, 8], [9], more: true)
    try push.send(part: [10], [], more: true)
    try push.send(part: [], [], more: false)
    #expect(try pull.receive() == [[7, 8, 9], [10], []])
  }

  @Test func routerMandatoryReportsUnknownPeers() throws {
    let context = try ZMQContext()
    let lenient = try Socket(context: context, type: .router)
    try lenient.bind(uniqueInproc("lenient"))
    // libzmq's default: the message vanishes without an error.
    try lenient.send([Array("nobody".utf8), [1]])

    let strict = try Socket(context: context, type: .router)
    try strict.setRouterMandatory(true)
    try strict.bind(uniqueInproc("strict"))
    do {
      try strict.send([Array("nobody".utf8), [1]])
      Issue.record("sending to an unknown peer succeeded")
    } catch {
      #expect(error.isHostUnreachable)
      #expect(error.code == EHOSTUNREACH)
    }
  }

  @Test func oversizedMessageIsDroppedAndLaterConnectionsStillWork() throws {
    let context = try ZMQContext()
    let pull = try Socket(context: context, type: .pull)
    try pull.setMaxMessageSize(1000)
    #expect(try pull.maxMessageSize == 1000)
    try pull.bind("tcp://127.0.0.1:*")
    let endpoint = try pull.lastEndpoint

    let oversized = try Socket(context: context, type: .push)
    try oversized.connect(endpoint)
    try oversized.send([[UInt8](repeating: 7, count: 2000)])
    var items = [PollItem(socket: pull)]
    #expect(try ZMQ.poll(&items, timeout: .milliseconds(300)) == 0)
    #expect(!items[0].isReady())
    #expect(try pull.receive(dontWait: true) == nil)
    oversized.close()

    let small = try Socket(context: context, type: .push)
    try small.connect(endpoint)
    try small.send([[1, 2, 3]])
    try pull.setReceiveTimeout(.seconds(2))
    #expect(try pull.receive() == [[1, 2, 3]])
  }

  @Test func optionsReadBackWhatWasSet() throws {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .dealer)
    #expect(try socket.linger == .zero)  // our default, not libzmq's -1
    try socket.setLinger(nil)
    #expect(try socket.linger == nil)
    try socket.setLinger(.microseconds(1500))  // rounded up, never down to "no wait"
    #expect(try socket.linger == .milliseconds(2))
    try socket.setSendHighWaterMark(42)
    try socket.setReceiveHighWaterMark(43)
    #expect(try socket.sendHighWaterMark == 42)
    #expect(try socket.receiveHighWaterMark == 43)
    #expect(try socket.receiveTimeout == nil)
    try socket.setSendTimeout(.milliseconds(250))
    #expect(try socket.sendTimeout == .milliseconds(250))
    try socket.setReconnectInterval(.milliseconds(50))
    try socket.setReconnectIntervalMax(.seconds(2))
    #expect(try socket.reconnectInterval == .milliseconds(50))
    #expect(try socket.reconnectIntervalMax == .seconds(2))
    try socket.setImmediate(true)
    #expect(try socket.immediate)
    try socket.setRoutingID([1, 2, 3])
    #expect(try socket.routingID == [1, 2, 3])
    try socket.setHeartbeatInterval(.seconds(1))
    try socket.setHeartbeatTimeout(.seconds(3))
    try socket.setHeartbeatTTL(.seconds(10))
    #expect(try socket.heartbeatInterval == .seconds(1))
    #expect(try socket.heartbeatTimeout == .seconds(3))
    #expect(try socket.heartbeatTTL == .seconds(10))
    #expect(try socket.tcpKeepAlive == nil)
    try socket.setTCPKeepAlive(true)
    #expect(try socket.tcpKeepAlive == true)
    try socket.setZAPDomain("tongxin")
    #expect(try socket.zapDomain == "tongxin")
    try socket.setProbeRouter(true)
    #expect(try socket.fileDescriptor >= 0)
    #expect(try socket.events == [])  // nothing to read, no peer to write to

    let keys = try ZMQ.curveKeyPair()
    try socket.setCurveServerKey(keys.publicKey)
    #expect(try socket.curveServerKey == keys.publicKey)
    #expect(throws: ZMQError(code: EINVAL, operation: "zmq_setsockopt(ZMQ_CURVE_SERVERKEY)")) {
      try socket.setCurveServerKey("too short")
    }

    let router = try Socket(context: context, type: .router)
    try router.setRouterHandover(true)
    try router.setRouterMandatory(true)
    try router.setPlainServer(true)
    #expect(try router.plainServer)
  }

  @Test func curveClientTalksToCurveServer() throws {
    let context = try ZMQContext()
    let server = try ZMQ.curveKeyPair()
    let client = try ZMQ.curveKeyPair()

    let router = try Socket(context: context, type: .router)
    try router.setCurveServer(true)
    try router.setCurveSecretKey(server.secretKey)
    #expect(try router.curveServer)
    try router.setReceiveTimeout(.seconds(2))
    try router.bind("tcp://127.0.0.1:*")

    let dealer = try Socket(context: context, type: .dealer)
    try dealer.setCurvePublicKey(client.publicKey)
    try dealer.setCurveSecretKey(client.secretKey)
    try dealer.setCurveServerKey(server.publicKey)
    #expect(try dealer.curvePublicKey == client.publicKey)
    try dealer.connect(try router.lastEndpoint)
    try dealer.send([Array("secret".utf8)])
    let message = try #require(try router.receive())
    #expect(message.last == Array("secret".utf8))
  }
}
