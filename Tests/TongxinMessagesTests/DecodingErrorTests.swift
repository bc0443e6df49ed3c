import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

@Suite("Bad bytes give a ProtoDecodingError that says what was wrong, never a crash")
struct DecodingErrorTests {
  /// The error `body` throws, which must be a ProtoDecodingError.
  func decodingError(_ body: () throws -> Void) -> ProtoDecodingError? {
    do {
      try body()
      return nil
    } catch let error as ProtoDecodingError {
      return error
    } catch {
      Issue.record("not a ProtoDecodingError: \(error)")
      return nil
    }
  }

  @Test func garbage() throws {
    let garbage: [UInt8] = [
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0xFF, 0xFF,
    ]
    let error = try #require(
      decodingError { _ = try Tongxin_Echo_EchoRequest(serializedBytes: garbage) })
    #expect(error.reason == .invalidEncoding)
    #expect(error.messageName == "tongxin.echo.EchoRequest")
    #expect(error.byteCount == 17)
    #expect(
      error.description == "not a valid protobuf encoding of tongxin.echo.EchoRequest (17 bytes)")
  }

  @Test func truncated() throws {
    let bytes = fullSample().serializedBytes()
    for cut in [1, bytes.count / 2, bytes.count - 1] {
      let error = decodingError {
        _ = try Tongxin_Echo_Sample(serializedBytes: Array(bytes.prefix(cut)))
      }
      #expect(error?.reason == .invalidEncoding, "cut at \(cut) of \(bytes.count)")
      #expect(error?.byteCount == cut)
    }
  }

  @Test func wrongWireTypeForAField() {
    // Field 1 (text, a string) sent as a varint.
    let error = decodingError { _ = try Tongxin_Echo_EchoRequest(serializedBytes: [0x08, 0x01]) }
    #expect(error?.reason == .invalidEncoding)
  }

  @Test func nestedTypeNamesItself() {
    let error = decodingError {
      _ = try Tongxin_Echo_Sample.Inner(serializedBytes: [0x0A, 0x09, 0x41])
    }
    #expect(
      error?.description == "not a valid protobuf encoding of tongxin.echo.Sample.Inner (3 bytes)")
  }

  @Test func invalidUTF8IsRejectedNamingTheField() throws {
    // EchoRequest.text = 0xFF 0xFE (not UTF-8).
    let error = try #require(
      decodingError { _ = try Tongxin_Echo_EchoRequest(serializedBytes: [0x0A, 0x02, 0xFF, 0xFE]) })
    #expect(error.reason == .invalidUTF8(field: "tongxin.echo.EchoRequest.text"))
    #expect(error.messageName == "tongxin.echo.EchoRequest")
    #expect(error.description.contains("tongxin.echo.EchoRequest.text"))
    #expect(error.description.contains("UTF-8"))
    // The same bytes in the bytes field are fine.
    #expect(
      try Tongxin_Echo_EchoRequest(serializedBytes: [0x12, 0x02, 0xFF, 0xFE]).payload == [
        0xFF, 0xFE,
      ])
  }

  /// Builds a valid Sample, then swaps a marker string for bytes that are not UTF-8.
  func sampleBytes(corrupting marker: String, in build: (inout Tongxin_Echo_Sample) -> Void)
    -> [UInt8]
  {
    var s = Tongxin_Echo_Sample()
    build(&s)
    var bytes = s.serializedBytes()
    let m = Array(marker.utf8)
    let at = (0...(bytes.count - m.count)).first { Array(bytes[$0..<$0 + m.count]) == m }!
    bytes[at] = 0xC3  // a lead byte followed by ASCII: not UTF-8
    return bytes
  }

  /// Sets a string somewhere in a Sample to `value`; the cases name the field they set.
  static func set(_ field: String, _ value: String, in s: inout Tongxin_Echo_Sample) {
    switch field {
    case "tongxin.echo.Sample.Inner.label": s.inner = .with { $0.label = value }
    case "tongxin.echo.Sample.Inner.tags": s.inners = [.with { $0.tags = ["ok", value] }]
    case "tongxin.echo.Sample.texts": s.texts = [value]
    case "tongxin.echo.Sample.LabelsEntry.key": s.labels = [value: "v"]
    case "tongxin.echo.Sample.LabelsEntry.value": s.labels = ["k": value]
    case "tongxin.echo.Sample.choice_text": s.choice = .choiceText(value)
    case "tongxin.echo.Sample.maybe_text": s.maybeText = value
    default: Issue.record("no case for \(field)")
    }
  }

  @Test(arguments: [
    "tongxin.echo.Sample.Inner.label", "tongxin.echo.Sample.Inner.tags",
    "tongxin.echo.Sample.texts", "tongxin.echo.Sample.LabelsEntry.key",
    "tongxin.echo.Sample.LabelsEntry.value", "tongxin.echo.Sample.choice_text",
    "tongxin.echo.Sample.maybe_text",
  ])
  func invalidUTF8InNestedPlaces(field: String) throws {
    let bytes = sampleBytes(corrupting: "MARK") { Self.set(field, "MARK", in: &$0) }
    let error = try #require(decodingError { _ = try Tongxin_Echo_Sample(serializedBytes: bytes) })
    #expect(error.reason == .invalidUTF8(field: field))
    #expect(error.messageName == "tongxin.echo.Sample")
    #expect(error.byteCount == bytes.count)
  }

  /// Random bytes decode or throw; whatever decodes encodes again.
  @Test func randomBytesNeverCrash() {
    var random = SystemRandomNumberGenerator()
    var decoded = 0
    for _ in 0..<3_000 {
      let count = Int.random(in: 0...64, using: &random)
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
      for type in [
        Tongxin_Echo_Sample.self, Tongxin_Rpc_RequestHeader.self,
        Tongxin_Rpc_ServiceDescription.self,
      ] as [any ProtoMessage.Type] {
        if let message = try? type.init(serializedBytes: bytes) {
          decoded += 1
          _ = message.serializedBytes()
        }
      }
    }
    #expect(decoded > 0)
  }
}
