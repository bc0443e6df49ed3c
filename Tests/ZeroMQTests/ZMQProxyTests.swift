import Foundation
import Testing

@testable import ZeroMQ

@Suite struct ZMQProxyTests {
  @Test func proxyForwardsUntilTheContextShutsDown() throws {
    let context = try ZMQContext()
    let front = uniqueInproc("proxy-front")
    let back = uniqueInproc("proxy-back")
    let bound = Signal()
    let returned = Signal()
    let outcome = Locked("running")
    Thread {
      do {
        // zmq_proxy blocks its thread, which therefore owns both sockets.
        let frontend = try Socket(context: context, type: .pull)
        try frontend.bind(front)
        let backend = try Socket(context: context, type: .push)
        try backend.bind(back)
        bound.signal()
        try ZMQ.proxy(frontend: frontend, backend: backend)
        outcome.update { $0 = "returned" }
      } catch {
        outcome.update { $0 = "\(error)" }
      }
      returned.signal()
    }.start()
    #expect(bound.wait())

    let client = try Socket(context: context, type: .push)
    try client.connect(front)
    let worker = try Socket(context: context, type: .pull)
    try worker.setReceiveTimeout(.seconds(2))
    try worker.connect(back)
    try client.send([[1], [2, 3]])
    #expect(try worker.receive() == [[1], [2, 3]])
    #expect(outcome.value == "running")

    context.shutdown()
    #expect(returned.wait())
    #expect(outcome.value == "returned")
  }
}
