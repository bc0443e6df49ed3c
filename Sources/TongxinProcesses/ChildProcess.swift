import Foundation
import Synchronization

/// A child process whose output is read line by line until it ends.
///
/// Its pipe is drained to the end, so a child never dies of SIGPIPE or blocks on a full
/// pipe; exits are observed with a termination handler, never `waitUntilExit()`.
public final class ChildProcess: Sendable {
  public let name: String
  public let pid: Int32
  private let process: UncheckedProcess
  private let exit = ExitWatch()

  /// Starts `executable`; every line it writes to standard output or error goes to `output`.
  public init(
    name: String, executable: URL, arguments: [String], environment: [String: String] = [:],
    output: @escaping @Sendable (String) -> Void
  ) throws {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    // Children stop by themselves if this process dies without stopping them (ParentWatch).
    process.environment = ProcessInfo.processInfo.environment
      .merging(["TONGXIN_EXIT_WITH_PARENT": "1"]) { $1 }
      .merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    self.name = name
    self.process = UncheckedProcess(process)
    let lines = LineSplitter(output)
    // Read by blocking reads on a thread of its own, not with `readabilityHandler`: tearing
    // down its dispatch read source at end of file can crash libdispatch's event loop on
    // Linux (swift-corelibs-libdispatch#949), which our in-process tests hit about once in 7
    // runs. A blocking read registers nothing with libdispatch.
    let exit = self.exit
    process.terminationHandler = { process in exit.exited(process.terminationStatus) }
    try process.run()
    pid = process.processIdentifier
    // Started once the child runs: `run()` has closed this process's copy of the write end,
    // so the child's exit is the end of file.
    let reading = pipe.fileHandleForReading
    Thread { lines.readToEnd(reading) }.start()
  }

  public var isRunning: Bool { exit.status == nil }

  /// Sends `signal` (SIGTERM by default) unless the process has already exited.
  public func signal(_ signal: Int32 = SIGTERM) {
    guard isRunning else { return }
    kill(pid, signal)
  }

  /// Waits for the exit and returns the status (the signal number for a killed process).
  public func waitForExit() async -> Int32 {
    await exit.wait()
  }

  /// Asks the process to stop, and kills it when it has not after `grace`.
  public func stop(grace: Duration = .seconds(10)) async -> Int32 {
    signal(SIGTERM)
    let killer = Task {
      try await Task.sleep(for: grace)
      self.signal(SIGKILL)
    }
    let status = await waitForExit()
    killer.cancel()
    return status
  }

  /// Resident memory in bytes, from `/proc` (nil once the process is gone).
  public var residentMemory: Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes * 1024
  }
}

/// The exit status once known, and who waits for it.
private final class ExitWatch: Sendable {
  private enum State {
    case running([CheckedContinuation<Int32, Never>])
    case exited(Int32)
  }

  private let state = Mutex<State>(.running([]))

  var status: Int32? {
    state.withLock { if case .exited(let status) = $0 { status } else { nil } }
  }

  func exited(_ status: Int32) {
    let waiters = state.withLock { state -> [CheckedContinuation<Int32, Never>] in
      guard case .running(let waiters) = state else { return [] }
      state = .exited(status)
      return waiters
    }
    for waiter in waiters { waiter.resume(returning: status) }
  }

  func wait() async -> Int32 {
    await withCheckedContinuation { continuation in
      let status = state.withLock { state -> Int32? in
        switch state {
        case .exited(let status): return status
        case .running(let waiters):
          state = .running(waiters + [continuation])
          return nil
        }
      }
      if let status { continuation.resume(returning: status) }
    }
  }
}

/// `Process` is not Sendable; this one is only touched to start it and read its id.
private final class UncheckedProcess: @unchecked Sendable {
  let process: Process
  init(_ process: Process) { self.process = process }
}

/// Cuts a byte stream into lines for a callback.
private final class LineSplitter: Sendable {
  private let buffer = Mutex<Data>(Data())
  private let output: @Sendable (String) -> Void

  init(_ output: @escaping @Sendable (String) -> Void) {
    self.output = output
  }

  func append(_ data: Data) {
    let lines = buffer.withLock { buffer -> [Data] in
      buffer.append(data)
      var lines: [Data] = []
      while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        lines.append(buffer[buffer.startIndex..<newline])
        buffer.removeSubrange(buffer.startIndex...newline)
      }
      return lines
    }
    for line in lines { output(String(decoding: line, as: UTF8.self)) }
  }

  /// Reads `handle` with blocking reads until its end of file, then passes on the last line.
  func readToEnd(_ handle: FileHandle) {
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes {
        read(handle.fileDescriptor, $0.baseAddress, $0.count)
      }
      if count > 0 {
        append(Data(chunk[..<count]))
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        break
      }
    }
    finish()
  }

  private func finish() {
    let rest = buffer.withLock { buffer -> Data in
      defer { buffer = Data() }
      return buffer
    }
    if !rest.isEmpty { output(String(decoding: rest, as: UTF8.self)) }
  }
}
