import ArgumentParser
import TongxinApp
import ZeroMQ

/// A raw ZeroMQ echo: a ROUTER that sends every message back unchanged.
///
/// Bound, it serves DEALER clients directly; connected to a proxy's DEALER backend, it
/// serves them through the proxy (the routing frames come back with the message).
struct BenchEchoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-echo", abstract: "A raw ZeroMQ echo for `tongxin bench`.",
    shouldDisplay: false)

  @Option(help: "Bind here (tcp://127.0.0.1:* picks a port).") var bind: String?
  @Option(help: "Or connect here.") var connect: String?
  @Option(help: "Write the bound endpoint here.") var endpointsFile: String?

  func run() throws {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .router)
    if let bind {
      try socket.bind(bind)
      if let endpointsFile {
        try EndpointsFile(["echo": try socket.lastEndpoint]).write(to: endpointsFile)
      }
    }
    if let connect { try socket.connect(connect) }
    while let frames = try socket.receive() {
      try socket.send(frames)
    }
  }
}

/// A plain `zmq_proxy`: ROUTER frontend, DEALER backend, the floor of any intermediary.
struct BenchProxyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-proxy", abstract: "A plain zmq_proxy for `tongxin bench`.",
    shouldDisplay: false)

  @Option(help: "Write the bound endpoints here.") var endpointsFile: String

  func run() throws {
    let context = try ZMQContext()
    let frontend = try Socket(context: context, type: .router)
    let backend = try Socket(context: context, type: .dealer)
    try frontend.bind("tcp://127.0.0.1:*")
    try backend.bind("tcp://127.0.0.1:*")
    try EndpointsFile(["frontend": try frontend.lastEndpoint, "backend": try backend.lastEndpoint])
      .write(to: endpointsFile)
    try ZMQ.proxy(frontend: frontend, backend: backend)
  }
}
