import Foundation
import Testing

@testable import ZeroMQ

@Suite struct ZMQErrorTests {
  @Test func bindToBadEndpointCarriesErrnoAndText() throws {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .router)
    do {
      try socket.bind("bogus://nowhere")
      Issue.record("binding to an unknown transport succeeded")
    } catch {
      #expect(error.code == EPROTONOSUPPORT)
      #expect(error.operation == "zmq_bind(bogus://nowhere)")
      #expect(error.description.contains("Protocol not supported"))
      #expect(error.description.contains("zmq_bind(bogus://nowhere)"))
      #expect(!error.isTerminated && !error.wouldBlock && !error.isHostUnreachable)
    }
  }

  @Test func closedSocketFailsWithENOTSOCK() throws {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .dealer)
    socket.close()
    socket.close()  // idempotent
    #expect(socket.isClosed)
    do {
      try socket.send([[1]])
      Issue.record("sending on a closed socket succeeded")
    } catch {
      #expect(error.code == ENOTSOCK)
    }
    #expect(throws: ZMQError.self) { _ = try socket.lastEndpoint }
  }

  @Test func errorsCompareByCodeAndOperation() {
    let a = ZMQError(code: EAGAIN, operation: "zmq_msg_recv")
    #expect(a == ZMQError(code: EAGAIN, operation: "zmq_msg_recv"))
    #expect(a != ZMQError(code: EINTR, operation: "zmq_msg_recv"))
    #expect(a.wouldBlock)
    #expect(ZMQError(code: EINTR, operation: "x").isInterrupted)
  }
}
