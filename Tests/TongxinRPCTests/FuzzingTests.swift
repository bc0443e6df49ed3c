import Foundation
import Testing
import TongxinFuzzing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

/// `Tests/Fuzz`: the committed corpus of the fuzz target (README.md, "Fuzzing").
let fuzzFolder = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

/// Every committed input: seeds, what the fuzzer kept, and regressions.
func committedFuzzInputs() throws -> [(name: String, bytes: [UInt8])] {
  try FuzzCorpus.folders.flatMap { folder -> [(name: String, bytes: [UInt8])] in
    let url = fuzzFolder.appendingPathComponent(folder)
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    return try FuzzCorpus.files(at: url).map {
      ("\(folder)/\($0.lastPathComponent)", Array(try Data(contentsOf: $0)))
    }
  }
}

/// The next message on `socket` that `match` accepts (others are skipped), or nil after
/// `timeout`. Polls instead of blocking: a blocked thread of the cooperative pool (2 here)
/// stalls the other tests.
func receiveFrames(
  _ socket: Socket, timeout: Duration = .seconds(20), until match: ([[UInt8]]) -> Bool = { _ in true }
) async throws -> [[UInt8]]? {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if let frames = try socket.receive(dontWait: true) {
      if match(frames) { return frames }
    } else {
      try await Task.sleep(for: .milliseconds(2))
    }
  }
  return nil
}

/// Plays the gateway's part of an instance's registration on `gateway`: waits for REGISTER,
/// accepts it with a liveness long enough that the test never has to heartbeat, and returns
/// the instance's routing id.
func acceptRegistration(on gateway: Socket) async throws -> [UInt8] {
  let register = try #require(try await receiveFrames(gateway) {
    wireMessage($0.dropFirst())?.command == .register
  })
  var accepted = Tongxin_Rpc_RegisterReply()
  accepted.accepted = true
  accepted.heartbeatIntervalMs = 1000
  accepted.heartbeatLiveness = 60
  try gateway.send([register[0]] + WireProtocol.frames(.registered, accepted.serializedBytes()))
  return register[0]
}

/// The bounded run of the fuzz target: the same harness as `tongxin-fuzz`, without a fuzzer
/// build. Each input runs through the gateway's frontend and backend handlers on a real broker
/// and through the decoding instances and clients do; the harness checks the routing state
/// after every step and that nothing is left once every deadline has passed.
@Suite("Fuzz corpus and seeded mutations through the wire handlers")
struct FuzzHarnessTests {
  @Test("the committed seeds are those FuzzSeeds writes")
  func seedsAreCommitted() throws {
    for (name, input) in FuzzSeeds.all {
      let file = fuzzFolder.appendingPathComponent("seeds").appendingPathComponent(name)
      let committed = try? Data(contentsOf: file)
      #expect(
        committed.map(Array.init) == input.bytes,
        "Tests/Fuzz/seeds/\(name) is stale: run tongxin-fuzz --write-seeds Tests/Fuzz/seeds")
      #expect(FuzzInput(input.bytes) == input, "\(name) does not read back")
    }
  }

  /// What a seed's scenario leaves: calls pending at most and at the end, instances at the end.
  /// Checks that the harness reaches the routing paths it was written for (instances that can
  /// be reached, gateway call ids counted from 1, retries, queues).
  static let expected: [String: (maxPending: Int, pendingAtEnd: Int, instancesAtEnd: Int)] = [
    "call-answered": (1, 0, 1),
    "call-cancelled": (1, 0, 1),
    "call-failed": (1, 0, 1),
    "call-expired": (1, 0, 1),
    "call-retried-elsewhere": (3, 1, 1),
    "write-unavailable-when-instance-dies": (1, 0, 0),
    "write-with-key-retried": (1, 0, 1),
    "instance-unreachable": (1, 1, 0),
    "queued-until-registered": (2, 0, 1),
    "unknown-service-in-grace": (1, 0, 0),
    "queue-full": (3, 2, 1),
    "too-many-calls-per-caller": (3, 3, 1),
    "payload-too-large": (0, 0, 1),
    "draining-instance": (2, 0, 1),
    "re-register-same-connection": (1, 0, 1),
    "re-register-new-connection": (1, 0, 1),
    "instance-changes-service": (2, 1, 1),
    "duplicate-call-id": (1, 1, 1),
    // The second process waits: the call stays with the first, which answers it.
    "second-process-same-id": (1, 0, 1),
  ]

  @Test("every seed passes and reaches the state it was written for")
  func seedsReachTheirPaths() async throws {
    let fuzzer = try WireFuzzer()
    let seeds = FuzzSeeds.all
    let outcomes = await fuzzer.run(seeds.map(\.input.bytes))
    for ((name, input), outcome) in zip(seeds, outcomes) {
      #expect(outcome.problems.isEmpty, "\(name): \(outcome.problems)")
      #expect(outcome.steps == input.steps.count, "\(name)")
      guard let expected = Self.expected[name] else { continue }
      #expect(outcome.maxPending == expected.maxPending, "\(name): most calls pending")
      #expect(outcome.pendingAtEnd == expected.pendingAtEnd, "\(name): calls pending at the end")
      #expect(outcome.instancesAtEnd == expected.instancesAtEnd, "\(name): instances at the end")
    }
  }

  @Test("every committed input passes")
  func committedCorpus() async throws {
    let inputs = try committedFuzzInputs()
    #expect(inputs.count >= FuzzSeeds.all.count)
    let outcomes = try await WireFuzzer().run(inputs.map(\.bytes))
    for (input, outcome) in zip(inputs, outcomes) {
      #expect(outcome.problems.isEmpty, "Tests/Fuzz/\(input.name): \(outcome.problems)")
    }
  }

  @Test("5 000 seeded mutations of the corpus pass")
  func seededMutations() async throws {
    var mutator = FuzzMutator(seed: 20_260_801, corpus: try committedFuzzInputs().map(\.bytes))
    let inputs = (0..<5_000).map { _ in mutator.next() }
    let outcomes = try await WireFuzzer().run(inputs)
    let failures = zip(inputs, outcomes).filter { !$0.1.problems.isEmpty }
    #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first.map { "\($0.0): \($0.1.problems)" } ?? "")")
    // The mutations still get somewhere: many inputs route calls.
    #expect(outcomes.count { $0.maxPending > 0 } > 1_000, "few mutations route calls")
  }
}

/// A real gateway (TestCluster: broker and echo instance over TCP) after random multipart
/// messages from a caller and from a would-be instance.
@Suite("The gateway after random multipart messages", .serialized)
struct GatewayRandomMessageTests {
  @Test("random messages on both sockets leave a gateway that routes calls, with none pending")
  func randomMessagesOnBothSockets() async throws {
    let cluster = try TestCluster {
      // Whatever the random calls ask, each ends within seconds.
      $0.defaultTimeout = .seconds(2)
      $0.maxTimeout = .seconds(2)
      $0.maxQueueWait = .seconds(1)
    }
    let instance = try await cluster.startEcho(id: "echo-real")
    var mutator = FuzzMutator(seed: 8, corpus: try committedFuzzInputs().map(\.bytes))
    let frontend = try Socket(context: .tongxinShared, type: .dealer)
    let backend = try Socket(context: .tongxinShared, type: .dealer)
    try frontend.connect(cluster.broker.frontendEndpoint)
    try backend.connect(cluster.broker.backendEndpoint)
    var sent = (frontend: 0, backend: 0)
    while sent.frontend + sent.backend < 3_000 {
      for step in FuzzInput(mutator.next()).steps {
        switch step {
        case .frontend(_, let frames) where !frames.isEmpty:
          if (try? frontend.send(frames, dontWait: true)) != nil { sent.frontend += 1 }
        case .backend(_, let frames) where !frames.isEmpty:
          if (try? backend.send(frames, dontWait: true)) != nil { sent.backend += 1 }
        default: break
        }
      }
    }
    #expect(sent.frontend > 500 && sent.backend > 500, "\(sent)")
    // The random caller and the random instance go away; what they left must end.
    frontend.close()
    backend.close()

    let reply = try await cluster.echo.echo(
      echoRequest("同心"), options: CallOptions(timeout: .seconds(10)))
    #expect(reply.text == "同心")
    #expect(reply.instanceID == "echo-real")
    var pending = try await cluster.pendingCalls()
    let deadline = ContinuousClock.now + .seconds(60)
    while pending != 0, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
      pending = try await cluster.pendingCalls()
    }
    #expect(pending == 0)
    try await instance.drain()
    await cluster.shutdown()
  }
}

/// What the fuzz harness found, each kept as an input in `Tests/Fuzz/regressions` (replayed
/// above with every committed input) and checked here on a real gateway.
@Suite("Fuzz regressions", .serialized)
struct FuzzRegressionTests {
  func regression(_ name: String) async throws -> WireFuzzer.Outcome {
    let file = fuzzFolder.appendingPathComponent("regressions").appendingPathComponent(name)
    return try await WireFuzzer().run([Array(try Data(contentsOf: file))])[0]
  }

  /// Found by the seed of the system service: a call of a made-up `system` method added an
  /// entry to the gateway's statistics, so a caller could grow its memory at will
  /// (fixed in `Sources/Gateway/Internal/SystemService.swift`).
  @Test("a made-up system method is refused and not counted")
  func madeUpSystemMethod() async throws {
    #expect(try await regression("system-statistics-for-unknown-method").problems == [])
    let cluster = try TestCluster()
    let peer = try RawPeer(connectTo: cluster.broker.frontendEndpoint)
    for (index, method) in ["Reboot", "Reboot2", "GetStatz"].enumerated() {
      try peer.send(
        [head(0x01, RawPeer.request(service: "system", method: method, callID: UInt64(index + 1))), []])
      let response = try #require(try await receiveFrames(peer.socket).flatMap { wireMessage($0[...]) })
      #expect(response.command == .response)
      #expect(try Tongxin_Rpc_ResponseHeader(serializedBytes: response.body).code == .unimplemented)
    }
    let stats = try await cluster.system.getStats(Tongxin_System_GetStatsRequest())
    let counted = Set(stats.methods.filter { $0.service == "system" }.map(\.method))
    #expect(counted.isSubset(of: ["Health", "ListServices", "GetStats", "Describe"]), "\(counted)")
    await cluster.shutdown()
  }

  /// Found by 20 000 seeded mutations: when an instance registered with fewer methods than
  /// one already serving (another version, or a mutated description), the gateway refused the
  /// other's methods as unknown (UNIMPLEMENTED) although a live instance served them
  /// (fixed in `Sources/Gateway/Internal/ServiceState.swift`).
  @Test("a method stays routable while a live instance serves it")
  func methodOfOlderInstance() async throws {
    #expect(try await regression("method-of-older-instance-unroutable").problems == [])
    let cluster = try TestCluster()
    let instance = try await cluster.startEcho(id: "echo-full")
    // Another instance of echo registers, listing only Echo (and then says nothing more).
    let newer = try RawPeer(connectTo: cluster.broker.backendEndpoint)
    var registration = Tongxin_Rpc_RegisterInstance()
    registration.service = "echo"
    registration.instanceID = "echo-echo-only"
    registration.maxConcurrency = 1
    registration.description_p = Tongxin_Echo_Echo.description
    registration.description_p?.methods.removeAll { $0.name != "Echo" }
    try newer.send([head(0x10, registration.serializedBytes())])
    let reply = try #require(try await receiveFrames(newer.socket).flatMap { wireMessage($0[...]) })
    #expect(reply.command == .registered)
    #expect(try Tongxin_Rpc_RegisterReply(serializedBytes: reply.body).accepted)
    var sample = Tongxin_Echo_Sample()
    sample.text = "still served by echo-full"
    let mirrored = try await cluster.echo.mirror(sample, options: CallOptions(timeout: .seconds(10)))
    #expect(mirrored == sample)
    try await instance.drain()
    await cluster.shutdown()
  }

  /// Found by the harness's check that every queued call waits for its own service: an
  /// instance that registered again on its connection as another service kept the calls of
  /// the first; when it died they were queued for the other service and sent to its
  /// instances (fixed in `Sources/Gateway/Internal/BrokerCore+Backend.swift`).
  @Test("an instance that becomes another service cannot take its calls along")
  func instanceChangesService() async throws {
    #expect(try await regression("reregistered-as-another-service").problems == [])
    let cluster = try TestCluster()
    func register(_ peer: RawPeer, service: String, id: String) async throws {
      var registration = Tongxin_Rpc_RegisterInstance()
      registration.service = service
      registration.instanceID = id
      registration.maxConcurrency = 4
      registration.description_p = Tongxin_Echo_Echo.description
      registration.description_p?.name = service
      try peer.send([head(0x10, registration.serializedBytes())])
      let reply = try #require(try await receiveFrames(peer.socket) {
        wireMessage($0[...])?.command == .registered
      }.flatMap { wireMessage($0[...]) })
      #expect(try Tongxin_Rpc_RegisterReply(serializedBytes: reply.body).accepted)
    }
    let changing = try RawPeer(connectTo: cluster.broker.backendEndpoint)
    try await register(changing, service: "echo", id: "shifty")
    let echo = cluster.echo
    let call = Task {
      try await echo.echo(echoRequest("for echo only"), options: CallOptions(timeout: .seconds(3)))
    }
    _ = try #require(try await receiveFrames(changing.socket) {
      wireMessage($0[...])?.command == .request
    })
    try await register(changing, service: "other", id: "shifty")
    // The instance comes back on a new connection: the gateway drops the old one at once.
    let replacement = try RawPeer(connectTo: cluster.broker.backendEndpoint)
    try await register(replacement, service: "other", id: "shifty")
    // The echo call ends without an echo instance; none of it reaches an "other" instance.
    #expect(await RPCError.code { _ = try await call.value } != nil)
    while let frames = try replacement.socket.receive(dontWait: true) {
      if let message = wireMessage(frames[...]), message.command == .request {
        let header = try Tongxin_Rpc_RequestHeader(serializedBytes: message.body)
        #expect(header.service == "other", "a call of \(header.service) reached service other")
      }
    }
    await cluster.shutdown()
  }
}
