/// The timers of a `PollLoop`: a binary min-heap of deadlines, plus the work of live timers.
///
/// The work lives in slots of an array, reused through a free list; a `TimerID` names a slot
/// and the generation of that slot, so scheduling and cancelling hash nothing (an RPC deadline
/// timer is scheduled and cancelled for every call: with a dictionary that was 2-3 % of a
/// call's work in the gateway).
///
/// Cancelling only empties the slot, which is O(1); the heap entry is skipped when it comes
/// up. So that many long timers cancelled early (RPC deadlines) cannot pile up, the heap is
/// rebuilt once it holds more than twice as many entries as live timers.
struct TimerQueue {
  private struct Entry {
    /// Nanoseconds since `origin`: `ContinuousClock.Instant` is not frozen, so every copy and
    /// comparison of one went through the runtime; a heap of them cost a caller 3 000
    /// instructions per call in sifting alone. A `Duration` is 128 bits compared by a call
    /// into the runtime: 300 instructions per RPC call in the client. An Int64 is one compare.
    var deadline: Int64
    /// Orders timers with equal deadlines by scheduling.
    var sequence: UInt64
    var slot: UInt32
    var generation: UInt32

    func precedes(_ other: Entry) -> Bool {
      deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence)
    }
  }

  private struct Slot {
    /// Bumped whenever the slot's timer ends (runs or is cancelled), so that old ids and old
    /// heap entries no longer match it.
    var generation: UInt32 = 0
    var work: (() -> Void)?
  }

  private var heap: [Entry] = []
  private var slots: [Slot] = []
  private var freeSlots: [UInt32] = []
  /// How many timers are live.
  private(set) var count = 0
  /// The sequence number of the next timer scheduled.
  private(set) var nextSequence: UInt64 = 0

  /// Whether no live timer is left.
  var isEmpty: Bool { count == 0 }

  private let origin = ContinuousClock.now

  /// `instant` as nanoseconds since `origin`, saturated (a timer centuries away never fires).
  private func nanoseconds(until instant: ContinuousClock.Instant) -> Int64 {
    let (seconds, attoseconds) = origin.duration(to: instant).components
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
    return overflow2 ? (seconds < 0 ? .min : .max) : total
  }

  mutating func schedule(at deadline: ContinuousClock.Instant, _ body: @escaping () -> Void)
    -> TimerID
  {
    let sequence = nextSequence
    nextSequence += 1
    let slot: UInt32
    if let free = freeSlots.popLast() {
      slot = free
      slots[Int(slot)].work = body
    } else {
      slot = UInt32(slots.count)
      slots.append(Slot(generation: 0, work: body))
    }
    count += 1
    let generation = slots[Int(slot)].generation
    heap.append(
      Entry(
        deadline: nanoseconds(until: deadline), sequence: sequence, slot: slot,
        generation: generation))
    siftUp(heap.count - 1)
    return TimerID(rawValue: UInt64(generation) << 32 | UInt64(slot))
  }

  /// Returns whether the timer was still pending.
  mutating func cancel(_ timer: TimerID) -> Bool {
    let slot = Int(truncatingIfNeeded: timer.rawValue & 0xFFFF_FFFF)
    let generation = UInt32(truncatingIfNeeded: timer.rawValue >> 32)
    guard slot < slots.count, slots[slot].generation == generation, slots[slot].work != nil
    else { return false }
    _ = take(slot)
    if heap.count > 64 && heap.count > 2 * count {
      // A sorted array is a valid heap.
      let slots = self.slots
      heap.removeAll { slots[Int($0.slot)].generation != $0.generation }
      heap.sort { $0.precedes($1) }
    }
    return true
  }

  /// The earliest deadline of a live timer.
  mutating func nextDeadline() -> ContinuousClock.Instant? {
    dropCancelledTop()
    return heap.first.map { origin + .nanoseconds($0.deadline) }
  }

  /// Removes and returns the work of the earliest timer due at `now` that was scheduled
  /// before `limit`: timers scheduled by timers wait for the next pass, so that a timer
  /// rescheduling itself with no delay cannot keep the loop from polling.
  mutating func popDue(now: ContinuousClock.Instant, before limit: UInt64) -> (() -> Void)? {
    dropCancelledTop()
    guard let top = heap.first, top.deadline <= nanoseconds(until: now), top.sequence < limit
    else { return nil }
    removeTop()
    return take(Int(top.slot))
  }

  mutating func removeAll() {
    heap.removeAll()
    // Slots stay, their generations bumped: ids handed out before must never match a timer
    // scheduled after.
    for slot in slots.indices where slots[slot].work != nil { _ = take(slot) }
  }

  /// Ends the timer in `slot`: returns its work and frees the slot.
  private mutating func take(_ slot: Int) -> (() -> Void)? {
    let work = slots[slot].work
    slots[slot].work = nil
    slots[slot].generation &+= 1
    freeSlots.append(UInt32(slot))
    count -= 1
    return work
  }

  private func isLive(_ entry: Entry) -> Bool {
    slots[Int(entry.slot)].generation == entry.generation
  }

  private mutating func dropCancelledTop() {
    while let top = heap.first, !isLive(top) { removeTop() }
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
