import Echo
import Foundation
import Testing
import TongxinFuzzing
import TongxinMessages
import TongxinRPC
import TongxinWire
import ZeroMQ

/// Instances and clients after random messages from their gateway: a fake gateway (a ROUTER
/// in the test) sends what the fuzz mutations make of the committed corpus, then a valid
/// message, which must still get its normal answer.
@Suite("Instances and clients after random messages from a gateway", .serialized)
struct PeerRandomMessageTests {
  /// Frames of `count` random messages meant for an instance or a client (frames of other
  /// steps too: to an instance anything may come).
  static func randomMessages(seed: UInt64, count: Int) throws -> [[[UInt8]]] {
    var mutator = FuzzMutator(seed: seed, corpus: try committedFuzzInputs().map(\.bytes))
    var messages: [[[UInt8]]] = []
    while messages.count < count {
      for step in FuzzInput(mutator.next()).steps {
        switch step {
        case .toInstance(let frames), .toClient(let frames), .frontend(_, let frames),
          .backend(_, let frames):
          if !frames.isEmpty { messages.append(frames) }
        default: break
        }
      }
    }
    return messages
  }

  @Test("an instance answers a valid call after 2 000 random messages")
  func instance() async throws {
    let gateway = try Socket(context: .tongxinShared, type: .router)
    try gateway.setSendHighWaterMark(100_000)  // none of the random messages dropped
    try gateway.bind("tcp://127.0.0.1:*")
    var configuration = RPCServer.Configuration(gatewayEndpoint: try gateway.lastEndpoint)
    configuration.instanceID = "echo-under-fire"
    let server = RPCServer(
      service: EchoService(), configuration: configuration, logger: quietLogger("instance"))
    let task = Task { try await server.run() }

    let instance = try await acceptRegistration(on: gateway)

    var calls: [UInt64] = []
    for frames in try Self.randomMessages(seed: 3, count: 2_000) {
      // A refused registration stops an instance by design: that is not a random message.
      let message = wireMessage(frames[...])
      if message?.command == .registered { continue }
      if let message, message.command == .request,
        let header = try? Tongxin_Rpc_RequestHeader(serializedBytes: message.body)
      {
        calls.append(header.callID)
      }
      _ = try? gateway.send([instance] + frames, dontWait: true)
    }
    #expect(calls.count > 100, "random calls: \(calls.count)")
    // Random calls may sleep (echo.Work) until their random deadline: cancel them all.
    for id in calls {
      let cancel = Tongxin_Rpc_Cancel.with { $0.callID = id }
      try gateway.send([instance] + WireProtocol.frames(.cancel, cancel.serializedBytes()))
    }

    let callID: UInt64 = 0xF00D
    #expect(!calls.contains(callID))
    var header = Tongxin_Rpc_RequestHeader()
    header.callID = callID
    header.service = "echo"
    header.method = "Echo"
    header.timeoutMs = 10_000
    let request = Tongxin_Echo_EchoRequest.with { $0.text = "同心" }
    try gateway.send(
      [instance] + WireProtocol.frames(.request, header.serializedBytes(), payload: request.serializedBytes()))
    let response = try #require(
      try await receiveFrames(gateway) { frames in
        guard let message = wireMessage(frames.dropFirst()), message.command == .response else {
          return false
        }
        return (try? Tongxin_Rpc_ResponseHeader(serializedBytes: message.body))?.callID == callID
      }.flatMap { wireMessage($0.dropFirst()) })
    #expect(try Tongxin_Rpc_ResponseHeader(serializedBytes: response.body).code == .ok)
    #expect(try Tongxin_Echo_EchoResponse(serializedBytes: response.payload).text == "同心")
    task.cancel()
    _ = try? await task.value
    gateway.close()
  }

  @Test("a client gets its answer after 2 000 random messages")
  func client() async throws {
    let gateway = try Socket(context: .tongxinShared, type: .router)
    try gateway.setSendHighWaterMark(100_000)  // none of the random messages dropped
    try gateway.bind("tcp://127.0.0.1:*")
    let client = try RPCClient(endpoint: try gateway.lastEndpoint, logger: quietLogger("client"))
    let echo = Tongxin_Echo_Echo.Client(wrapping: client)
    async let reply = echo.echo(echoRequest("同心"), options: CallOptions(timeout: .seconds(10)))

    let request = try #require(try await receiveFrames(gateway) {
      wireMessage($0.dropFirst())?.command == .request
    })
    let caller = request[0]
    let callID = try Tongxin_Rpc_RequestHeader(
      serializedBytes: try #require(wireMessage(request.dropFirst())).body
    ).callID
    for frames in try Self.randomMessages(seed: 4, count: 2_000) {
      // An answer to the call itself would end it: only the last one may.
      if let message = wireMessage(frames[...]), message.command == .response,
        (try? Tongxin_Rpc_ResponseHeader(serializedBytes: message.body))?.callID == callID
      {
        continue
      }
      _ = try? gateway.send([caller] + frames, dontWait: true)
    }
    var header = Tongxin_Rpc_ResponseHeader()
    header.callID = callID
    let response = Tongxin_Echo_EchoResponse.with { $0.text = "同心"; $0.instanceID = "fake" }
    try gateway.send(
      [caller] + WireProtocol.frames(.response, header.serializedBytes(), payload: response.serializedBytes()))
    #expect(try await reply == response)
    client.close()
    gateway.close()
  }
}
