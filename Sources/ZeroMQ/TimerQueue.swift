/// The timers of a `PollLoop`: a binary min-heap of deadlines, plus the work of live timers.
///
/// Cancelling only forgets the work, which is O(1); the heap entry is skipped when it comes
/// up. So that many long timers cancelled early (RPC deadlines) cannot pile up, the heap is
/// rebuilt once it holds more than twice as many entries as live timers.
struct TimerQueue {
  private struct Entry {
    var deadline: ContinuousClock.Instant
    /// Orders timers with equal deadlines by scheduling, and identifies them.
    var sequence: UInt64

    func precedes(_ other: Entry) -> Bool {
      deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence)
    }
  }

  private var heap: [Entry] = []
  private var work: [UInt64: () -> Void] = [:]
  /// The sequence number of the next timer scheduled.
  private(set) var nextSequence: UInt64 = 0

  /// Whether no live timer is left.
  var isEmpty: Bool { work.isEmpty }

  /// How many timers are live.
  var count: Int { work.count }

  mutating func schedule(at deadline: ContinuousClock.Instant, _ body: @escaping () -> Void)
    -> TimerID
  {
    let sequence = nextSequence
    nextSequence += 1
    work[sequence] = body
    heap.append(Entry(deadline: deadline, sequence: sequence))
    siftUp(heap.count - 1)
    return TimerID(rawValue: sequence)
  }

  /// Returns whether the timer was still pending.
  mutating func cancel(_ timer: TimerID) -> Bool {
    guard work.removeValue(forKey: timer.rawValue) != nil else { return false }
    if heap.count > 64 && heap.count > 2 * work.count {
      // A sorted array is a valid heap.
      heap.removeAll { work[$0.sequence] == nil }
      heap.sort { $0.precedes($1) }
    }
    return true
  }

  /// The earliest deadline of a live timer.
  mutating func nextDeadline() -> ContinuousClock.Instant? {
    dropCancelledTop()
    return heap.first?.deadline
  }

  /// Removes and returns the work of the earliest timer due at `now` that was scheduled
  /// before `limit`: timers scheduled by timers wait for the next pass, so that a timer
  /// rescheduling itself with no delay cannot keep the loop from polling.
  mutating func popDue(now: ContinuousClock.Instant, before limit: UInt64) -> (() -> Void)? {
    dropCancelledTop()
    guard let top = heap.first, top.deadline <= now, top.sequence < limit else { return nil }
    removeTop()
    return work.removeValue(forKey: top.sequence)
  }

  mutating func removeAll() {
    heap.removeAll()
    work.removeAll()
  }

  private mutating func dropCancelledTop() {
    while let top = heap.first, work[top.sequence] == nil { removeTop() }
  }

  private mutating func removeTop() {
    let last = heap.removeLast()
    guard !heap.isEmpty else { return }
    heap[0] = last
    siftDown(0)
  }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].precedes(heap[parent]) else { return }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      guard left < heap.count else { return }
      let right = left + 1
      var first = left
      if right < heap.count && heap[right].precedes(heap[left]) { first = right }
      guard heap[first].precedes(heap[parent]) else { return }
      heap.swapAt(first, parent)
      parent = first
    }
  }
}
