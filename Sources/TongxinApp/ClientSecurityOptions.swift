import ArgumentParser
import TongxinRPC

/// How a caller or an instance proves who it is to the gateway: its secret key and the
/// gateway's public key (CurveZMQ), or, only when asked by name, plaintext.
public struct ClientSecurityOptions: ParsableArguments {
  // The environment is read where these are used: an optional option with a default is
  // deprecated in ArgumentParser.
  @Option(help: "This process's secret key file (env TONGXIN_KEY; default under --keys).")
  public var key: String?

  @Option(help: "The gateway's public key file (env TONGXIN_GATEWAY_KEY; default KEYS/gateway.pub).")
  public var gatewayKey: String?

  @Option(help: "Folder of keys (env TONGXIN_KEYS; default $TONGXIN_DATA/keys).")
  public var keys: String = KeyLocations.folder

  @Flag(
    help: """
      Talk to the gateway unencrypted and unauthenticated. INSECURE: only for a gateway \
      started with --insecure-plaintext (env TONGXIN_INSECURE_PLAINTEXT=1).
      """)
  public var insecurePlaintext = Environment.value("TONGXIN_INSECURE_PLAINTEXT") == "1"

  public init() {}

  /// The keys to connect with: `--key`, else the secret key at `defaultKey` (a path under
  /// the keys folder without `.key`); nil in plaintext.
  public func clientSecurity(defaultKey: (String) -> String) throws -> CurveClientSecurity? {
    if insecurePlaintext { return nil }
    let keyFile = key ?? Environment.value("TONGXIN_KEY") ?? defaultKey(keys) + ".key"
    let gatewayKeyFile =
      gatewayKey ?? Environment.value("TONGXIN_GATEWAY_KEY")
      ?? KeyLocations.gatewayPublicKey(in: keys)
    do {
      return try .load(secretKeyFile: keyFile, serverPublicKeyFile: gatewayKeyFile)
    } catch {
      throw ValidationError(
        """
        \(error)
        The gateway authenticates callers with CurveZMQ keys: pass --key and --gateway-key, \
        or --keys with the folder `tongxin up` made, or make a pair with `tongxin keygen`.
        """)
    }
  }
}
