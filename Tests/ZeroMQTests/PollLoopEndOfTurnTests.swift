import Testing

@testable import ZeroMQ

@Suite(.timeLimit(.minutes(1))) struct PollLoopEndOfTurnTests {
  @Test func workLeftForTheEndOfTheTurnRunsAfterTheTurnsWorkAndTimersBeforeTheNextTurn() throws {
    let loop = PollLoop(name: "zt-turn-end")
    defer { loop.stop() }
    let order = Locked<[String]>([])
    let done = Signal()
    loop.execute {
      loop.atEndOfTurn {
        order.update { $0.append("end") }
        loop.atEndOfTurn { order.update { $0.append("left by the end") } }
      }
      // Queued from the loop thread: the next turn's work.
      loop.execute {
        order.update { $0.append("next turn") }
        done.signal()
      }
      loop.schedule(after: .zero) { order.update { $0.append("timer") } }
      order.update { $0.append("work") }
    }
    #expect(done.wait())
    #expect(order.value == ["work", "timer", "end", "left by the end", "next turn"])
  }

  @Test func workLeftByAHandlerRunsBeforeTheLoopWaitsAgain() throws {
    let context = try ZMQContext()
    let endpoint = "inproc://turn-end-\(UInt64.random(in: 0...UInt64.max))"
    let loop = PollLoop(name: "zt-turn-end-h")
    defer { loop.stop() }
    let ran = Signal()
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    loop.execute {
      loop.register(pull) {
        while (try? pull.receive(dontWait: true)) != nil {}
        loop.atEndOfTurn { ran.signal() }
      }
    }
    let push = try Socket(context: context, type: .push)
    defer { push.close() }
    try push.connect(endpoint)
    try push.send([[1]])
    // Nothing else happens: a loop that polled before running it would wait forever.
    #expect(ran.wait(seconds: 10))
  }

  @Test func stoppingRunsWhatTheLastTurnLeft() throws {
    let loop = PollLoop(name: "zt-turn-end-s")
    let ran = Locked(false)
    loop.execute { loop.atEndOfTurn { ran.update { $0 = true } } }
    loop.stop()
    loop.join()
    #expect(ran.value)
  }
}
