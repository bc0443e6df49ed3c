import Testing
import TongxinRPC

@Suite("FIFO")
struct FIFOTests {
  @Test("elements come out in the order they went in, across cuts of the taken part")
  func order() {
    var queue = FIFO<Int>()
    var out: [Int] = []
    // Takes 2 for every 3 added, so the head passes the cut threshold many times.
    for value in 0..<3_000 {
      queue.append(value)
      if value % 3 != 0, let first = queue.popFirst() { out.append(first) }
    }
    #expect(queue.count == 1_000)
    while let first = queue.popFirst() { out.append(first) }
    #expect(out == Array(0..<3_000))
    #expect(queue.isEmpty && queue.popFirst() == nil)
  }

  @Test("removing by a condition keeps the order of the rest, and ignores taken elements")
  func removeWhere() {
    var queue = FIFO<Int>()
    for value in 0..<100 { queue.append(value) }
    for _ in 0..<40 { _ = queue.popFirst() }
    queue.removeAll { $0 % 2 == 0 || $0 < 40 }
    var rest: [Int] = []
    while let first = queue.popFirst() { rest.append(first) }
    #expect(rest == Array(stride(from: 41, to: 100, by: 2)))
  }
}
