import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

/// The gateway forwards headers as they were encoded, with its own fields appended
/// (PROTOCOL.md, "What the gateway changes in a header"): the receiver must decode the
/// appended values, and keep the rest of the sender's header.
@Suite("Headers forwarded with fields appended decode as the merged header")
struct ForwardedHeaderTests {
  @Test func requestHeaderTakesTheGatewaysCallIDTimeoutAndIdentity() throws {
    var caller = Tongxin_Rpc_RequestHeader()
    caller.callID = 7
    caller.service = "membership"
    caller.method = "GetPerson"
    caller.timeoutMs = 30_000
    caller.metadata = ["trace": chinese]
    caller.idempotencyKey = "预订-42"
    var identity = Tongxin_Rpc_RequestHeader()
    identity.metadata = ["tongxin-department": "operations", "tongxin-personal-data": "allowed"]

    var forwarded = caller.serializedBytes() + identity.serializedBytes()
    Tongxin_Rpc_RequestHeader.append(callID: .max, timeoutMs: 1_234, to: &forwarded)

    var expected = caller
    expected.callID = .max
    expected.timeoutMs = 1_234
    expected.metadata.merge(identity.metadata) { _, gateway in gateway }
    #expect(try Tongxin_Rpc_RequestHeader(serializedBytes: forwarded) == expected)
  }

  @Test func responseHeaderTakesTheCallersCallID() throws {
    var instance = Tongxin_Rpc_ResponseHeader()
    instance.callID = 9_000_000_001
    instance.code = .notFound
    instance.message = "没有这个人"
    instance.details = ["field": "person_id"]

    var forwarded = instance.serializedBytes()
    Tongxin_Rpc_ResponseHeader.append(callID: 3, to: &forwarded)

    var expected = instance
    expected.callID = 3
    #expect(try Tongxin_Rpc_ResponseHeader(serializedBytes: forwarded) == expected)
  }

  /// protobuf-c unpacks into an arena that starts on the stack and grows in heap chunks: a
  /// message far bigger than the first buffer must come out whole.
  @Test func largeMessagesDecodeWhole() throws {
    var sample = fullSample()
    sample.texts = (0..<20_000).map { "\(chinese) \($0)" }
    sample.blobs = (0..<300).map { _ in everyByte }
    #expect(try roundTrip(sample) == sample)
  }
}
