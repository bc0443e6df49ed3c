import TongxinRPC

/// Where keys live by default, so that every process of a local set-up finds its own key,
/// the gateway's public key and the admitted keys without options (see `tongxin up`).
///
/// ```
/// KEYS/gateway.key, gateway.pub        the gateway's pair
/// KEYS/services/NAME.key, NAME.pub     each service's pair (all its instances share it)
/// KEYS/departments/NAME.key, NAME.pub  each department's pair
/// ```
/// KEYS is `TONGXIN_KEYS`, else `$TONGXIN_DATA/keys`, else `data/keys`.
public enum KeyLocations {
  public static var folder: String {
    Environment.value("TONGXIN_KEYS") ?? "\(Environment.value("TONGXIN_DATA") ?? "data")/keys"
  }

  /// The department the command line calls as when no key is named.
  public static let operatorDepartment = "operations"

  public static func gatewayPublicKey(in folder: String) -> String { folder + "/gateway.pub" }
  public static func gatewayKeys(in folder: String) -> String { folder + "/gateway" }
  public static func service(_ name: String, in folder: String) -> String {
    folder + "/services/" + name
  }
  public static func department(_ name: String, in folder: String) -> String {
    folder + "/departments/" + name
  }

  /// What department `name` connects with, from the keys folder `folder`.
  public static func departmentSecurity(_ name: String, in folder: String) throws
    -> CurveClientSecurity
  {
    try .load(
      secretKeyFile: department(name, in: folder) + ".key",
      serverPublicKeyFile: gatewayPublicKey(in: folder))
  }
}
