/// A first-in, first-out queue whose `popFirst()` moves nothing: an array and the index of
/// its head. The taken part is cut off once it is the larger half, so that a long queue
/// drained one at a time costs linear time, where `Array.removeFirst()` costs quadratic.
package struct FIFO<Element> {
  private var elements: [Element] = []
  private var head = 0

  package init() {}

  package var isEmpty: Bool { head == elements.count }
  package var count: Int { elements.count - head }

  package mutating func append(_ element: Element) {
    elements.append(element)
  }

  /// The oldest element, removed; nil when empty.
  package mutating func popFirst() -> Element? {
    guard head < elements.count else { return nil }
    let first = elements[head]
    head += 1
    if head == elements.count {
      elements.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 32 && head * 2 >= elements.count {
      elements.removeFirst(head)
      head = 0
    }
    return first
  }

  package mutating func removeAll(where shouldRemove: (Element) -> Bool) {
    elements.removeFirst(head)
    head = 0
    elements.removeAll(where: shouldRemove)
  }
}
