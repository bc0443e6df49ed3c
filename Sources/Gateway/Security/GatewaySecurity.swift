import TongxinRPC

/// How the gateway authenticates and authorizes: its CURVE key pair, the keys it admits and
/// what each department may do. Reloaded as a whole (``Broker/reload(security:)``).
public struct GatewaySecurity: Sendable, Equatable {
  public var serverKeys: CurveKeyPair
  public var keyring: Keyring
  public var policy: AccessPolicy

  public init(serverKeys: CurveKeyPair, keyring: Keyring, policy: AccessPolicy) {
    self.serverKeys = serverKeys
    self.keyring = keyring
    self.policy = policy
  }

  /// Reads `KEYS/gateway.key`, the admitted keys under `KEYS` and the policy file.
  public static func load(keysFolder: String, policyFile: String) throws -> GatewaySecurity {
    GatewaySecurity(
      serverKeys: try CurveKeyPair.load(secretKeyFile: keysFolder + "/gateway.key"),
      keyring: try Keyring.load(folder: keysFolder),
      policy: try AccessPolicy.load(file: policyFile))
  }
}
