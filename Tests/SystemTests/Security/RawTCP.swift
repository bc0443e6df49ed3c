import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Plain TCP for handshake attacks: what a hostile peer sends, byte by byte.
enum RawTCP {
  /// A connected socket to `endpoint` (`tcp://127.0.0.1:PORT`).
  static func connect(_ endpoint: String) throws -> Int32 {
    guard let port = endpoint.split(separator: ":").last.flatMap({ UInt16($0) }) else {
      throw RawTCPError("no port in \(endpoint)")
    }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else { throw RawTCPError("connect to \(endpoint) failed: errno \(errno)") }
    var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
  }

  static func send(_ fd: Int32, _ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// What arrives within the receive timeout (300 ms of silence ends it).
  static func receiveAvailable(_ fd: Int32) -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { return received }
      received += buffer[0..<count]
    }
  }

  /// Forwards one connection from a port of its own to `endpoint` and keeps every byte the
  /// client sent, to be replayed later; returns the port to connect to.
  final class RecordingRelay: @unchecked Sendable {
    let endpoint: String
    private let listener: Int32
    private let lock = NSLock()
    private var sent: [UInt8] = []

    init(to upstream: String) throws {
      let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      self.listener = listener
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(listener, $0, length) == 0 && listen(listener, 1) == 0
            && getsockname(listener, $0, &length) == 0
        }
      }
      guard bound else { throw RawTCPError("relay cannot listen: errno \(errno)") }
      endpoint = "tcp://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
      Thread.detachNewThread { [self] in
        let client = accept(listener, nil, nil)
        guard client >= 0, let server = try? RawTCP.connect(upstream) else { return }
        self.pump(client: client, server: server)
      }
    }

    /// Copies both ways until either side closes, for at most 10 s.
    private func pump(client: Int32, server: Int32) {
      var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                 pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
      var buffer = [UInt8](repeating: 0, count: 65536)
      let deadline = Date().addingTimeInterval(10)
      loop: while Date() < deadline {
        guard poll(&fds, 2, 100) >= 0 else { break }
        for (index, entry) in fds.enumerated() where entry.revents != 0 {
          let from = entry.fd
          let to = index == 0 ? server : client
          let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
          if count <= 0 { break loop }
          if index == 0 { lock.withLock { sent += buffer[0..<count] } }
          RawTCP.send(to, Array(buffer[0..<count]))
        }
      }
      close(client)
      close(server)
    }

    /// Every byte the client sent so far.
    var clientBytes: [UInt8] { lock.withLock { sent } }

    deinit { close(listener) }
  }
}

struct RawTCPError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
