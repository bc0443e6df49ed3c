import Foundation
import Gateway
import Logging
import TongxinRPC
import ZeroMQ

/// Runs fuzz inputs (``FuzzInput``) through the code that handles what arrives on the wire: the
/// gateway's frontend and backend handlers on a real broker (``BrokerProbe``), and the decoding
/// that instances and clients do. The same harness serves the libFuzzer target `tongxin-fuzz`
/// and the bounded run in the test suite.
///
/// Each input gets a broker of its own, so inputs do not depend on each other and the
/// gateway's call ids count from 1 in every input. After every step the broker's routing state
/// must be consistent; at the end every deadline passes and every instance goes silent, after
/// which nothing may be left pending. Anything else is a problem, returned in the outcome.
package final class WireFuzzer: Sendable {
  package struct Outcome: Sendable {
    /// What went wrong; empty when the input passed.
    package var problems: [String] = []
    /// Steps run (all of them unless a problem stopped the input).
    package var steps = 0
    /// The most calls pending at once in the gateway.
    package var maxPending = 0
    /// Calls pending and instances registered after the last step, before the deadlines.
    package var pendingAtEnd = 0
    package var instancesAtEnd = 0
  }

  private let context: ZMQContext
  private let loop: PollLoop
  private let logger: Logger

  package init() throws {
    context = try ZMQContext()
    loop = PollLoop(name: "tongxin-fuzz")
    var logger = Logger(label: "tongxin.fuzz")
    logger.logLevel = .critical
    self.logger = logger
  }

  deinit {
    loop.stop()
  }

  /// Runs one input on the broker's thread and waits for it.
  package func run(_ input: [UInt8]) -> Outcome {
    run([input])[0]
  }

  /// Runs inputs one after the other on the broker's thread, without blocking a thread of
  /// the caller's (for tests: the cooperative pool has only as many threads as cores).
  package func run(_ inputs: [[UInt8]]) async -> [Outcome] {
    await withCheckedContinuation { (continuation: CheckedContinuation<[Outcome], Never>) in
      let queued = loop.execute { [self] in
        continuation.resume(returning: inputs.map { runOnLoop(FuzzInput($0)) })
      }
      if !queued {
        continuation.resume(returning: inputs.map { _ in Outcome(problems: ["the loop stopped"]) })
      }
    }
  }

  /// Runs inputs one after the other on the broker's thread and waits for them, blocking the
  /// calling thread (for the fuzzer's and the command line's main thread).
  package func run(_ inputs: [[UInt8]]) -> [Outcome] {
    do {
      return try loop.runAndWait { [self] in inputs.map { runOnLoop(FuzzInput($0)) } }
    } catch {
      return inputs.map { _ in Outcome(problems: ["the harness failed: \(error)"]) }
    }
  }

  private func runOnLoop(_ input: FuzzInput) -> Outcome {
    var outcome = Outcome()
    var gateway: (probe: BrokerProbe, peers: [Socket])?
    func probe() throws -> BrokerProbe {
      if let gateway { return gateway.probe }
      let made = try makeGateway(input)
      gateway = made
      return made.probe
    }
    do {
      for step in input.steps {
        outcome.steps += 1
        switch step {
        case .frontend(let peer, let frames):
          try probe().frontend([FuzzInput.clientID(peer)] + frames)
        case .backend(let peer, let frames):
          try probe().backend([FuzzInput.instanceID(peer)] + frames)
        case .toInstance(let frames):
          outcome.problems += EnvelopeChecks.instanceReceives(frames)
        case .toClient(let frames):
          outcome.problems += EnvelopeChecks.clientReceives(frames)
        case .expireCall(let index):
          gateway?.probe.expireCall(index)
        case .silenceInstance(let index):
          gateway?.probe.dropInstance(index)
        }
        if let probe = gateway?.probe {
          outcome.maxPending = max(outcome.maxPending, probe.pendingCalls)
          outcome.problems += probe.consistencyProblems()
        }
        if !outcome.problems.isEmpty { break }
      }
    } catch {
      outcome.problems.append("cannot set up the gateway: \(error)")
    }
    if let (probe, peers) = gateway {
      outcome.pendingAtEnd = probe.pendingCalls
      outcome.instancesAtEnd = probe.instanceCount
      probe.finish()
      if outcome.problems.isEmpty { outcome.problems += probe.consistencyProblems() }
      if probe.pendingCalls != 0 || probe.instanceCount != 0 {
        outcome.problems.append(
          "after every deadline: \(probe.pendingCalls) calls pending, "
            + "\(probe.instanceCount) instances left")
      }
      for peer in peers { peer.close() }
    }
    return outcome
  }

  /// A broker configured as `input` says, and the peers it can reach: caller 0 and the
  /// reachable instances, each a DEALER with the routing id of its peer number.
  ///
  /// Six sockets per input: libzmq's reaper thread frees closed sockets in the background,
  /// and on a loaded machine it can fall behind by a thousand (libzmq's limit, EMFILE).
  /// Then this waits for it, rather than report the harness's own limit as a finding.
  private func makeGateway(_ input: FuzzInput) throws -> (probe: BrokerProbe, peers: [Socket]) {
    var waited = 0
    while true {
      do {
        return try makeGatewayOnce(input)
      } catch let error as ZMQError where error.code == EMFILE && waited < 10_000 {
        waited += 1
        usleep(1_000)
      }
    }
  }

  private func makeGatewayOnce(_ input: FuzzInput) throws -> (probe: BrokerProbe, peers: [Socket]) {
    var configuration = Broker.Configuration()
    // Call ids the inputs can name: an instance answers the gateway's call 1, 2, ...
    configuration.firstCallID = 1
    configuration.startupGrace = input.startupGrace ? .seconds(5) : .zero
    if input.tightLimits {
      configuration.maxQueueLength = 2
      configuration.maxMessageSize = 64
      configuration.maxAttempts = 2
      configuration.maxCallsPerClient = 3
    }
    let probe = try BrokerProbe(
      configuration: configuration, context: context, loop: loop, logger: logger)
    var peers: [Socket] = []
    func peer(_ id: [UInt8], _ endpoint: String) throws {
      let socket = try Socket(context: context, type: .dealer)
      try socket.setRoutingID(id)
      try socket.connect(endpoint)
      peers.append(socket)
    }
    try peer(FuzzInput.clientID(0), probe.frontendEndpoint)
    for index in 0..<FuzzInput.reachableInstances {
      try peer(FuzzInput.instanceID(index), probe.backendEndpoint)
    }
    try probe.acceptPeers()
    return (probe, peers)
  }
}
