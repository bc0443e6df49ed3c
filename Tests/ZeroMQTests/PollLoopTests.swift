import Dispatch
import Foundation
import Testing

@testable import ZeroMQ

// Every wait is bounded, so that a loop that never wakes fails these tests instead of hanging.
@Suite(.timeLimit(.minutes(1))) struct PollLoopTests {
  @Test func executeFromManyThreadsAndTasksRunsEachOnceInOrder() async throws {
    let loop = PollLoop(name: "zt-order")
    defer { loop.stop() }
    let perSubmitter = 500
    let threads = 4
    let tasks = 4
    // seen[submitter] lists the sequence numbers in the order the loop ran them.
    let seen = Locked<[Int: [Int]]>([:])
    let offLoop = Locked(0)
    let submit = { @Sendable (submitter: Int, sequence: Int) -> Void in
      loop.execute {
        if !loop.isOnLoopThread { offLoop.update { $0 += 1 } }
        seen.update { $0[submitter, default: []].append(sequence) }
      }
    }
    DispatchQueue.concurrentPerform(iterations: threads) { submitter in
      for sequence in 0..<perSubmitter { submit(submitter, sequence) }
    }
    await withTaskGroup(of: Void.self) { group in
      for submitter in threads..<(threads + tasks) {
        group.addTask {
          for sequence in 0..<perSubmitter {
            submit(submitter, sequence)
            if sequence % 50 == 0 { await Task.yield() }
          }
        }
      }
    }
    // Work queued from the loop thread runs after what was queued before it.
    let nested = Locked<[String]>([])
    loop.execute {
      loop.execute { nested.update { $0.append("inner") } }
      nested.update { $0.append("outer") }
    }
    // Twice: "inner" is queued after the first barrier.
    for _ in 0..<2 {
      let barrier = Signal()
      loop.execute { barrier.signal() }
      #expect(barrier.wait())
    }
    let result = seen.value
    #expect(result.count == threads + tasks)
    for submitter in 0..<(threads + tasks) {
      #expect(result[submitter] == Array(0..<perSubmitter), "submitter \(submitter)")
    }
    #expect(offLoop.value == 0)
    #expect(!loop.isOnLoopThread)
    #expect(nested.value == ["outer", "inner"])
  }

  @Test func pingPongNeverLosesAWakeUp() throws {
    let loop = PollLoop(name: "zt-pingpong")
    defer { loop.stop() }
    let pong = Signal()
    // Each round trip empties the queue, so each execute must wake the loop again.
    var lost = 0
    for _ in 0..<2000 {
      loop.execute { pong.signal() }
      if !pong.wait(seconds: 1) {
        lost += 1
        break
      }
    }
    #expect(lost == 0)
  }

  @Test func registeredSocketHandlerFiresAndCanCloseItsSocket() throws {
    let loop = PollLoop(name: "zt-register")
    defer { loop.stop() }
    let context = try ZMQContext()
    let endpoint = uniqueInproc("register")
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    let received = Locked<[[[UInt8]]]>([])
    let done = Signal()
    // `pull` is not Sendable: execute takes the closure as `sending`, and the test never
    // touches it again.
    loop.execute {
      loop.register(pull) {
        while let message = try? pull.receive(dontWait: true) {
          received.update { $0.append(message) }
        }
        if received.value.count == 3 {
          pull.close()  // unregisters it first
          done.signal()
        }
      }
    }
    let push = try Socket(context: context, type: .push)
    try push.connect(endpoint)
    for index in 0..<3 { try push.send([[UInt8(index)], []]) }
    #expect(done.wait())
    #expect(received.value == [[[0], []], [[1], []], [[2], []]])
    // The loop survives its socket being closed from a handler.
    let alive = Signal()
    loop.execute { alive.signal() }
    #expect(alive.wait())
  }

  @Test func rawDescriptorHandlerFires() throws {
    let loop = PollLoop(name: "zt-fd")
    defer { loop.stop() }
    let waker = try Waker()
    let fired = Signal()
    loop.execute {
      loop.register(fd: waker.fileDescriptor) {
        waker.drain()
        loop.unregister(fd: waker.fileDescriptor)
        fired.signal()
      }
    }
    waker.signal()
    #expect(fired.wait())
  }

  @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() throws {
    let loop = PollLoop(name: "zt-timers")
    defer { loop.stop() }
    let fired = Locked<[String]>([])
    let early = Locked<[String]>([])
    let done = Signal()
    loop.execute {
      let start = ContinuousClock.now
      func timer(_ label: String, _ ms: Int) -> TimerID {
        loop.schedule(after: .milliseconds(ms)) {
          if ContinuousClock.now - start < .milliseconds(ms) { early.update { $0.append(label) } }
          fired.update { $0.append(label) }
        }
      }
      _ = timer("30", 30)
      _ = timer("10", 10)
      _ = timer("20a", 20)
      _ = timer("20b", 20)
      let cancelled = timer("15", 15)
      let cancelledByTimer = timer("25", 25)
      loop.schedule(after: .milliseconds(12)) {
        fired.update { $0.append("12 cancels 25") }
        loop.cancel(cancelledByTimer)
      }
      let first = loop.cancel(cancelled)
      let second = loop.cancel(cancelled)
      fired.update { $0.append("cancel \(first) \(second)") }
      loop.schedule(after: .milliseconds(40)) { done.signal() }
    }
    #expect(done.wait())
    #expect(fired.value == ["cancel true false", "10", "12 cancels 25", "20a", "20b", "30"])
    #expect(early.value == [])
  }

  @Test func stopRunsEarlierWorkThenJoinReturnsAndTheThreadEnds() throws {
    let name = "zt-stop-\(Int.random(in: 1000...9999))"
    let loop = PollLoop(name: name)
    // The thread is named from inside it, once it runs (what it runs is checked below).
    let named = Signal()
    loop.execute { if osThreadNames().contains(name) { named.signal() } }
    #expect(named.wait(seconds: 10))
    let ran = Locked<[Int]>([])
    for index in 0..<100 { loop.execute { ran.update { $0.append(index) } } }
    loop.stop()
    loop.stop()
    let joined = Signal()
    Thread {
      loop.join()
      joined.signal()
    }.start()
    #expect(joined.wait())
    #expect(ran.value == Array(0..<100))
    #expect(loop.isStopped)
    #expect(loop.terminationError == nil)
    #expect(!loop.execute {})
    if loop.isStopped { loop.join() }  // returns at once once stopped
    #expect(eventually { !osThreadNames().contains(name) })
  }

  @Test func aLongNameIsCutToFifteenBytesOnACharacterBoundary() throws {
    // Linux keeps 15 bytes of a thread's name. 同 and 心 take 3 bytes each: the first name
    // is 19 bytes long, and in the second, 同 spans bytes 14 to 16, so it goes whole.
    let cases = ["同心-poll-loop-12": "同心-poll-loo", "poll-loop-abc同心": "poll-loop-abc"]
    for (name, shown) in cases {
      let loop = PollLoop(name: name)
      defer { loop.stop() }
      let seen = Locked<String?>(nil)
      let named = Signal()
      loop.execute {
        seen.update { $0 = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8) }
        named.signal()
      }
      #expect(named.wait(seconds: 10))
      #expect(seen.value?.trimmingCharacters(in: .newlines) == shown)
    }
  }

  @Test func waitUntilStoppedResumesWhenStoppedFromTheLoop() async throws {
    let loop = PollLoop(name: "zt-await")
    // Awaited, not waited for with a semaphore: blocking one of the two cooperative threads
    // here could starve the very task that is to resume.
    let waiter = Task { await loop.waitUntilStopped() }
    loop.execute { loop.stop() }
    let stopped = await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await waiter.value
        return true
      }
      group.addTask {
        try? await Task.sleep(for: .seconds(20))
        return false
      }
      let first = await group.next() ?? false
      group.cancelAll()
      return first
    }
    #expect(stopped)
    #expect(loop.isStopped)
    await loop.waitUntilStopped()  // returns at once once stopped
  }

  @Test func contextShutdownEndsTheLoopWithETERM() throws {
    let loop = PollLoop(name: "zt-eterm")
    defer { loop.stop() }
    let context = try ZMQContext()
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(uniqueInproc("eterm-loop"))
    let registered = Signal()
    let calls = Locked(0)
    loop.execute {
      loop.register(pull) { calls.update { $0 += 1 } }
      registered.signal()
    }
    #expect(registered.wait())
    #expect(!loop.isStopped)
    context.shutdown()
    #expect(eventually { loop.isStopped })
    #expect(loop.terminationError?.isTerminated == true)
    #expect(calls.value == 0)
  }
}
