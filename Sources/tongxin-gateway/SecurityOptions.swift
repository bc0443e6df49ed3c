import ArgumentParser
import Gateway
import TongxinApp

/// Where the gateway finds its keys and policy, or the explicit choice to run without.
struct SecurityOptions: ParsableArguments {
  @Option(
    help: """
      Folder with gateway.key and the admitted keys under departments/ and services/ \
      (env TONGXIN_KEYS; default $TONGXIN_DATA/keys).
      """)
  var keys: String = KeyLocations.folder

  @Option(help: "What each department may call (env TONGXIN_POLICY).")
  var policy: String = Environment.value("TONGXIN_POLICY") ?? Defaults.policyFile

  @Flag(
    help: """
      Accept every caller and instance without encryption or authentication. INSECURE: for \
      a machine nobody else can reach (env TONGXIN_INSECURE_PLAINTEXT=1).
      """)
  var insecurePlaintext = Environment.value("TONGXIN_INSECURE_PLAINTEXT") == "1"

  /// The keys and policy, read now; nil in plaintext.
  func load() throws -> GatewaySecurity? {
    if insecurePlaintext { return nil }
    do {
      return try GatewaySecurity.load(keysFolder: keys, policyFile: policy)
    } catch {
      throw ValidationError(
        """
        \(error)
        The gateway authenticates with CurveZMQ: make its pair with `tongxin keygen \
        \(KeyLocations.gatewayKeys(in: keys))` (or run `tongxin up`, which makes every key), \
        or pass --insecure-plaintext on a machine nobody else can reach.
        """)
    }
  }
}
