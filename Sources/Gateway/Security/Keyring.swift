import FoundationEssentials
import TongxinRPC

/// The public keys the gateway admits, read from a keys folder:
///
/// ```
/// KEYS/gateway.key               the gateway's own secret key
/// KEYS/departments/NAME[.LABEL].pub   keys of department NAME (frontend only)
/// KEYS/services/NAME[.LABEL].pub      keys of service NAME (backend, and frontend for
///                                     services that call other services)
/// ```
/// A department may hold several keys (one per system, say): `front-desk.kiosk.pub`.
/// Removing a file and reloading revokes that key.
public struct Keyring: Sendable, Equatable {
  /// Public key (Z85) → department name.
  public var departments: [String: String]
  /// Public key (Z85) → service name.
  public var services: [String: String]

  public init(departments: [String: String] = [:], services: [String: String] = [:]) {
    self.departments = departments
    self.services = services
  }

  public static func load(folder: String) throws -> Keyring {
    Keyring(
      departments: try publicKeys(in: folder + "/departments"),
      services: try publicKeys(in: folder + "/services"))
  }

  /// `*.pub` files of `folder` (which may not exist yet): key → name before the first dot.
  private static func publicKeys(in folder: String) throws -> [String: String] {
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      return [:]
    }
    var keys: [String: String] = [:]
    for file in files.sorted() where file.hasSuffix(".pub") {
      let name = String(file.prefix { $0 != "." })
      let key = try KeyFile.read(folder + "/" + file)
      if let other = keys[key], other != name {
        throw KeyFileError("the key in \(folder)/\(file) is also listed for \"\(other)\"")
      }
      keys[key] = name
    }
    return keys
  }
}
