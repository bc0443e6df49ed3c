import FoundationEssentials
import Logging
import ZeroMQ

/// Watches a CURVE client socket's handshakes, so that a refused key becomes a clear error
/// instead of calls that silently wait for their deadline (libzmq keeps retrying quietly).
final class HandshakeWatch {
  // Confined to the owner's loop thread.
  private let events: Socket
  private let loop: PollLoop
  /// Why the last handshake failed; nil once one succeeds.
  private(set) var refusal: RPCError?

  init(
    _ socket: Socket, context: ZMQContext, loop: PollLoop, logger: Logger,
    onRefusal: @escaping (RPCError) -> Void
  ) throws {
    let endpoint = "inproc://tongxin-handshakes-\(UUID().uuidString)"
    try socket.monitor(
      endpoint,
      events: [
        .handshakeSucceeded, .handshakeFailedAuth, .handshakeFailedProtocol,
        .handshakeFailedNoDetail,
      ])
    events = try Socket(context: context, type: .pair)
    try events.setLinger(.zero)
    try events.connect(endpoint)
    self.loop = loop
    loop.register(events) { [unowned self] in
      while let frames = try? self.events.receive(dontWait: true) {
        guard let event = SocketEvent(frames: frames) else { continue }
        let previous = self.refusal
        self.refusal = Self.refusal(for: event)
        if let refusal = self.refusal,
          refusal.code != previous?.code || refusal.message != previous?.message
        {
          logger.warning("\(refusal.message)")
          onRefusal(refusal)
        }
      }
    }
  }

  private static func refusal(for event: SocketEvent) -> RPCError? {
    switch event.kind {
    case .handshakeSucceeded:
      return nil
    case .handshakeFailedAuth:
      return RPCError(
        code: .unauthenticated,
        message: "the gateway at \(event.endpoint) refused this key (status \(event.value)): "
          + "ask its operator to admit the public key")
    default:
      return RPCError(
        code: .unavailable,
        message: "no secure connection to the gateway at \(event.endpoint): wrong gateway "
          + "public key, or a gateway that does not speak CurveZMQ")
    }
  }

  func close() {
    loop.unregister(events)
    events.close()
  }
}
