import CZeroMQ
import Dispatch
import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A libzmq context: the I/O threads and the registry of sockets.
///
/// Create one per process and share it. Each `Socket` keeps its context alive, so the context is
/// terminated only once every socket has been closed or released; then `deinit` calls
/// `zmq_ctx_term`, which cannot block since sockets linger 0 by default.
// libzmq documents contexts as thread-safe, and the handle never changes: hence Sendable.
public final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer
  private let terminated = Atomic<Bool>(false)

  /// Creates a context with `ioThreads` I/O threads (one suffices below about 1 GB/s).
  public init(ioThreads: Int = 1) throws(ZMQError) {
    guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
    if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads)) != 0 {
      let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))")
      zmq_ctx_term(handle)
      throw error
    }
    self.handle = handle
  }

  /// Makes every blocking call on this context's sockets fail with `ETERM`, at once.
  ///
  /// Callable from any thread, more than once. Sockets still have to be closed afterwards
  /// (they are, when released). A `PollLoop` polling such sockets stops by itself.
  public func shutdown() {
    zmq_ctx_shutdown(handle)
  }

  /// Lets messages still queued on closed sockets leave (within their linger), then ends the
  /// I/O threads: for process exit, after every socket is closed.
  ///
  /// A process that exits without this loses what its I/O thread had not sent yet, such as
  /// the last replies of a draining server. Returns false when sockets were still open after
  /// `timeout`; the context is then left as it is.
  @discardableResult
  public func terminate(timeout: Duration) -> Bool {
    let done = DispatchSemaphore(value: 0)
    DetachedThread.start(stackSize: 1 << 20) { [self] in
      _ = tongxin_name_this_thread("zmq-terminate")
      self.term()
      done.signal()
    }
    let seconds = Double(timeout.components.seconds)
      + Double(timeout.components.attoseconds) / 1e18
    return done.wait(timeout: .now() + seconds) == .success
  }

  private func term() {
    guard !terminated.exchange(true, ordering: .acquiringAndReleasing) else { return }
    // zmq_ctx_term can be interrupted by a signal before it has finished: try again.
    while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
  }

  deinit {
    term()
  }
}
