import Testing

@testable import ZeroMQ

@Suite(.timeLimit(.minutes(1))) struct ThreadSchedulingTests {
  @Test(arguments: [ThreadScheduling.batch, .normal])
  func aLoopThreadRunsAsItsSchedulingSays(scheduling: ThreadScheduling) throws {
    let loop = PollLoop(name: "zt-sched", scheduling: scheduling)
    defer { loop.stop() }
    let seen = Locked<ThreadScheduling?>(nil)
    let done = Signal()
    loop.execute {
      seen.update { $0 = ThreadScheduling.ofThisThread }
      done.signal()
    }
    #expect(done.wait())
    #expect(seen.value == scheduling)
  }

  @Test func batchUnlessTheEnvironmentSaysNormal() {
    #expect(ThreadScheduling(environment: nil) == .batch)
    #expect(ThreadScheduling(environment: "batch") == .batch)
    #expect(ThreadScheduling(environment: "normal") == .normal)
    #expect(ThreadScheduling(environment: "Normal") == .normal)
    #expect(ThreadScheduling(environment: "fifo") == .batch)
  }
}
