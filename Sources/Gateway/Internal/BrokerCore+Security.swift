import TongxinRPC
import ZeroMQ

extension BrokerCore {
  /// Where libzmq sends its authentication requests (ZAP, RFC 27); one per ZeroMQ context.
  static let zapEndpoint = "inproc://zeromq.zap.01"

  /// Makes both sockets CURVE servers that ask `zap` about every client key. The handler must
  /// be bound before the sockets bind: without one, libzmq admits any key.
  static func secure(
    frontend: Socket, backend: Socket, with security: GatewaySecurity, context: ZMQContext
  ) throws -> Socket {
    let zap = try Socket(context: context, type: .rep)
    try zap.setLinger(.zero)
    do {
      try zap.bind(zapEndpoint)
    } catch {
      throw RPCError(
        code: .failedPrecondition,
        message: "cannot start the authentication handler (\(zapEndpoint)): \(error); "
          + "is another secure gateway running in this process?")
    }
    for (socket, domain) in [(frontend, ZAPDomain.frontend), (backend, .backend)] {
      try socket.setZAPDomain(domain.rawValue)
      try socket.setCurveServer(true)
      try socket.setCurveSecretKey(security.serverKeys.secretKey)
    }
    return zap
  }

  enum ZAPDomain: String {
    case frontend = "tongxin-frontend"
    case backend = "tongxin-backend"
  }

  /// Answers one ZAP request: `[version, request id, domain, address, routing id, mechanism,
  /// credentials...]` → `[version, request id, status, text, user id, metadata]`.
  func handleZAP(_ frames: [[UInt8]]) {
    guard let zap else { return }
    let requestID = frames.count > 1 ? frames[1] : []
    let (status, text, userID) = decide(frames)
    do {
      try zap.send(
        [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(userID.utf8), []],
        dontWait: true)
    } catch {
      logger.error("cannot answer an authentication request", metadata: ["error": "\(error)"])
    }
  }

  /// Admits department keys on the frontend, service keys on both sockets; the user id it
  /// gives a connection is its public key, looked up again on every message so that a key
  /// removed by a reload stops working on connections already open too.
  private func decide(_ frames: [[UInt8]]) -> (status: String, text: String, userID: String) {
    let address = frames.count > 3 ? String(decoding: frames[3], as: UTF8.self) : "?"
    func refuse(_ reason: String, key: String = "none") -> (String, String, String) {
      logger.warning(
        "refused a connection", metadata: ["reason": "\(reason)", "key": "\(key)", "peer": "\(address)"])
      return ("400", reason, "")
    }
    guard frames.count >= 7, frames[0] == Array("1.0".utf8) else {
      return refuse("malformed authentication request")
    }
    guard let domain = ZAPDomain(rawValue: String(decoding: frames[2], as: UTF8.self)) else {
      return refuse("unknown authentication domain")
    }
    guard frames[5] == Array("CURVE".utf8), frames[6].count == 32,
      let key = ZMQ.z85Encode(frames[6])
    else { return refuse("only CURVE keys are admitted") }
    guard let security else { return refuse("authentication is off", key: key) }
    switch domain {
    case .frontend:
      if let department = security.keyring.departments[key],
        security.policy.departments[department] == nil
      {
        return refuse("department \"\(department)\" is not in the policy", key: key)
      }
      guard callers[key] != nil else {
        return refuse("key not admitted on the frontend", key: key)
      }
    case .backend:
      guard security.keyring.services[key] != nil else {
        return refuse("key not admitted on the backend (not a service key)", key: key)
      }
    }
    return ("200", "OK", key)
  }

  /// The caller behind a frontend message: nil user id means no authentication happened,
  /// which on a secure gateway is only possible over inproc:// from this very process.
  func caller(userID: String?) -> Result<Caller, RPCError> {
    guard security != nil else { return .success(.anonymous) }
    guard let userID else { return .success(.gateway) }
    guard let caller = callers[userID] else {
      return .failure(
        RPCError(code: .unauthenticated, message: "this key is no longer admitted by the gateway"))
    }
    return .success(caller)
  }

  /// Whether the instance behind `userID` may register as `service`: on a secure gateway
  /// only with that service's own key.
  func mayRegister(_ service: String, userID: String?) -> String? {
    guard let security, let userID else { return nil }
    guard let owner = security.keyring.services[userID] else {
      return "this key is no longer admitted"
    }
    return owner == service ? nil : "the key of service \"\(owner)\" cannot register \"\(service)\""
  }

  /// Applies new keys and policy at once; instances whose key was removed are dropped.
  func reload(_ newSecurity: GatewaySecurity) {
    guard security != nil else { return }
    security = newSecurity
    for instance in Array(instances.values) {
      guard let key = instance.publicKey, newSecurity.keyring.services[key] == nil else { continue }
      logger.warning("instance key revoked, dropping it", metadata: ["instance": "\(instance.instanceID)"])
      sendDisconnect(instance.routingID, reason: "key revoked")
      drop(instance)
    }
    logger.info(
      "security reloaded",
      metadata: [
        "departments": "\(newSecurity.policy.departments.count)",
        "department_keys": "\(newSecurity.keyring.departments.count)",
        "service_keys": "\(newSecurity.keyring.services.count)",
      ])
  }
}
