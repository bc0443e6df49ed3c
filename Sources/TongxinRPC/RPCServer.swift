import Logging
import ServiceLifecycle
import TongxinWire
import ZeroMQ

/// A service instance: connects to the gateway, registers one service and serves its calls.
///
/// It serves up to `maxConcurrency` calls at once, heartbeats, reconnects with backoff when
/// the gateway goes away and registers again. On graceful shutdown (SIGTERM through a
/// `ServiceGroup`) it drains: it tells the gateway it leaves, takes no new calls, finishes
/// those in flight and returns from ``run()``.
public final class RPCServer: Service, Sendable {
  public struct Configuration: Sendable {
    /// The gateway's backend, for example `tcp://127.0.0.1:7701`.
    public var gatewayEndpoint: String
    /// Unique per running instance; defaults to the service name and a random suffix.
    public var instanceID: String?
    /// The software version, shown by `tongxin list`.
    public var version = "dev"
    /// Calls served at once.
    public var maxConcurrency = 16
    /// Used until the gateway says otherwise in its `REGISTERED` reply.
    public var heartbeatInterval: Duration = .seconds(1)
    public var heartbeatLiveness = 3
    /// Waits before reconnecting after the gateway went silent: doubles up to the maximum.
    public var reconnectDelay: Duration = .seconds(1)
    public var reconnectDelayMax: Duration = .seconds(32)
    /// How long draining waits for calls in flight before it gives up on them.
    public var drainTimeout: Duration = .seconds(30)
    /// Where handlers run.
    public var handlerExecution = HandlerExecution.loopThread
    /// CurveZMQ keys (the service's own pair and the gateway's public key); nil speaks
    /// plaintext.
    public var security: CurveClientSecurity?

    public init(gatewayEndpoint: String) {
      self.gatewayEndpoint = gatewayEndpoint
    }
  }

  /// Where an instance runs its handlers.
  public enum HandlerExecution: Sendable {
    /// On the instance's socket thread, between polls: no thread hand-off per call. Handlers
    /// may await anything (their awaits come back to this thread) but must never block it,
    /// or heartbeats and every other call wait.
    case loopThread
    /// On Swift's global executor: for handlers that block (synchronous I/O, long CPU work),
    /// at the price of two thread hand-offs per call.
    case globalExecutor
  }

  public let configuration: Configuration
  public let instanceID: String
  private let service: any RPCService
  private let context: ZMQContext
  private let logger: Logger

  public init(
    service: any RPCService, configuration: Configuration,
    context: ZMQContext = .tongxinShared, logger: Logger = Logger(label: "tongxin.server")
  ) {
    let name = service.serviceDescription.name
    self.instanceID = configuration.instanceID ?? "\(name)-\(Self.randomSuffix())"
    self.service = service
    self.configuration = configuration
    self.context = context
    var logger = logger
    logger[metadataKey: "instance"] = "\(instanceID)"
    self.logger = logger
  }

  /// Serves until graceful shutdown or cancellation, then drains and returns.
  ///
  /// Throws when the gateway refuses the registration.
  public func run() async throws {
    let loop = PollLoop(name: "tongxin-server")
    let core = InstanceCore(
      service: service, instanceID: instanceID, configuration: configuration,
      context: context, loop: loop, logger: logger)
    try await withTaskCancellationHandler {
      try await withGracefulShutdownHandler {
        let result: Result<Void, RPCError> = await withCheckedContinuation { continuation in
          loop.execute { core.start(whenFinished: continuation) }
        }
        loop.stop()
        try result.get()
      } onGracefulShutdown: {
        loop.execute { core.drain(reason: "shutting down") }
      }
    } onCancel: {
      loop.execute { core.drain(reason: "cancelled") }
    }
  }

  private static func randomSuffix() -> String {
    String(UInt32.random(in: 0..<UInt32.max), radix: 16)
  }
}
