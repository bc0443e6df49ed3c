import CZeroMQ
import Dispatch
import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A dedicated thread that owns sockets, polls them and runs their handlers, timers and
/// queued work, so that no Swift task ever blocks in libzmq.
///
/// Thread-safe: `execute`, `stop`, `join`, `waitUntilStopped`, `isOnLoopThread`, `isStopped`
/// and `terminationError`. Everything else (`register`, `unregister`, `schedule`, `cancel`)
/// must be called on the loop thread, from a handler, a timer or work given to `execute`; it
/// checks that with a precondition. Sockets used by the loop belong to its thread.
///
/// One iteration runs the queued work, then the due timers, then what was left for the end of
/// the turn (`atEndOfTurn`), then polls the registered sockets and descriptors with the Waker
/// (until the next timer, or not at all if work is queued) and calls the handlers of those
/// that are readable. Work runs in the order it was queued, timers by deadline and then in
/// the order scheduled.
///
/// It polls with `poll(2)` on each socket's `ZMQ_FD`, not with `zmq_poll`. libzmq signals that
/// descriptor only for what arrives after the socket last said it had nothing, so the loop
/// asks a socket for `ZMQ_EVENTS` only when its descriptor fired or when something was done
/// with it since it last said it had nothing (`Socket.mayHaveInput`). `zmq_poll` asks every
/// socket twice per wait, before and after blocking, each time at the price of two system
/// calls: a broker forwarding one call at a time made 38 system calls per call with it, and
/// makes 27 with this loop.
///
/// The loop runs until `stop()`, or until the context of a registered socket is shut down
/// (`terminationError` is then ETERM). Dropping the last reference does not stop it. Once
/// stopped, registered sockets are unregistered and released on the loop thread (which
/// closes them unless their owner keeps a reference: closing is the owner's job), and pending
/// timers are dropped without running.
// The closures and sockets it stores are not Sendable; they are only touched on the loop
// thread (checked by preconditions), and what is shared sits behind a Mutex or an Atomic.
public final class PollLoop: @unchecked Sendable {
  /// Work on its way to the loop thread.
  // Unchecked: `execute` takes the closure as `sending`, so the caller keeps no access to what
  // it captures, and from then on only the loop thread touches it.
  // A task's job is kept as is rather than wrapped in a closure: one allocation less for every
  // job a task executor preference sends here (each handler call, each resumed caller).
  private enum Work: @unchecked Sendable {
    case closure(() -> Void)
    case job(UnownedJob)
  }

  private struct Shared {
    /// Work queued by `execute`, not yet taken by the loop.
    var queue: [Work] = []
    /// Set once the loop has run its last work: `execute` refuses work from then on.
    var closed = false
    /// Set once the loop has released everything: `join` may return.
    var finished = false
    var waiters: [@Sendable () -> Void] = []
    var terminationError: ZMQError?
  }

  private struct Registration {
    /// nil for a raw file descriptor. Strong: a registered socket stays open.
    let socket: Socket?
    var onReadable: () -> Void
    /// A socket that libzmq said has a message: its handler runs in this iteration.
    var readable = false
  }

  /// The name given to the thread.
  public let name: String
  /// How Linux is asked to schedule the thread, which applies it when it starts.
  private let scheduling: ThreadScheduling
  private let shared = Mutex(Shared())
  private let waker: Waker
  /// pthread_self() of the loop thread while it runs, 0 otherwise.
  private let loopThread = Atomic<UInt>(0)

  // Loop-thread state. `descriptors[0]` is the Waker's; `descriptors[i + 1]` belongs to
  // `registrations[i]`: a raw descriptor, or a socket's `ZMQ_FD`.
  //
  // `@exclusivity(unchecked)`, here and on the state of the cores that run on a loop (broker,
  // instance, client, Outbox and what they own): the runtime check of every access to a
  // class's stored `var` cost the gateway a tenth of its instructions per call (40.6k to
  // 36.1k, Tests/Perf/callgrind). Such state is touched on its loop thread only, and no code
  // runs inside a mutation of it that could reach it again.
  @exclusivity(unchecked) private var descriptors: [pollfd]
  @exclusivity(unchecked) private var registrations: [Registration] = []
  /// Bumped whenever `descriptors` changes, so that a handler that registers or unregisters
  /// ends the dispatch of a poll whose results no longer match `descriptors`.
  @exclusivity(unchecked) private var generation: UInt64 = 0
  @exclusivity(unchecked) private var timers = TimerQueue()
  @exclusivity(unchecked) private var endOfTurn: [() -> Void] = []
  @exclusivity(unchecked) private var stopRequested = false

  /// Starts a loop on a new thread called `name` (Linux shows its first 15 bytes), scheduled
  /// as `scheduling` says (`ThreadScheduling` says why batch is the default).
  ///
  /// Traps if no eventfd can be made: the process is out of file descriptors or memory, and
  /// loops are made at start-up, where there is nothing better to do.
  public init(name: String, scheduling: ThreadScheduling = .processDefault) {
    self.name = name
    self.scheduling = scheduling
    do {
      waker = try Waker()
    } catch {
      fatalError("PollLoop \(name): \(error)")
    }
    descriptors = [pollfd(fd: waker.fileDescriptor, events: Int16(POLLIN), revents: 0)]
    // Swift frames are large in debug builds: it gets the 8 MiB of a main thread.
    DetachedThread.start { [self] in run() }
  }

  // MARK: - Thread-safe entry points

  /// Whether the caller runs on the loop thread.
  public var isOnLoopThread: Bool {
    pthread_equal(loopThread.load(ordering: .relaxed), pthread_self()) != 0
  }

  /// Whether the loop has ended and released its registrations.
  public var isStopped: Bool {
    shared.withLock { $0.finished }
  }

  /// Why the loop ended by itself: ETERM when a registered socket's context was shut down.
  /// nil while it runs and after `stop()`.
  public var terminationError: ZMQError? {
    shared.withLock { $0.terminationError }
  }

  /// Queues `work` to run on the loop thread, after all work queued before it.
  ///
  /// Callable from any thread. Only the first of a burst wakes the loop, and calls from the
  /// loop thread never do. `work` may capture non-Sendable values (such as a socket created
  /// here) as long as the caller does not use them afterwards. Returns false, dropping `work`
  /// unrun, if the loop has already ended; work accepted is always run, even after `stop()`.
  @discardableResult
  public func execute(_ work: sending @escaping () -> Void) -> Bool {
    enqueue(.closure(work))
  }

  /// Queues a task's job like `execute`; it runs with this loop as its executor.
  func execute(job: UnownedJob) -> Bool {
    enqueue(.job(job))
  }

  private func enqueue(_ work: Work) -> Bool {
    let wasEmpty: Bool? = shared.withLock { shared in
      if shared.closed { return nil }
      let wasEmpty = shared.queue.isEmpty
      shared.queue.append(work)
      return wasEmpty
    }
    guard let wasEmpty else { return false }
    // A non-empty queue has its wake-up coming already; the loop thread looks at the queue
    // before it polls again, so it needs none.
    if wasEmpty && !isOnLoopThread { waker.signal() }
    return true
  }

  /// Ends the loop once the work queued before this call has run. Callable from any thread,
  /// more than once; does not wait (see `join` and `waitUntilStopped`).
  public func stop() {
    execute { [self] in stopRequested = true }
  }

  /// Blocks until the loop has ended and released its registrations. Not from the loop
  /// thread, and not from a task (use `waitUntilStopped`).
  public func join() {
    precondition(!isOnLoopThread, "a PollLoop cannot join itself")
    let semaphore = DispatchSemaphore(value: 0)
    if whenFinished({ semaphore.signal() }) { semaphore.wait() }
  }

  /// Waits until the loop has ended and released its registrations.
  public func waitUntilStopped() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      if !whenFinished({ continuation.resume() }) { continuation.resume() }
    }
  }

  /// Keeps `waiter` to be called when the loop has finished; returns false, not keeping it,
  /// if it has already.
  private func whenFinished(_ waiter: @escaping @Sendable () -> Void) -> Bool {
    shared.withLock { shared in
      if shared.finished { return false }
      shared.waiters.append(waiter)
      return true
    }
  }

  // MARK: - Loop thread only

  /// Calls `onReadable` on the loop thread whenever `socket` has a message to receive.
  ///
  /// The handler must receive at least one message (ideally all, with
  /// `receive(dontWait: true)` until nil): otherwise it is called again at once, forever.
  /// Registering a socket again replaces its handler. The loop keeps the socket open until
  /// `unregister`, `socket.close()` (which unregisters) or the end of the loop.
  public func register(_ socket: Socket, onReadable: @escaping () -> Void) {
    precondition(isOnLoopThread, "PollLoop.register must be called on the loop thread")
    precondition(!socket.isClosed, "registering a closed socket")
    precondition(
      socket.registeredLoop == nil || socket.registeredLoop === self,
      "socket already registered with another PollLoop")
    if let index = registrations.firstIndex(where: { $0.socket === socket }) {
      registrations[index].onReadable = onReadable
      return
    }
    socket.registeredLoop = self
    registrations.append(Registration(socket: socket, onReadable: onReadable))
    // Without a descriptor (the context is shutting down) poll skips it, and asking the socket
    // for its events every iteration ends the loop with that error.
    let fd = (try? socket.fileDescriptor) ?? -1
    descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
    // It may have messages already, which its descriptor will not announce.
    socket.mayHaveInput = true
    generation &+= 1
  }

  /// Calls `onReadable` on the loop thread whenever `fd` is readable or in error (hang-up).
  ///
  /// The handler must read, or unregister the descriptor, or it is called again at once.
  /// The loop does not own the descriptor: close it after unregistering it.
  public func register(fd: Int32, onReadable: @escaping () -> Void) {
    precondition(isOnLoopThread, "PollLoop.register must be called on the loop thread")
    if let index = indexOf(fd: fd) {
      registrations[index].onReadable = onReadable
      return
    }
    registrations.append(Registration(socket: nil, onReadable: onReadable))
    descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
    generation &+= 1
  }

  /// Stops polling `socket` and releases the loop's reference. Does not close it.
  public func unregister(_ socket: Socket) {
    precondition(isOnLoopThread, "PollLoop.unregister must be called on the loop thread")
    guard let index = registrations.firstIndex(where: { $0.socket === socket }) else { return }
    socket.registeredLoop = nil
    remove(at: index)
  }

  /// Stops polling `fd`. Does not close it.
  public func unregister(fd: Int32) {
    precondition(isOnLoopThread, "PollLoop.unregister must be called on the loop thread")
    guard let index = indexOf(fd: fd) else { return }
    remove(at: index)
  }

  /// Runs `work` on the loop thread once `delay` has passed (give or take a millisecond).
  @discardableResult
  public func schedule(after delay: Duration, _ work: @escaping () -> Void) -> TimerID {
    precondition(isOnLoopThread, "PollLoop.schedule must be called on the loop thread")
    return timers.schedule(at: .now + delay, work)
  }

  /// Runs `work` on the loop thread once the handlers, queued work and timers of this turn
  /// have run, before the loop polls again: a place to send together what they produced.
  public func atEndOfTurn(_ work: @escaping () -> Void) {
    precondition(isOnLoopThread, "PollLoop.atEndOfTurn must be called on the loop thread")
    endOfTurn.append(work)
  }

  /// Cancels a timer; returns false if it has already run or been cancelled.
  @discardableResult
  public func cancel(_ timer: TimerID) -> Bool {
    precondition(isOnLoopThread, "PollLoop.cancel must be called on the loop thread")
    return timers.cancel(timer)
  }

  private func indexOf(fd: Int32) -> Int? {
    registrations.indices.first { registrations[$0].socket == nil && descriptors[$0 + 1].fd == fd }
  }

  private func remove(at index: Int) {
    registrations.remove(at: index)
    descriptors.remove(at: index + 1)
    generation &+= 1
  }

  // MARK: - The loop

  private func run() {
    loopThread.store(pthread_self(), ordering: .relaxed)
    nameOSThread()
    scheduling.applyToThisThread()
    // Swapped with the queue under the lock, so both keep their capacity: no allocation.
    var batch: [Work] = []
    batch.reserveCapacity(64)
    while !stopRequested {
      runQueuedWork(&batch)
      if stopRequested { break }
      runDueTimers()
      runEndOfTurn()
      do throws(ZMQError) {
        let ready = try checkSockets()
        let idle = !ready && shared.withLock { $0.queue.isEmpty }
        let timeout = Int32(clamping: idle ? pollTimeout() : 0)
        let count = descriptors.withUnsafeMutableBufferPointer {
          poll($0.baseAddress, nfds_t($0.count), timeout)
        }
        if count < 0 {
          if errno == EINTR { continue }
          throw ZMQError.last("poll")
        }
        if count > 0 {
          noteSignals()
          _ = try checkSockets()
        }
        dispatch()
      } catch {
        // A signal handler interrupted the poll libzmq makes of a socket's mailbox when asked
        // for ZMQ_EVENTS. The socket is still marked to be asked: the next turn asks again.
        if error.isInterrupted { continue }
        // ETERM (context shut down) or a socket closed behind our back: nothing can be
        // polled any more. A library logs nothing; the error is kept for the owner.
        shared.withLock { $0.terminationError = error }
        break
      }
    }
    finish(&batch)
  }

  /// Names the thread for `ps`, `top` and `/proc/PID/task/*/comm`, from the thread itself.
  /// Foundation's `Thread.name` reaches the OS only if its setter runs after `start()` has
  /// stored the thread handle, which races with the thread's start: CI once saw it unnamed.
  private func nameOSThread() {
    // Linux keeps 15 bytes: cut whole characters, not one in the middle.
    var osName = Substring(name)
    while osName.utf8.count > 15 { osName.removeLast() }
    _ = tongxin_name_this_thread(String(osName))
  }

  private func runQueuedWork(_ batch: inout [Work]) {
    shared.withLock { swap(&$0.queue, &batch) }
    if batch.isEmpty { return }
    for work in batch { run(work) }
    batch.removeAll(keepingCapacity: true)
  }

  private func run(_ work: Work) {
    switch work {
    case .closure(let body): body()
    case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }

  private func runEndOfTurn() {
    if endOfTurn.isEmpty { return }
    // By index: work may leave more for this turn's end.
    var index = 0
    while index < endOfTurn.count {
      endOfTurn[index]()
      index += 1
    }
    endOfTurn.removeAll(keepingCapacity: true)
  }

  private func runDueTimers() {
    if timers.isEmpty { return }
    let now = ContinuousClock.now
    let limit = timers.nextSequence
    while let work = timers.popDue(now: now, before: limit) { work() }
  }

  /// Milliseconds until the next timer, rounded up; -1 (forever) without timers.
  private func pollTimeout() -> Int {
    guard let deadline = timers.nextDeadline() else { return -1 }
    return Int(ContinuousClock.now.duration(to: deadline).zmqMilliseconds)
  }

  /// Asks libzmq for the events of every socket that may hold a message its descriptor will
  /// not announce, and marks the readable ones; returns whether there is one.
  private func checkSockets() throws(ZMQError) -> Bool {
    var any = false
    for index in registrations.indices {
      guard let socket = registrations[index].socket, socket.mayHaveInput else { continue }
      if try socket.events.contains(.readable) {
        registrations[index].readable = true
        any = true
      }
    }
    return any
  }

  /// After a poll: drains the Waker, and marks the sockets whose descriptor fired to be asked.
  private func noteSignals() {
    if descriptors[0].revents != 0 { waker.drain() }
    for index in registrations.indices where descriptors[index + 1].revents != 0 {
      registrations[index].socket?.mayHaveInput = true
    }
  }

  private func dispatch() {
    let generation = self.generation
    var index = 0
    while index < registrations.count {
      let ready: Bool
      if registrations[index].socket != nil {
        ready = registrations[index].readable
        registrations[index].readable = false
      } else {
        // Any event counts: a raw descriptor's hang-up comes as POLLERR or POLLHUP alone.
        ready = descriptors[index + 1].revents != 0
      }
      if ready {
        let handler = registrations[index].onReadable
        handler()
        // A handler that registered or unregistered changed the indices: the rest waits
        // for the next iteration (a socket still marked readable is asked again).
        if self.generation != generation { return }
      }
      index += 1
    }
  }

  private func finish(_ batch: inout [Work]) {
    // Run every accepted work item, even those queued after stop(): a dropped closure could
    // hold a continuation that would then never be resumed.
    while true {
      runEndOfTurn()
      let more = shared.withLock { shared in
        swap(&shared.queue, &batch)
        if batch.isEmpty { shared.closed = true }
        return !batch.isEmpty
      }
      if !more { break }
      for work in batch { run(work) }
      batch.removeAll(keepingCapacity: true)
    }
    // Release sockets and timers here, on the thread their closures and sockets belong to.
    for registration in registrations { registration.socket?.registeredLoop = nil }
    registrations.removeAll()
    descriptors.removeSubrange(1...)
    generation &+= 1
    timers.removeAll()
    loopThread.store(0, ordering: .relaxed)
    let waiters = shared.withLock { shared in
      shared.finished = true
      defer { shared.waiters.removeAll() }
      return shared.waiters
    }
    for waiter in waiters { waiter() }
  }
}
