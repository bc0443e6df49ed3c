import TongxinRPC
import TongxinWire

/// Who sent a request to the frontend, as the gateway authenticated it.
struct Caller {
  enum Kind {
    /// A department's key, with what the policy lets it do.
    case department(AccessPolicy.Department)
    /// A service calling another service with its own key: trusted like the gateway, since
    /// it answers its own callers through the same redaction and permission checks.
    case service
    /// Inside the gateway process (aggregates, over inproc://), or any caller when the
    /// gateway runs without authentication.
    case trusted
  }

  /// As services see it in `tongxin-department` and the audit log records it.
  let name: String
  let kind: Kind
  /// The identity metadata only the gateway may set, encoded once as a request header. The
  /// gateway appends it to the caller's own header bytes on the way to an instance: protobuf
  /// merges concatenated messages, so the request is forwarded without being re-encoded.
  let identityHeader: [UInt8]

  init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
    var header = Tongxin_Rpc_RequestHeader()
    header.metadata = [
      CallerIdentity.departmentKey: name,
      CallerIdentity.personalDataKey: kind.mayReadPersonalData
        ? CallerIdentity.personalDataAllowed : CallerIdentity.personalDataRedacted,
    ]
    identityHeader = header.serializedBytes()
  }

  static let anonymous = Caller(name: "anonymous", kind: .trusted)
  static let gateway = Caller(name: "gateway", kind: .trusted)

  func allows(service: String, method: String) -> Bool {
    if case .department(let policy) = kind { return policy.allows(service: service, method: method) }
    return true
  }

}

extension Caller.Kind {
  var mayReadPersonalData: Bool {
    if case .department(let policy) = self { return policy.personalData }
    return true
  }
}

extension GatewaySecurity {
  /// Every admitted caller by public key, made once per (re)load rather than per request.
  func callers() -> [String: Caller] {
    var callers: [String: Caller] = [:]
    for (key, service) in keyring.services {
      callers[key] = Caller(name: "service:" + service, kind: .service)
    }
    for (key, department) in keyring.departments {
      guard let policy = policy.departments[department] else { continue }
      callers[key] = Caller(name: department, kind: .department(policy))
    }
    return callers
  }
}
