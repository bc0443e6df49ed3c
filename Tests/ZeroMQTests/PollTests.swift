import Foundation
import Testing

@testable import ZeroMQ

@Suite struct PollTests {
  @Test func pollSeesSocketsAndWakers() throws {
    let context = try ZMQContext()
    let endpoint = uniqueInproc("poll")
    let pull = try Socket(context: context, type: .pull)
    try pull.bind(endpoint)
    let push = try Socket(context: context, type: .push)
    try push.connect(endpoint)
    let waker = try Waker()

    var items = [PollItem(socket: pull), PollItem(fileDescriptor: waker.fileDescriptor)]
    #expect(try ZMQ.poll(&items, timeout: .zero) == 0)

    waker.signal()
    waker.signal()  // signals coalesce
    #expect(try ZMQ.poll(&items, timeout: .seconds(1)) == 1)
    #expect(!items[0].isReady() && items[1].isReady())
    waker.drain()
    #expect(try ZMQ.poll(&items, timeout: .zero) == 0)

    try push.send([[42]])
    #expect(try ZMQ.poll(&items, timeout: .seconds(1)) == 1)
    #expect(items[0].isReady() && !items[1].isReady())
    #expect(try pull.receive(dontWait: true) == [[42]])
  }

  @Test func pollRefusesClosedSockets() throws {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .pull)
    var items = [PollItem(socket: socket)]
    socket.close()
    #expect(throws: ZMQError.self) { try ZMQ.poll(&items, timeout: .zero) }
  }
}
