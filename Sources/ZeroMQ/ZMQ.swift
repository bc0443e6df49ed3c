import CZeroMQ

/// Library-wide libzmq functions: version, capabilities, CURVE keys, polling and proxying.
public enum ZMQ {
  /// The version of the libzmq linked at run time.
  public static var version: (major: Int, minor: Int, patch: Int) {
    var major: Int32 = 0
    var minor: Int32 = 0
    var patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return (Int(major), Int(minor), Int(patch))
  }

  /// Whether libzmq was built with a capability: "curve", "ipc", "draft", "gssapi", ...
  public static func has(_ capability: String) -> Bool {
    zmq_has(capability) == 1
  }

  /// A new CURVE key pair, both keys Z85-encoded (40 characters).
  ///
  /// Fails with `ENOTSUP` when libzmq was built without CURVE.
  public static func curveKeyPair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
    // Z85 of a 32-byte key is 40 characters, plus the terminating NUL.
    var publicKey = [CChar](repeating: 0, count: 41)
    var secretKey = [CChar](repeating: 0, count: 41)
    guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
      throw .last("zmq_curve_keypair")
    }
    return (cString(publicKey), cString(secretKey))
  }

  /// The Z85 public key that belongs to a Z85 secret key (40 characters).
  ///
  /// Fails with `EINVAL` when the secret key is not 40 valid Z85 characters.
  public static func curvePublicKey(fromSecret secretKey: String) throws(ZMQError) -> String {
    // zmq_curve_public reads 40 characters whatever the length: check first.
    guard secretKey.utf8.count == 40 else {
      throw ZMQError(code: EINVAL, operation: "zmq_curve_public")
    }
    var publicKey = [CChar](repeating: 0, count: 41)
    guard zmq_curve_public(&publicKey, secretKey) == 0 else {
      throw .last("zmq_curve_public")
    }
    return cString(publicKey)
  }

  /// `bytes` (a multiple of 4 long, such as a 32-byte CURVE key) as Z85 text.
  public static func z85Encode(_ bytes: [UInt8]) -> String? {
    guard bytes.count % 4 == 0 else { return nil }
    var text = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
    guard zmq_z85_encode(&text, bytes, bytes.count) != nil else { return nil }
    return cString(text)
  }

  /// Forwards messages between two sockets (`zmq_proxy`) until their context terminates.
  ///
  /// Blocks the calling thread for as long as it runs: call it from a dedicated thread, never
  /// from a task. Returns normally when the context is shut down or terminated (`ETERM`); throws
  /// any other error. The sockets must not be used by anyone else meanwhile.
  public static func proxy(
    frontend: Socket, backend: Socket, capture: Socket? = nil
  ) throws(ZMQError) {
    let front = try frontend.requireHandle("zmq_proxy")
    let back = try backend.requireHandle("zmq_proxy")
    let spy = try capture?.requireHandle("zmq_proxy")
    // zmq_proxy only ever returns -1; ETERM is its normal end.
    if zmq_proxy(front, back, spy) != 0 {
      let error = ZMQError.last("zmq_proxy")
      if !error.isTerminated { throw error }
    }
  }

  static func cString(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }
}
