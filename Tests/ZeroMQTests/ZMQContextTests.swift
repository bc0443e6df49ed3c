import Foundation
import Testing

@testable import ZeroMQ

@Suite struct ZMQContextTests {
  @Test func versionAndCapabilities() {
    let version = ZMQ.version
    #expect(version.major == 4 && version.minor >= 3)
    #expect(ZMQ.has("curve"))
    #expect(!ZMQ.has("no-such-capability"))
  }

  @Test func curveKeys() throws {
    let pair = try ZMQ.curveKeyPair()
    #expect(pair.publicKey.utf8.count == 40)
    #expect(pair.secretKey.utf8.count == 40)
    #expect(pair.publicKey != pair.secretKey)
    #expect(try ZMQ.curvePublicKey(fromSecret: pair.secretKey) == pair.publicKey)
    #expect(throws: ZMQError.self) { try ZMQ.curvePublicKey(fromSecret: "short") }
  }

  @Test func shutdownEndsABlockingReceiveOnAnotherThreadWithETERM() throws {
    let context = try ZMQContext()
    let endpoint = uniqueInproc("eterm")
    let blocking = Signal()
    let ended = Signal()
    let outcome = Locked<String>("still blocked")
    let thread = Thread {
      do {
        // Created on the thread that uses it: sockets are not Sendable.
        let socket = try Socket(context: context, type: .pull)
        try socket.bind(endpoint)
        blocking.signal()
        let message = try socket.receive()
        outcome.update { $0 = "received \(String(describing: message))" }
      } catch let error as ZMQError {
        outcome.update { $0 = error.isTerminated ? "ETERM" : "\(error)" }
      } catch {
        outcome.update { $0 = "\(error)" }
      }
      ended.signal()
    }
    thread.start()
    #expect(blocking.wait())
    usleep(20_000)  // let it reach zmq_msg_recv
    #expect(outcome.value == "still blocked")
    context.shutdown()
    #expect(ended.wait())
    #expect(outcome.value == "ETERM")
  }
}
