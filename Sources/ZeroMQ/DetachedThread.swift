import Glibc

/// Runs closures on threads of their own, made with POSIX calls: Foundation's `Thread` would
/// load Foundation's whole library (with ICU), about 6 MB of every process's resident memory.
public enum DetachedThread {
  /// Starts `body` on a new detached thread with a stack of `stackSize` bytes. The thread
  /// inherits the caller's signal mask, as any POSIX thread does.
  public static func start(stackSize: Int = 8 << 20, _ body: @escaping () -> Void) {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
      &thread, &attributes,
      { context in
        Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
        return nil
      }, context)
    guard result == 0 else {
      Unmanaged<Body>.fromOpaque(context).release()
      fatalError("pthread_create failed: \(String(cString: strerror(result)))")
    }
  }

  private final class Body {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }
}
