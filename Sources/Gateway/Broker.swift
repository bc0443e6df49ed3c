import Logging
import ServiceLifecycle
import TongxinRPC
import ZeroMQ

/// The gateway's router: a frontend for callers, a backend for service instances.
///
/// All routing state lives on one thread that owns both sockets, so a call crosses the
/// gateway without a thread hand-off. The broker answers the `system` service itself.
public final class Broker: Service, Sendable {
  public struct Configuration: Sendable {
    /// Where callers connect; `tcp://127.0.0.1:*` picks a free port (see ``frontendEndpoint``).
    public var frontendEndpoint = "tcp://127.0.0.1:7700"
    /// Where service instances connect.
    public var backendEndpoint = "tcp://127.0.0.1:7701"
    public var heartbeatInterval: Duration = .seconds(1)
    /// Heartbeat intervals an instance may stay silent before it is dropped.
    public var heartbeatLiveness = 3
    /// For calls that set no timeout.
    public var defaultTimeout: Duration = .seconds(30)
    public var maxTimeout: Duration = .seconds(3600)
    /// Calls that may wait per service for a free instance; past it: `RESOURCE_EXHAUSTED`.
    public var maxQueueLength = 1024
    /// How long a call may wait for a free instance; past it: `RESOURCE_EXHAUSTED`.
    public var maxQueueWait: Duration = .seconds(10)
    /// Calls one caller connection may have at the gateway at once (queued or at an
    /// instance, all services together); past it: `RESOURCE_EXHAUSTED`. Half a service's
    /// queue by default, so that no single caller can fill one.
    public var maxCallsPerClient = 512
    /// Largest frame accepted with a clear status; libzmq drops frames 4 times larger.
    public var maxMessageSize = 4 << 20
    /// After start, calls for services not yet registered wait instead of being refused.
    public var startupGrace: Duration = .seconds(5)
    /// Services not yet registered that calls may wait for in the start-up grace; calls for
    /// further names are refused `UNIMPLEMENTED`, so that made-up names cannot grow the
    /// gateway's memory. Far more than a deployment has.
    public var maxAwaitedServices = 64
    /// Attempts of a call that is safe to retry when its instance dies.
    public var maxAttempts = 3
    /// The id of the first call the gateway sends an instance; the next ones count up. Random,
    /// so that two runs of the gateway never use the same ids: an instance keeps working
    /// across a gateway restart and answers the new gateway with ids the old one gave, which
    /// must match none of the new one's calls (else a caller gets another call's answer).
    /// Pin it only in tests.
    public var firstCallID = UInt64.random(in: 1...(1 << 62))
    /// CurveZMQ authentication of callers and instances, and what each department may do;
    /// nil runs in plaintext, where every caller may do everything (insecure).
    public var security: GatewaySecurity?
    /// Where every write call is recorded; nil keeps no record.
    public var auditLog: AuditLog?

    public init() {}
  }

  public let configuration: Configuration
  /// The bound frontend endpoint, with the real port.
  public let frontendEndpoint: String
  /// The bound backend endpoint, with the real port.
  public let backendEndpoint: String
  /// Where callers in this process connect, without TCP (same ZeroMQ context only).
  public let inprocFrontendEndpoint: String
  /// Where instances in this process connect, without TCP (same ZeroMQ context only).
  public let inprocBackendEndpoint: String
  private let loop: PollLoop
  private let core: BrokerCore

  public init(
    configuration: Configuration = Configuration(), context: ZMQContext = .tongxinShared,
    logger: Logger = Logger(label: "tongxin.gateway")
  ) throws {
    self.configuration = configuration
    let loop = PollLoop(name: "tongxin-broker")
    let core = try loop.setUp {
      try BrokerCore(configuration: configuration, context: context, loop: loop, logger: logger)
    }
    self.loop = loop
    self.core = core
    self.frontendEndpoint = core.frontendEndpoint
    self.backendEndpoint = core.backendEndpoint
    self.inprocFrontendEndpoint = core.inprocFrontend
    self.inprocBackendEndpoint = core.inprocBackend
  }

  /// Routes calls until graceful shutdown or cancellation, then closes both sockets.
  public func run() async throws {
    await withTaskCancellationHandler {
      await withGracefulShutdownHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          loop.execute { self.core.start(whenStopped: continuation) }
        }
      } onGracefulShutdown: {
        self.shutdown()
      }
    } onCancel: {
      self.shutdown()
    }
    loop.stop()
  }

  /// Applies new keys and policy (not a new gateway key pair, which needs a restart):
  /// removed keys are refused from the next connection and the next call on.
  public func reload(security: GatewaySecurity) {
    loop.execute { self.core.reload(security) }
  }

  /// Answers waiting calls `UNAVAILABLE`, closes the sockets and ends ``run()``.
  public func shutdown() {
    loop.execute { self.core.stop() }
  }
}
