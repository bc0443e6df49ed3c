/// How the fuzzer's bytes become a sequence of multipart messages and events.
///
/// ```
/// input   = options step*
/// options = 1 byte: bit 0 a start-up grace (calls for unregistered services wait),
///           bit 1 tight limits (2 queued calls per service, 3 calls per caller,
///           64-byte frames, 2 attempts)
/// step    = op message?
/// op      = 1 byte: the high 3 bits say what happens, the low 5 bits to whom (a peer number)
///   0, 6  the gateway's frontend receives `message` from caller `peer % 4`
///   1, 7  the gateway's backend receives `message` from instance `peer % 4`
///   2     an instance receives `message` from its gateway
///   3     a client receives `message` from its gateway
///   4     the deadline of pending call `peer` passes (no message)
///   5     instance `peer` goes silent (no message)
/// message = count (1 byte, frames = count % 8), then each frame as
///           length (1 byte; 255: the length follows in 2 bytes, little-endian) and bytes
/// ```
///
/// Every byte string is a valid input: what is missing at the end counts as empty. The peers
/// are routing ids, as a ROUTER socket puts them in front of what it receives: callers
/// `client-0` to `client-3`, instances `instance-0` to `instance-3` (0 to 2 are reachable,
/// 3 has gone: what the gateway sends it fails).
package struct FuzzInput: Hashable, Sendable {
  package enum Step: Hashable, Sendable {
    case frontend(peer: Int, frames: [[UInt8]])
    case backend(peer: Int, frames: [[UInt8]])
    case toInstance(frames: [[UInt8]])
    case toClient(frames: [[UInt8]])
    case expireCall(Int)
    case silenceInstance(Int)
  }

  package var startupGrace = false
  package var tightLimits = false
  package var steps: [Step] = []

  package static let peerCount = 4
  /// Instances with a socket the gateway can reach; the others have gone.
  package static let reachableInstances = 3

  package init(startupGrace: Bool = false, tightLimits: Bool = false, steps: [Step] = []) {
    self.startupGrace = startupGrace
    self.tightLimits = tightLimits
    self.steps = steps
  }

  /// Reads any bytes as an input.
  package init(_ bytes: some Collection<UInt8>) {
    var reader = Reader(bytes: Array(bytes))
    guard let options = reader.byte() else { return }
    startupGrace = options & 1 != 0
    tightLimits = options & 2 != 0
    while let op = reader.byte() {
      let argument = Int(op & 0x1F)
      switch op >> 5 {
      case 0, 6: steps.append(.frontend(peer: argument % Self.peerCount, frames: reader.message()))
      case 1, 7: steps.append(.backend(peer: argument % Self.peerCount, frames: reader.message()))
      case 2: steps.append(.toInstance(frames: reader.message()))
      case 3: steps.append(.toClient(frames: reader.message()))
      case 4: steps.append(.expireCall(argument))
      default: steps.append(.silenceInstance(argument))
      }
    }
  }

  /// The bytes that read back as this input (frames beyond 7 and bytes beyond 65535 dropped).
  package var bytes: [UInt8] {
    var out: [UInt8] = [(startupGrace ? 1 : 0) | (tightLimits ? 2 : 0)]
    func message(_ frames: [[UInt8]]) {
      let frames = frames.prefix(7)
      out.append(UInt8(frames.count))
      for frame in frames {
        let frame = frame.prefix(0xFFFF)
        if frame.count < 0xFF {
          out.append(UInt8(frame.count))
        } else {
          out += [0xFF, UInt8(frame.count & 0xFF), UInt8(frame.count >> 8)]
        }
        out += frame
      }
    }
    for step in steps {
      switch step {
      case .frontend(let peer, let frames):
        out.append(UInt8(peer & 0x1F))
        message(frames)
      case .backend(let peer, let frames):
        out.append(0x20 | UInt8(peer & 0x1F))
        message(frames)
      case .toInstance(let frames):
        out.append(0x40)
        message(frames)
      case .toClient(let frames):
        out.append(0x60)
        message(frames)
      case .expireCall(let index): out.append(0x80 | UInt8(index & 0x1F))
      case .silenceInstance(let index): out.append(0xA0 | UInt8(index & 0x1F))
      }
    }
    return out
  }

  /// The routing id of caller `peer`, as the frontend sees it.
  package static func clientID(_ peer: Int) -> [UInt8] { Array("client-\(peer)".utf8) }
  /// The routing id of instance `peer`, as the backend sees it.
  package static func instanceID(_ peer: Int) -> [UInt8] { Array("instance-\(peer)".utf8) }

  private struct Reader {
    let bytes: [UInt8]
    var position = 0

    mutating func byte() -> UInt8? {
      guard position < bytes.count else { return nil }
      defer { position += 1 }
      return bytes[position]
    }

    mutating func message() -> [[UInt8]] {
      let count = Int(byte() ?? 0) % 8
      return (0..<count).map { _ in frame() }
    }

    mutating func frame() -> [UInt8] {
      var length = Int(byte() ?? 0)
      if length == 0xFF { length = Int(byte() ?? 0) | Int(byte() ?? 0) << 8 }
      let end = min(bytes.count, position + length)
      defer { position = end }
      return Array(bytes[position..<end])
    }
  }
}
