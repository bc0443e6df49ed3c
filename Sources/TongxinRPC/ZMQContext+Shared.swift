import ZeroMQ

extension ZMQContext {
  /// One ZeroMQ context for the process: its I/O thread serves every socket.
  ///
  /// Creating a context fails only when the process is out of file descriptors or memory, a
  /// state nothing can run in.
  public static let tongxinShared: ZMQContext = {
    do {
      return try ZMQContext()
    } catch {
      fatalError("cannot create a ZeroMQ context: \(error)")
    }
  }()
}
