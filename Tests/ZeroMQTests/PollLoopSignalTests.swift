import Foundation
import Testing

@testable import ZeroMQ

/// A signal with a handler interrupts the system call its thread is in. In the `poll` libzmq
/// makes on a socket's mailbox when asked for `ZMQ_EVENTS`, that fails the ask with EINTR:
/// the loop must ask again, not end (it once ended, leaving the process up and deaf).
@Suite(.timeLimit(.minutes(1))) struct PollLoopSignalTests {
  @Test func signalsDuringTrafficDoNotEndTheLoop() throws {
    let previous = signal(SIGUSR1) { _ in }
    defer { signal(SIGUSR1, previous) }
    let loop = PollLoop(name: "zt-signals")
    defer { loop.stop() }
    let context = try ZMQContext()
    let endpoint = uniqueInproc("signals")
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    let received = Locked(0)
    let loopThread = Locked<pthread_t>(0)
    loop.execute {
      // A loop started from a Dispatch thread inherits a mask that blocks most signals; one
      // started from a plain thread does not.
      var unblock = sigset_t()
      sigemptyset(&unblock)
      sigaddset(&unblock, SIGUSR1)
      pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
      loopThread.update { $0 = pthread_self() }
      // One message per call: the loop asks the socket for its events on every turn.
      loop.register(pull) {
        if (try? pull.receive(dontWait: true)) != nil { received.update { $0 += 1 } }
      }
    }
    #expect(eventually { loopThread.value != 0 })
    let interrupting = Locked(true)
    let interrupterDone = Signal()
    let interrupter = Thread { [thread = loopThread.value] in
      // Often enough to land inside libzmq's polls many times, not so often that the loop
      // thread does nothing but run the handler.
      while interrupting.value {
        pthread_kill(thread, SIGUSR1)
        usleep(50)
      }
      interrupterDone.signal()
    }
    interrupter.start()
    // Before the loop stops and the handler goes, the loop thread blocks the signal again: one
    // still pending when the handler is gone would end the whole test process (CI saw it).
    // The loop thread enters the kernel to pick up the block below, and that delivers what is
    // pending while the handler is still there; what comes after stays blocked.
    defer {
      interrupting.update { $0 = false }
      _ = interrupterDone.wait(seconds: 5)
      let blocked = Signal()
      _ = loop.execute {
        var block = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGUSR1)
        pthread_sigmask(SIG_BLOCK, &block, nil)
        blocked.signal()
      }
      _ = blocked.wait(seconds: 5)
    }
    let push = try Socket(context: context, type: .push)
    // Fails the test instead of blocking, at the high-water mark or at the context's end,
    // once nobody reads.
    try push.setSendTimeout(.seconds(5))
    try push.setLinger(.zero)
    try push.connect(endpoint)
    let messages = 50_000
    for _ in 0..<messages where (try? push.send([[1]])) == nil { break }
    #expect(eventually(seconds: 20) { received.value == messages })
    #expect(loop.terminationError == nil)
  }
}
