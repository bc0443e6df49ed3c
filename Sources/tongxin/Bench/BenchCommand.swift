import ArgumentParser
import Foundation
import Logging
import Gateway
import TongxinApp
import TongxinRPC
import ZeroMQ

/// `tongxin bench`: a 64-byte echo measured directly, through a plain `zmq_proxy` and through
/// the gateway, in one run, with every server in a process of its own.
struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure echo latency and throughput: direct, through zmq_proxy, through the gateway.",
    discussion: "Build with -c release for meaningful figures: swift run -c release tongxin bench")

  @Option(help: "Calls in each sequential run.") var sequentialCalls = 5_000
  @Option(help: "Calls in each concurrent run.") var concurrentCalls = 50_000
  @Option(help: "Calls in flight in the concurrent runs.") var inFlight = 32
  @Option(help: "Echo instances behind the gateway.") var instances = 1
  @Option(help: "Turns taken by the three paths, each measuring its share of the calls.")
  var rounds = 5
  @Flag(help: "Also measure a gateway with CurveZMQ (encryption and key authentication).")
  var curve = false
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    guard sequentialCalls > 0, concurrentCalls > 0, inFlight > 0, instances > 0, rounds > 0 else {
      throw ValidationError("counts must be positive")
    }
  }

  func run() async throws {
    signal(SIGPIPE, SIG_IGN)
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let processes = BenchProcesses(folder: folder, verbose: !json)
    do {
      let report = try await measure(processes)
      await processes.stopAll()
      try? FileManager.default.removeItem(at: folder)
      try print(report)
    } catch {
      await processes.stopAll()
      try? FileManager.default.removeItem(at: folder)
      throw error
    }
  }

  private func measure(_ processes: BenchProcesses) async throws -> BenchReport {
    let direct = try await processes.start(
      "bench-echo", tongxin: ["bench-echo", "--bind", "tcp://127.0.0.1:*"])
    let proxy = try await processes.start("bench-proxy", tongxin: ["bench-proxy"])
    _ = try await processes.start(
      "bench-echo-behind-proxy", tongxin: ["bench-echo", "--connect", proxy["backend"]!],
      waitForEndpoints: false)
    // The plaintext gateway: the wire protocol's own cost, comparable with the proxy.
    let plaintext = ["--insecure-plaintext"]
    let gateway = try await processes.startGateway("gateway", security: plaintext)
    for index in 0..<instances {
      try processes.startEcho(index: index, backend: gateway.endpoints["backend"]!, security: plaintext)
    }
    let client = try RPCClient(endpoint: gateway.endpoints["frontend"]!)
    defer { client.close() }
    try await waitUntilServing(client)
    try await Task.sleep(for: .milliseconds(500))
    let idle = processes.gatewayAndInstanceMemory()

    let paths = [
      BenchPath(name: "direct", servers: [:]) {
        try await RawEchoClient.run(endpoint: direct["echo"]!, calls: $0, inFlight: $1)
      },
      BenchPath(
        name: "proxy",
        servers: processes.pids(["bench-proxy": "proxy", "bench-echo-behind-proxy": "echo"])
      ) {
        try await RawEchoClient.run(endpoint: proxy["frontend"]!, calls: $0, inFlight: $1)
      },
      BenchPath(
        name: "gateway", servers: processes.pids(["gateway": "gateway", "echo-0": "instance"])
      ) {
        try await GatewayEchoClient.run(client: client, calls: $0, inFlight: $1)
      },
    ]
    let figures = try await BenchPath.measureInTurns(
      paths, rounds: rounds, sequentialCalls: sequentialCalls, concurrentCalls: concurrentCalls,
      inFlight: inFlight)
    let rawCallerFigures = try await rawRuns(
      endpoint: gateway.endpoints["frontend"]!, peer: .tongxinGateway)
    let loaded = processes.gatewayAndInstanceMemory()
    return BenchReport(
      direct: figures["direct"]!.runs, proxy: figures["proxy"]!.runs,
      gateway: figures["gateway"]!.runs, gatewayRawCaller: rawCallerFigures,
      gatewayCurve: curve ? try await curveRuns(processes) : nil, rssIdle: idle, rssLoaded: loaded,
      cpu: CPUFigures(proxy: figures["proxy"]!.cpu, gateway: figures["gateway"]!.cpu),
      loopScheduling: ThreadScheduling.processDefault.rawValue)
  }

  /// The same through a second gateway and echo instances that authenticate with CurveZMQ.
  private func curveRuns(_ processes: BenchProcesses) async throws -> RunFigures {
    let keys = processes.folder.appendingPathComponent("keys").path
    let policy = processes.folder.appendingPathComponent("policy.json")
    try LocalKeys.ensure(folder: keys, services: ["echo"], departments: ["bench"])
    try JSONEncoder().encode(
      AccessPolicy(departments: ["bench": .init(allow: ["*"], personalData: true)])
    ).write(to: policy)
    let gateway = try await processes.startGateway(
      "gateway-curve", security: ["--keys", keys, "--policy", policy.path])
    for index in 0..<instances {
      try processes.startEcho(
        index: instances + index, backend: gateway.endpoints["backend"]!, security: ["--keys", keys])
    }
    var configuration = RPCClient.Configuration(endpoint: gateway.endpoints["frontend"]!)
    configuration.security = try KeyLocations.departmentSecurity("bench", in: keys)
    let client = try RPCClient(configuration: configuration)
    defer { client.close() }
    try await waitUntilServing(client)
    return try await gatewayRuns(client)
  }

  /// Sequential then concurrent calls through `client`.
  private func gatewayRuns(_ client: RPCClient) async throws -> RunFigures {
    let sequential = try await GatewayEchoClient.run(
      client: client, calls: sequentialCalls, inFlight: 1)
    let concurrent = try await GatewayEchoClient.run(
      client: client, calls: concurrentCalls, inFlight: inFlight)
    return RunFigures(sequential: sequential.figures, concurrent: concurrent.figures)
  }

  private func rawRuns(endpoint: String, peer: RawEchoClient.Peer) async throws -> RunFigures {
    let sequential = try await RawEchoClient.run(
      endpoint: endpoint, peer: peer, calls: sequentialCalls, inFlight: 1)
    let concurrent = try await RawEchoClient.run(
      endpoint: endpoint, peer: peer, calls: concurrentCalls, inFlight: inFlight)
    return RunFigures(sequential: sequential.figures, concurrent: concurrent.figures)
  }

  private func waitUntilServing(_ client: RPCClient) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      if let response = try? await client.unary(
        HealthProbe.request(), method: HealthProbe.method, options: CallOptions(timeout: .seconds(1))
      ) as HealthProbe.Response, HealthProbe.serving(response, instances: instances) {
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw ValidationFailure("the echo instances did not register with the gateway in 30 s")
  }

  private func print(_ report: BenchReport) throws {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
      Swift.print(report.text)
    }
  }
}
