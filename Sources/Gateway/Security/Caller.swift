import TongxinRPC

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
  var name: String
  var kind: Kind

  var mayReadPersonalData: Bool {
    if case .department(let policy) = kind { return policy.personalData }
    return true
  }

  func allows(service: String, method: String) -> Bool {
    if case .department(let policy) = kind { return policy.allows(service: service, method: method) }
    return true
  }

  /// Sets the identity metadata that only the gateway may set.
  func stamp(_ metadata: inout [String: String]) {
    // Room for both at once: most requests come with no metadata, and growing an empty
    // dictionary twice cost more than the rest of the stamping.
    metadata.reserveCapacity(metadata.count + 2)
    metadata[CallerIdentity.departmentKey] = name
    metadata[CallerIdentity.personalDataKey] =
      mayReadPersonalData ? CallerIdentity.personalDataAllowed : CallerIdentity.personalDataRedacted
  }
}

extension GatewaySecurity {
  /// The caller whose connection authenticated with `publicKey`; nil when the key is no
  /// longer admitted (removed since the connection was made).
  func caller(publicKey: String) -> Caller? {
    if let department = keyring.departments[publicKey], let policy = policy.departments[department] {
      return Caller(name: department, kind: .department(policy))
    }
    if let service = keyring.services[publicKey] {
      return Caller(name: "service:" + service, kind: .service)
    }
    return nil
  }
}
