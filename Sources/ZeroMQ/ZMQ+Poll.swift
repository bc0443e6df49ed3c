import CZeroMQ

extension ZMQ {
  /// Waits until one of `items` is ready or `timeout` passes (`zmq_poll`), and sets each
  /// item's `returnedEvents`.
  ///
  /// Returns how many items are ready: 0 on timeout, and also when a signal interrupted the
  /// wait (callers loop anyway). nil waits forever; zero only checks. Throws ETERM when a
  /// socket's context was shut down. Blocks the calling thread: never call it from a task with
  /// a timeout other than zero. The libzmq items live on the stack: nothing is allocated.
  @discardableResult
  public static func poll(_ items: inout [PollItem], timeout: Duration?) throws(ZMQError) -> Int {
    let milliseconds = Int(Duration.zmqMilliseconds(timeout))
    let count = items.count
    return try withUnsafeTemporaryAllocation(of: zmq_pollitem_t.self, capacity: max(count, 1)) {
      (raw) throws(ZMQError) -> Int in
      for index in 0..<count {
        raw.initializeElement(at: index, to: try items[index].rawItem())
      }
      let ready = zmq_poll(raw.baseAddress, Int32(count), milliseconds)
      if ready < 0 {
        let error = ZMQError.last("zmq_poll")
        if error.isInterrupted {
          for index in 0..<count { items[index].returnedEvents = [] }
          return 0
        }
        throw error
      }
      for index in 0..<count {
        items[index].returnedEvents = PollEvents(rawValue: raw[index].revents)
      }
      return Int(ready)
    }
  }
}
