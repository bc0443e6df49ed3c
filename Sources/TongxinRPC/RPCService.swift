import TongxinWire

/// A service an instance serves: generated service protocols refine this.
public protocol RPCService: Sendable {
  /// The service's methods and messages, sent to the gateway when the instance registers.
  var serviceDescription: Tongxin_Rpc_ServiceDescription { get }
  /// Adds a handler for each method.
  func registerMethods(with router: inout RPCRouter)
}
