import ZeroMQ

/// Messages for one socket, held until the poll loop has handled everything that was ready,
/// then sent together in the order they came.
///
/// Why: a process that sends each answer the moment it has it wakes its libzmq I/O thread
/// for nearly every message, and that thread then writes each one to TCP on its own. The
/// gateway's and the instances' I/O threads spent 3 to 4 times the kernel time per call of
/// `zmq_proxy`'s, which forwards a burst faster than its I/O thread wakes up. Sent at the end
/// of the loop's turn, a burst leaves in one write. A message alone (one call at a time)
/// leaves at the end of the same turn: latency does not change.
///
/// Loop thread only. Send errors come at the flush, to `failed`: hold only messages whose
/// failure changes nothing but a log line, and send everything else on the socket through
/// the same outbox, so that nothing overtakes what it holds.
package final class Outbox: @unchecked Sendable {  // Confined to the loop thread.
  private struct Message {
    var command: WireProtocol.Command
    var body: [UInt8]
    var payload: [UInt8]?
    var routingID: [UInt8]?
  }

  private let socket: Socket
  private let loop: PollLoop
  private let failed: (WireProtocol.Command, ZMQError) -> Void
  @exclusivity(unchecked) private var held: [Message] = []

  package init(
    socket: Socket, loop: PollLoop, failed: @escaping (WireProtocol.Command, ZMQError) -> Void
  ) {
    self.socket = socket
    self.loop = loop
    self.failed = failed
    held.reserveCapacity(64)
  }

  /// Holds the message `WireProtocol.send` would send, until the loop's turn ends.
  package func send(
    _ command: WireProtocol.Command, _ body: [UInt8], payload: [UInt8]? = nil,
    to routingID: [UInt8]? = nil
  ) {
    held.append(Message(command: command, body: body, payload: payload, routingID: routingID))
    // The first message held leaves the flush for the end of the turn.
    guard held.count == 1 else { return }
    loop.atEndOfTurn { self.flush() }
  }

  /// Sends every message held, now: at the end of the loop's turn, and before the socket
  /// closes.
  package func flush() {
    // By index: what `failed` may send meanwhile is sent too, in order.
    var index = 0
    while index < held.count {
      let message = held[index]
      index += 1
      do {
        try WireProtocol.send(
          message.command, message.body, payload: message.payload, to: message.routingID,
          on: socket, dontWait: true)
      } catch {
        failed(message.command, error)
      }
    }
    held.removeAll(keepingCapacity: true)
  }
}
