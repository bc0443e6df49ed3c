import Foundation
import Synchronization
import TongxinApp
import TongxinProcesses

/// The processes a benchmark starts, stopped together at the end.
final class BenchProcesses: Sendable {
  let folder: URL
  private let verbose: Bool
  private let children = Mutex<[ChildProcess]>([])
  private let gateway = Mutex<ChildProcess?>(nil)
  private let firstInstance = Mutex<ChildProcess?>(nil)

  init(folder: URL, verbose: Bool) {
    self.folder = folder
    self.verbose = verbose
  }

  /// Starts `tongxin` with `arguments` and returns the endpoints it wrote.
  @discardableResult
  func start(_ name: String, tongxin arguments: [String], waitForEndpoints: Bool = true)
    async throws -> [String: String]
  {
    let file = folder.appendingPathComponent("\(name).json").path
    try launch(
      name, Executables.url("tongxin"),
      waitForEndpoints ? arguments + ["--endpoints-file", file] : arguments)
    guard waitForEndpoints else { return [:] }
    return try await EndpointsFile.wait(for: file).endpoints
  }

  /// Starts a gateway named `name` with `security` options (`--insecure-plaintext`, or
  /// `--keys` and `--policy`); the first one started is the one whose memory is reported.
  func startGateway(_ name: String, security: [String]) async throws -> EndpointsFile {
    let file = folder.appendingPathComponent("\(name).json").path
    let child = try launch(
      name, Executables.url("tongxin-gateway"),
      [
        "--frontend", "tcp://127.0.0.1:*", "--backend", "tcp://127.0.0.1:*",
        "--endpoints-file", file, "--log-level", "warning",
        "--audit-log", folder.appendingPathComponent("\(name)-audit.sqlite").path,
      ] + security)
    gateway.withLock { $0 = $0 ?? child }
    return try await EndpointsFile.wait(for: file)
  }

  func startEcho(index: Int, backend: String, security: [String]) throws {
    let child = try launch(
      "echo-\(index)", Executables.url("tongxin-echo"),
      ["--gateway", backend, "--instance-id", "echo-\(index)", "--log-level", "warning"]
        + security)
    firstInstance.withLock { $0 = $0 ?? child }
  }

  /// Resident memory of the gateway and of the first echo instance, in MB.
  func gatewayAndInstanceMemory() -> MemoryFigures {
    func megabytes(_ child: ChildProcess?) -> Double {
      Double(child?.residentMemory ?? 0) / 1_048_576
    }
    return MemoryFigures(
      gateway: megabytes(gateway.withLock { $0 }), instance: megabytes(firstInstance.withLock { $0 }))
  }

  /// The process ids of the children started under the names `labels` maps (those given to
  /// `start` and `startGateway`, `echo-N` for `startEcho`), by label.
  func pids(_ labels: [String: String]) -> [String: Int32] {
    var pids: [String: Int32] = [:]
    for child in children.withLock({ $0 }) {
      if let label = labels[child.name] { pids[label] = child.pid }
    }
    return pids
  }

  func stopAll() async {
    let all = children.withLock { $0 }
    for child in all.reversed() { _ = await child.stop(grace: .seconds(5)) }
  }

  @discardableResult
  private func launch(_ name: String, _ executable: URL, _ arguments: [String]) throws
    -> ChildProcess
  {
    let verbose = self.verbose
    let child = try ChildProcess(name: name, executable: executable, arguments: arguments) {
      line in
      if verbose { FileHandle.standardError.write(Data("[\(name)] \(line)\n".utf8)) }
    }
    children.withLock { $0.append(child) }
    return child
  }
}

struct MemoryFigures: Codable, Sendable {
  var gateway: Double
  var instance: Double
}
