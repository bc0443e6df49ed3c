import TongxinWire

/// One service's instances, in least-recently-used order, and its calls waiting for one.
/// Broker loop thread only (exclusivity is not checked at run time, see PollLoop).
final class ServiceState {
  let name: String
  /// From the latest registration; nil while no instance ever registered.
  var description: Tongxin_Rpc_ServiceDescription? {
    didSet {
      isDescribed = description != nil
      let methods = description?.methods ?? []
      auditTargets = description.map { service in
        Dictionary(methods.map { ($0.name, AuditTarget(method: $0, in: service)) }) { a, _ in a }
      } ?? [:]
      updateReadOnly()
    }
  }
  /// `description != nil`, for every call: reading `description` copies it (retaining each of
  /// its arrays and strings, and releasing them again).
  @exclusivity(unchecked) private(set) var isDescribed = false
  /// Method name → where its written id is, for the audit log.
  private(set) var auditTargets: [String: AuditTarget] = [:]

  /// Method name → read-only, looked up for every call. Instances of a service may differ in
  /// version: a method is read-only when every live instance that serves it says so, since a
  /// call that may write on one of them must not be retried as a read, and is audited. For a
  /// method no live instance serves, the latest description says.
  @exclusivity(unchecked) private(set) var readOnly: [String: Bool] = [:]

  /// Whether calls of `method` change something (see `readOnly`).
  func writes(_ method: String) -> Bool {
    readOnly[method] == false
  }

  private func updateReadOnly() {
    let described = description?.methods ?? []
    var served: [String: Bool] = [:]
    for instance in instances {
      for method in instance.methods {
        served[method] = served[method, default: true] && instance.readOnlyMethods.contains(method)
      }
    }
    readOnly = Dictionary(described.map { ($0.name, $0.readOnly) }) { first, _ in first }
      .merging(served) { _, fromInstances in fromInstances }
  }

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
    !isDescribed || readOnly[method] != nil
  }

  func add(_ instance: InstanceRecord) {
    instances.removeAll { $0.routingID == instance.routingID }
    instances.append(instance)
    updateReadOnly()
  }

  func remove(_ instance: InstanceRecord) {
    instances.removeAll { $0 === instance }
    updateReadOnly()
  }

  /// Whether some instance could take a call of some method now (not draining, below its
  /// concurrency): when none can, no queued call can be sent, whatever its method.
  var hasRoom: Bool {
    instances.contains { !$0.draining && $0.inFlight.count < $0.maxConcurrency }
  }

  /// The least recently used instance that can take a call of `method`, now marked used.
  func takeInstance(for method: String) -> InstanceRecord? {
    guard let index = instances.firstIndex(where: { $0.canTake(method) }) else { return nil }
    let instance = instances[index]
    // Already last (always so with one instance): moving it would change nothing.
    if index != instances.count - 1 {
      instances.remove(at: index)
      instances.append(instance)
    }
    return instance
  }
}
