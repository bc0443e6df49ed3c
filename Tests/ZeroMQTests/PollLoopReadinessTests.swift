import Testing

@testable import ZeroMQ

/// The loop polls each socket's `ZMQ_FD`, which libzmq signals only for what arrives after the
/// socket last said it had nothing. These are the cases where a message is there and the
/// descriptor says nothing: the loop must find it anyway.
@Suite(.timeLimit(.minutes(1))) struct PollLoopReadinessTests {
  @Test func messagesQueuedBeforeRegistrationAreHandled() throws {
    let loop = PollLoop(name: "zt-queued")
    defer { loop.stop() }
    let context = try ZMQContext()
    let endpoint = uniqueInproc("queued")
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    let push = try Socket(context: context, type: .push)
    try push.connect(endpoint)
    for index in 0..<5 { try push.send([[UInt8(index)]]) }
    // Received once by the test thread first: its descriptor has fired and been read, so only
    // asking the socket finds the four left.
    #expect(try pull.receive() == [[0]])
    let received = Locked(0)
    loop.execute {
      loop.register(pull) {
        while (try? pull.receive(dontWait: true)) != nil { received.update { $0 += 1 } }
      }
    }
    #expect(eventually { received.value == 4 })
  }

  @Test func aHandlerThatTakesOneMessageAtATimeIsCalledUntilNoneIsLeft() throws {
    let loop = PollLoop(name: "zt-one-by-one")
    defer { loop.stop() }
    let context = try ZMQContext()
    let endpoint = uniqueInproc("one-by-one")
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    let received = Locked(0)
    loop.execute {
      loop.register(pull) {
        if (try? pull.receive(dontWait: true)) != nil { received.update { $0 += 1 } }
      }
    }
    let push = try Socket(context: context, type: .push)
    try push.connect(endpoint)
    for _ in 0..<100 { try push.send([[1]]) }
    #expect(eventually { received.value == 100 })
  }

  /// Sending on a socket lets libzmq process the commands waiting for it, among them the one
  /// that would have fired its descriptor for a new message. An echo that answers on the
  /// socket it reads from, one message per wake-up, loses nothing.
  @Test func repliesSentOnTheReadSocketLoseNoWakeUp() throws {
    let loop = PollLoop(name: "zt-echo")
    defer { loop.stop() }
    let context = try ZMQContext()
    let endpoint = uniqueInproc("echo")
    let router = try Socket(context: context, type: .router)
    try router.bind(endpoint)
    let dealer = try Socket(context: context, type: .dealer)
    try dealer.connect(endpoint)
    // The router learns the dealer's routing id from its first message.
    try dealer.send([[0]])
    try router.setReceiveTimeout(.seconds(5))
    let peer = try #require(try router.receive())[0]
    loop.execute {
      loop.register(dealer) {
        guard let message = try? dealer.receive(dontWait: true) else { return }
        try? dealer.send(message)
      }
    }
    var answered = 0
    for round in 0..<200 {
      // Bursts of several messages, so that some arrive while the loop is sending.
      for index in 0..<5 { try router.send([peer, [UInt8(round % 256), UInt8(index)]]) }
      for _ in 0..<5 {
        guard (try? router.receive()) != nil else { break }
        answered += 1
      }
    }
    #expect(answered == 1000)
  }
}
