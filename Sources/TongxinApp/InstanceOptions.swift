import ArgumentParser
import TongxinRPC

/// The options of every service instance executable.
public struct InstanceOptions: ParsableArguments {
  @Option(help: "The gateway's backend endpoint (env TONGXIN_BACKEND).")
  public var gateway: String = Environment.value("TONGXIN_BACKEND") ?? Defaults.backendEndpoint

  // Optional without a default (deprecated for optionals): the environment is read below.
  @Option(help: "Unique id of this instance; random when not given (env TONGXIN_INSTANCE_ID).")
  public var instanceID: String?

  @Option(help: "Calls served at once (env TONGXIN_MAX_CONCURRENCY).")
  public var maxConcurrency: Int = Environment.int("TONGXIN_MAX_CONCURRENCY") ?? 16

  @OptionGroup public var security: ClientSecurityOptions

  public init() {}

  public func validate() throws {
    guard maxConcurrency >= 1 else { throw ValidationError("--max-concurrency must be at least 1") }
  }

  /// How an instance of `service` connects, with the service's own key by default.
  public func serverConfiguration(service: String) throws -> RPCServer.Configuration {
    var configuration = RPCServer.Configuration(gatewayEndpoint: gateway)
    configuration.security = try clientSecurity(service: service)
    configuration.instanceID = instanceID ?? Environment.value("TONGXIN_INSTANCE_ID")
    configuration.maxConcurrency = maxConcurrency
    configuration.version = Defaults.version
    return configuration
  }

  /// The keys `service` uses towards the gateway, on the backend and, for services that
  /// call others, on the frontend.
  public func clientSecurity(service: String) throws -> CurveClientSecurity? {
    try security.clientSecurity { KeyLocations.service(service, in: $0) }
  }
}
