import TongxinWire

/// One service's instances, in least-recently-used order, and its calls waiting for one.
/// Broker loop thread only (exclusivity is not checked at run time, see PollLoop).
final class ServiceState {
  let name: String
  /// From the latest registration; nil while no instance ever registered.
  var description: Tongxin_Rpc_ServiceDescription? {
    didSet {
      let methods = description?.methods ?? []
      readOnly = Dictionary(methods.map { ($0.name, $0.readOnly) }) { first, _ in first }
      auditTargets = description.map { service in
        Dictionary(methods.map { ($0.name, AuditTarget(method: $0, in: service)) }) { a, _ in a }
      } ?? [:]
    }
  }
  /// Method name → where its written id is, for the audit log.
  private(set) var auditTargets: [String: AuditTarget] = [:]

  /// Whether calls of `method` change something (the description says it is not read-only).
  func writes(_ method: String) -> Bool {
    readOnly[method] == false
  }
  /// Method name → read-only, looked up for every call.
  @exclusivity(unchecked) private(set) var readOnly: [String: Bool] = [:]
  /// Least recently used first.
  @exclusivity(unchecked) private(set) var instances: [InstanceRecord] = []
  /// Gateway call ids, oldest first.
  @exclusivity(unchecked) var queue: [UInt64] = []

  init(name: String) {
    self.name = name
  }

  var readyInstances: Int { instances.count { !$0.draining } }

  /// Whether `method` can be routed: the latest description has it, or a live instance
  /// serves it (instances of a service may differ in version; found by the fuzz harness).
  func knows(method: String) -> Bool {
    description == nil || readOnly[method] != nil
      || instances.contains { $0.methods.contains(method) }
  }

  func add(_ instance: InstanceRecord) {
    instances.removeAll { $0.routingID == instance.routingID }
    instances.append(instance)
  }

  func remove(_ instance: InstanceRecord) {
    instances.removeAll { $0 === instance }
  }

  /// Whether some instance could take a call of some method now (not draining, below its
  /// concurrency): when none can, no queued call can be sent, whatever its method.
  var hasRoom: Bool {
    instances.contains { !$0.draining && $0.inFlight.count < $0.maxConcurrency }
  }

  /// The least recently used instance that can take a call of `method`, now marked used.
  func takeInstance(for method: String) -> InstanceRecord? {
    guard let index = instances.firstIndex(where: { $0.canTake(method) }) else { return nil }
    let instance = instances.remove(at: index)
    instances.append(instance)
    return instance
  }
}
