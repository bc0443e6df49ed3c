import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

@Suite("Envelopes of the wire protocol round-trip through protobuf-c")
struct EnvelopeTests {
  @Test func requestHeader() throws {
    var h = Tongxin_Rpc_RequestHeader()
    h.callID = .max
    h.service = "membership"
    h.method = "GetPerson"
    h.timeoutMs = 30_000
    h.metadata = ["tongxin-department": chinese, "trace": "abc", "空": ""]
    h.idempotencyKey = "预订-42"
    #expect(try roundTrip(h) == h)
  }

  @Test func responseHeader() throws {
    for code in Tongxin_Rpc_StatusCode.allCases + [.unrecognized(99), .unrecognized(-5)] {
      var h = Tongxin_Rpc_ResponseHeader()
      h.callID = 7
      h.code = code
      h.message = "房间 \(chinese) 已被预订"
      h.details = ["field": "room_id"]
      #expect(try roundTrip(h) == h, "code \(code)")
    }
  }

  @Test func statusCodesHaveGRPCNumbers() {
    #expect(Tongxin_Rpc_StatusCode.allCases.count == 17)
    #expect(Tongxin_Rpc_StatusCode.ok.rawValue == 0)
    #expect(Tongxin_Rpc_StatusCode.invalidArgument.rawValue == 3)
    #expect(Tongxin_Rpc_StatusCode.unauthenticated.rawValue == 16)
    #expect(Tongxin_Rpc_StatusCode(rawValue: 14) == .unavailable)
    #expect(Tongxin_Rpc_StatusCode(rawValue: 17) == .unrecognized(17))
    #expect(Tongxin_Rpc_StatusCode() == .ok)
  }

  @Test func cancelAndHeartbeatAndDisconnect() throws {
    var cancel = Tongxin_Rpc_Cancel()
    cancel.callID = 123_456_789_012
    #expect(try roundTrip(cancel) == cancel)

    var heartbeat = Tongxin_Rpc_Heartbeat()
    heartbeat.inFlight = 150
    #expect(try roundTrip(heartbeat) == heartbeat)

    var disconnect = Tongxin_Rpc_Disconnect()
    disconnect.reason = "排水中"
    #expect(try roundTrip(disconnect) == disconnect)
  }

  @Test func registerInstanceCarriesAWholeServiceDescription() throws {
    var r = Tongxin_Rpc_RegisterInstance()
    r.service = "echo"
    r.instanceID = "echo-3f9a1c"
    r.version = "1.0.0"
    r.maxConcurrency = 64
    r.description_p = Tongxin_Echo_Echo.description
    let decoded = try roundTrip(r)
    #expect(decoded == r)
    #expect(decoded.description_p?.methods.count == 5)

    var reply = Tongxin_Rpc_RegisterReply()
    reply.accepted = true
    reply.message = "欢迎"
    reply.heartbeatIntervalMs = 2500
    reply.heartbeatLiveness = 3
    #expect(try roundTrip(reply) == reply)
  }

  @Test func everyServiceDescriptionRoundTrips() throws {
    for d in TongxinServices.all {
      #expect(try roundTrip(d) == d, "\(d.name)")
    }
    var response = Tongxin_System_DescribeResponse()
    response.services = TongxinServices.all
    #expect(try roundTrip(response) == response)
  }

  /// The bytes are protobuf's, not just something our own decoder reads back.
  @Test func knownEncodings() throws {
    var heartbeat = Tongxin_Rpc_Heartbeat()
    heartbeat.inFlight = 150
    #expect(heartbeat.serializedBytes() == [0x08, 0x96, 0x01])

    var request = Tongxin_Echo_EchoRequest()
    request.text = "hi"
    request.payload = [0, 255]
    #expect(request.serializedBytes() == [0x0A, 0x02, 0x68, 0x69, 0x12, 0x02, 0x00, 0xFF])

    var header = Tongxin_Rpc_ResponseHeader()
    header.code = .notFound
    header.details = ["a": "b"]
    #expect(
      header.serializedBytes() == [0x10, 0x05, 0x22, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0x62])

    // Defaults are not sent in proto3: an empty message is zero bytes, and back.
    #expect(Tongxin_Rpc_RequestHeader().serializedBytes() == [])
    #expect(try Tongxin_Rpc_RequestHeader(serializedBytes: []) == Tongxin_Rpc_RequestHeader())
  }

  /// Maps are encoded sorted by key, so equal messages are equal bytes.
  @Test func mapEncodingIsDeterministic() {
    var a = Tongxin_Rpc_RequestHeader()
    var b = Tongxin_Rpc_RequestHeader()
    let keys = (0..<50).map { "键\($0)" }
    for k in keys { a.metadata[k] = k }
    for k in keys.reversed() { b.metadata[k] = k }
    #expect(a == b)
    #expect(a.serializedBytes() == b.serializedBytes())
  }
}
