import TongxinWire

/// A registered service instance, as the gateway sees it.
/// Broker loop thread only (exclusivity is not checked at run time, see PollLoop).
final class InstanceRecord {
  let routingID: [UInt8]
  let service: String
  let instanceID: String
  /// Drawn once per process (RegisterInstance.incarnation); empty from peers that send none.
  let incarnation: String
  let version: String
  let maxConcurrency: Int
  let methods: Set<String>
  /// Those of `methods` its description calls read-only.
  let readOnlyMethods: Set<String>
  /// The key it authenticated with (nil in plaintext and in-process): revoking it drops it.
  let publicKey: String?
  let registeredAt = ContinuousClock.now
  @exclusivity(unchecked) var lastHeard = ContinuousClock.now
  /// Gateway call ids sent to the instance and not answered yet.
  @exclusivity(unchecked) var inFlight: Set<UInt64> = []
  @exclusivity(unchecked) var calls: UInt64 = 0
  /// Leaving: gets no new calls, finishes those it has.
  @exclusivity(unchecked) var draining = false
  /// A second process registering with its id has been logged.
  @exclusivity(unchecked) var twinReported = false

  init(routingID: [UInt8], registration: Tongxin_Rpc_RegisterInstance, publicKey: String?) {
    self.publicKey = publicKey
    self.routingID = routingID
    self.service = registration.service
    self.instanceID = registration.instanceID
    self.incarnation = registration.incarnation
    self.version = registration.version
    self.maxConcurrency = Int(registration.maxConcurrency)
    let methods = registration.description_p?.methods ?? []
    self.methods = Set(methods.map(\.name))
    readOnlyMethods = Set(methods.filter(\.readOnly).map(\.name))
  }

  func canTake(_ method: String) -> Bool {
    !draining && inFlight.count < maxConcurrency && methods.contains(method)
  }
}
