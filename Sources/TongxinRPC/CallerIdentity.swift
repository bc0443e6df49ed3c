/// Who made a call, as the gateway tells the service serving it.
///
/// The gateway authenticates every caller (CurveZMQ keys) and sets these metadata entries on
/// each call it forwards. Callers cannot set them: the gateway refuses any request whose
/// metadata uses the reserved `tongxin-` prefix. A service trusts nothing else about a caller.
public enum CallerIdentity {
  /// Metadata prefix only the gateway may use.
  public static let reservedPrefix = "tongxin-"
  /// The calling department (or `service:NAME` for a service calling another one, or
  /// `gateway` for the gateway's own aggregates).
  public static let departmentKey = "tongxin-department"
  /// `allowed` when the caller may see personal data; anything else means it may not.
  public static let personalDataKey = "tongxin-personal-data"
  public static let personalDataAllowed = "allowed"
  public static let personalDataRedacted = "redacted"
}

extension ServerContext {
  /// The department the gateway authenticated for this call, if it said.
  public var department: String? { metadata[CallerIdentity.departmentKey] }

  /// Whether the caller may see personal data: only when the gateway says so.
  public var mayReadPersonalData: Bool {
    metadata[CallerIdentity.personalDataKey] == CallerIdentity.personalDataAllowed
  }
}
