import TongxinMessages
import TongxinRPC

/// Calls `echo.Echo` through the gateway with the typed client, as any caller would.
enum GatewayEchoClient {
  static func run(client: RPCClient, calls: Int, inFlight: Int) async throws -> LatencySample {
    // The calling tasks run on the client's socket thread, as the raw client's loop does.
    try await withTaskExecutorPreference(client.executor) {
      try await measure(client: client, calls: calls, inFlight: inFlight)
    }
  }

  private static func measure(client: RPCClient, calls: Int, inFlight: Int) async throws
    -> LatencySample
  {
    let echo = Tongxin_Echo_Echo.Client(wrapping: client)
    var request = Tongxin_Echo_EchoRequest()
    request.payload = [UInt8](repeating: 0x2a, count: 64)
    for _ in 0..<200 { _ = try await echo.echo(request) }
    let message = request
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
      for worker in 0..<inFlight {
        let share = calls / inFlight + (worker < calls % inFlight ? 1 : 0)
        group.addTask {
          var latencies: [Duration] = []
          latencies.reserveCapacity(share)
          for _ in 0..<share {
            let begin = ContinuousClock.now
            _ = try await echo.echo(message)
            latencies.append(.now - begin)
          }
          return latencies
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    return LatencySample(latencies: latencies, wall: .now - start)
  }
}
