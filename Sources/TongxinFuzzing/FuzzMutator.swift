/// A small, deterministic source of fuzz inputs for the bounded run in the test suite: the
/// same seed gives the same inputs on every machine.
package struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  package init(seed: UInt64) { state = seed }

  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Mutations in the manner of libFuzzer's, on bytes and on the structure of ``FuzzInput``:
/// what the test suite runs without a fuzzer build.
package struct FuzzMutator {
  private var random: SplitMix64
  private let corpus: [[UInt8]]

  /// Mutates inputs drawn from `corpus` (which must not be empty).
  package init(seed: UInt64, corpus: [[UInt8]]) {
    precondition(!corpus.isEmpty, "a mutator needs something to mutate")
    random = SplitMix64(seed: seed)
    self.corpus = corpus
  }

  /// The next input: a corpus entry with one to four mutations, or now and then pure noise.
  package mutating func next() -> [UInt8] {
    if random.next() % 32 == 0 { return randomBytes(count: Int(random.next() % 200)) }
    var input = corpus[Int(random.next() % UInt64(corpus.count))]
    for _ in 0...(random.next() % 4) { input = mutate(input) }
    return input
  }

  private mutating func mutate(_ input: [UInt8]) -> [UInt8] {
    switch random.next() % 10 {
    case 0...5: return mutateBytes(input)
    default: return mutateSteps(input)
    }
  }

  /// Byte-level: flip, overwrite, insert, erase, duplicate, splice.
  private mutating func mutateBytes(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    guard !bytes.isEmpty else { return randomBytes(count: 8) }
    let at = Int(random.next() % UInt64(bytes.count))
    switch random.next() % 7 {
    case 0: bytes[at] ^= 1 << (random.next() % 8)
    case 1: bytes[at] = interesting()
    case 2: bytes.insert(contentsOf: randomBytes(count: 1 + Int(random.next() % 8)), at: at)
    case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 8)))
    case 4:
      let copy = Array(bytes[at..<min(bytes.count, at + Int(random.next() % 16))])
      bytes.insert(contentsOf: copy, at: at)
    case 5: bytes[at] = bytes[at] &+ UInt8(truncatingIfNeeded: random.next() % 5) &- 2
    default:
      let other = corpus[Int(random.next() % UInt64(corpus.count))]
      let cut = Int(random.next() % UInt64(other.count + 1))
      bytes = Array(bytes[..<at]) + other[cut...]
    }
    return bytes
  }

  /// Structure-level: change one frame, add or drop a frame, repeat, drop or move a step,
  /// steps from another input, other options.
  private mutating func mutateSteps(_ input: [UInt8]) -> [UInt8] {
    var parsed = FuzzInput(input)
    guard !parsed.steps.isEmpty else { return mutateBytes(input) }
    let at = Int(random.next() % UInt64(parsed.steps.count))
    switch random.next() % 7 {
    case 0, 1: parsed.steps[at] = mutateFrames(of: parsed.steps[at])
    case 2: parsed.steps.insert(parsed.steps[at], at: Int(random.next() % UInt64(parsed.steps.count)))
    case 3: parsed.steps.remove(at: at)
    case 4: parsed.steps.swapAt(at, Int(random.next() % UInt64(parsed.steps.count)))
    case 5:
      let other = FuzzInput(corpus[Int(random.next() % UInt64(corpus.count))])
      parsed.steps.insert(contentsOf: other.steps.prefix(4), at: at)
    default:
      parsed.startupGrace.toggle()
      if random.next() % 2 == 0 { parsed.tightLimits.toggle() }
    }
    return parsed.bytes
  }

  private mutating func mutateFrames(of step: FuzzInput.Step) -> FuzzInput.Step {
    func change(_ frames: [[UInt8]]) -> [[UInt8]] {
      var frames = frames
      if frames.isEmpty || random.next() % 4 == 0 {
        frames.insert(randomBytes(count: Int(random.next() % 12)), at: Int(random.next() % UInt64(frames.count + 1)))
      } else if random.next() % 4 == 0 {
        frames.remove(at: Int(random.next() % UInt64(frames.count)))
      } else {
        let index = Int(random.next() % UInt64(frames.count))
        frames[index] = mutateBytes(frames[index])
      }
      return frames
    }
    switch step {
    case .frontend(let peer, let frames): return .frontend(peer: peer, frames: change(frames))
    case .backend(let peer, let frames): return .backend(peer: peer, frames: change(frames))
    case .toInstance(let frames): return .toInstance(frames: change(frames))
    case .toClient(let frames): return .toClient(frames: change(frames))
    case .expireCall(let index): return .expireCall(index + 1)
    case .silenceInstance(let index): return .silenceInstance(index + 1)
    }
  }

  private mutating func interesting() -> UInt8 {
    let values: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x08, 0x0A, 0x12, 0x1A, 0x22]
    return values[Int(random.next() % UInt64(values.count))]
  }

  private mutating func randomBytes(count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }
}
