import FoundationEssentials
import ZeroMQ

/// A CurveZMQ key pair as Z85 text (40 characters each).
public struct CurveKeyPair: Sendable, Equatable {
  public var publicKey: String
  public var secretKey: String

  public init(publicKey: String, secretKey: String) {
    self.publicKey = publicKey
    self.secretKey = secretKey
  }

  /// A new random pair.
  public static func generate() throws -> CurveKeyPair {
    let pair = try ZMQ.curveKeyPair()
    return CurveKeyPair(publicKey: pair.publicKey, secretKey: pair.secretKey)
  }

  /// The pair whose secret key is in `path` (a `.key` file written by ``write(to:comment:)``);
  /// the public key is derived from it, so a `.key` file alone is enough.
  public static func load(secretKeyFile path: String) throws -> CurveKeyPair {
    let secret = try KeyFile.read(path)
    do {
      return CurveKeyPair(publicKey: try ZMQ.curvePublicKey(fromSecret: secret), secretKey: secret)
    } catch {
      throw KeyFileError("\(path) holds no CURVE secret key (40 Z85 characters)")
    }
  }

  /// Writes `BASE.key` (the secret key, mode 0600) and `BASE.pub` (the public key).
  public func write(to base: String, comment: String) throws {
    try KeyFile.write(secretKey, to: base + ".key", comment: "\(comment): SECRET, keep private", mode: 0o600)
    try KeyFile.write(publicKey, to: base + ".pub", comment: "\(comment): public key", mode: 0o644)
  }
}

/// What a client needs to reach a gateway that authenticates with CurveZMQ.
public struct CurveClientSecurity: Sendable {
  /// The caller's own pair; the gateway admits its public key.
  public var keys: CurveKeyPair
  /// The gateway's public key: the client refuses a server without its secret key.
  public var serverPublicKey: String

  public init(keys: CurveKeyPair, serverPublicKey: String) {
    self.keys = keys
    self.serverPublicKey = serverPublicKey
  }

  /// The pair whose secret key is in `secretKeyFile` and the gateway's public key in
  /// `serverPublicKeyFile` (key files as ``KeyFile`` reads them).
  public static func load(secretKeyFile: String, serverPublicKeyFile: String) throws
    -> CurveClientSecurity
  {
    CurveClientSecurity(
      keys: try CurveKeyPair.load(secretKeyFile: secretKeyFile),
      serverPublicKey: try KeyFile.read(serverPublicKeyFile))
  }

  /// Makes `socket` a CURVE client; call before it connects.
  public func apply(to socket: Socket) throws {
    try socket.setCurveServerKey(serverPublicKey)
    try socket.setCurvePublicKey(keys.publicKey)
    try socket.setCurveSecretKey(keys.secretKey)
  }
}
