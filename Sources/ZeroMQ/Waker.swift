#if canImport(Glibc)
  import Glibc
#endif

/// A Linux eventfd that any thread can `signal()` to wake a thread polling its descriptor.
///
/// Signals coalesce: however many came, the descriptor is readable until the next `drain()`.
/// Linux only (eventfd). The descriptor is closed in `deinit`.
// signal() and drain() are single read/write system calls on a descriptor that never changes,
// which the kernel makes safe from any thread: hence Sendable.
public final class Waker: @unchecked Sendable {
  /// The descriptor to poll for readability.
  public let fileDescriptor: Int32

  /// Creates a non-blocking, close-on-exec eventfd.
  public init() throws(ZMQError) {
    guard let eventfd = Waker.eventfd else {
      throw ZMQError(code: ENOSYS, operation: "eventfd")
    }
    // EFD_NONBLOCK and EFD_CLOEXEC are O_NONBLOCK and O_CLOEXEC on Linux.
    let fd = eventfd(0, O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw ZMQError(code: errno, operation: "eventfd") }
    fileDescriptor = fd
  }

  deinit {
    Glibc.close(fileDescriptor)
  }

  /// `eventfd(2)`, found at run time: Swift's Glibc module does not include
  /// `<sys/eventfd.h>`. Including it in the CZeroMQ shim would make this a plain call.
  private static let eventfd: (@convention(c) (UInt32, Int32) -> Int32)? = {
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "eventfd") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UInt32, Int32) -> Int32).self)
  }()

  /// Makes the descriptor readable. Cheap, never blocks, callable from any thread.
  public func signal() {
    var one: UInt64 = 1
    // EAGAIN means the counter is full, so the descriptor is readable already: fine.
    while write(fileDescriptor, &one, 8) < 0 && errno == EINTR {}
  }

  /// Makes the descriptor unreadable again until the next `signal()`.
  public func drain() {
    var count: UInt64 = 0
    // One read resets the counter; EAGAIN means there was nothing to drain.
    while read(fileDescriptor, &count, 8) < 0 && errno == EINTR {}
  }
}
