import ServiceLifecycle
import TongxinRPC

/// Keeps the client for calls to other services open until the instance has drained, then
/// closes it, so that the process ends without sockets left open.
///
/// Listed first in the service group, it is the last to be told to shut down.
struct ClientLifetime: Service {
  let client: RPCClient?

  func run() async throws {
    try? await gracefulShutdown()
    client?.close()
  }
}
