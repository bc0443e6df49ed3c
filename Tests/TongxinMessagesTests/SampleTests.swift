import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

@Suite("Sample: every kind of field round-trips through protobuf-c")
struct SampleTests {
  @Test func everyFieldSet() throws {
    let s = fullSample()
    let decoded = try roundTrip(s)
    #expect(decoded == s)
    // Spot checks, so that a decoder that returned its input could not pass.
    #expect(decoded.text == "同心活动室")
    #expect(decoded.data == everyByte)
    #expect(decoded.inner?.tags == ["甲", "", "乙"])
    #expect(decoded.counts[-1] == .min)
    #expect(decoded.at?.nanos == 999_999_999)
  }

  @Test func emptyMessage() throws {
    let s = Tongxin_Echo_Sample()
    #expect(s.serializedBytes().isEmpty)
    let decoded = try roundTrip(s)
    #expect(decoded == s)
    #expect(decoded.inner == nil && decoded.choice == nil && decoded.at == nil)
    #expect(decoded.maybeText == nil && decoded.maybeNumber == nil && decoded.maybeFlag == nil)
  }

  @Test func largeRepeatedFields() throws {
    var s = Tongxin_Echo_Sample()
    s.numbers = (0..<20_000).map { Int64($0) * 1_000_003 - 5_000_000 }
    s.texts = (0..<2_000).map { "\(chinese) #\($0)" }
    s.reals = (0..<5_000).map { Double($0) / 7 }
    s.inners = (0..<1_000).map { i in
      .with {
        $0.label = "第\(i)"
        $0.rank = Int32(i)
        $0.tags = ["t\(i)"]
      }
    }
    s.colours = (0..<3_000).map { Tongxin_Echo_Colour(rawValue: Int32($0 % 5)) }
    s.blobs = (0..<300).map { [UInt8](repeating: UInt8($0 % 256), count: $0) }
    s.labels = Dictionary(uniqueKeysWithValues: (0..<1_000).map { ("标签\($0)", "值\($0)") })
    s.innerByName = Dictionary(
      uniqueKeysWithValues: (0..<300).map { i in ("\(i)", .with { $0.rank = Int32(i) }) })
    s.data = [UInt8](repeating: 0xA5, count: 1 << 20)
    let bytes = s.serializedBytes()
    #expect(bytes.count > 1 << 20)
    let decoded = try Tongxin_Echo_Sample(serializedBytes: bytes)
    #expect(decoded == s)
    #expect(decoded.inners.count == 1_000 && decoded.inners[999].label == "第999")
  }

  @Test func enumsKeepUnrecognizedNumbers() throws {
    var s = Tongxin_Echo_Sample()
    s.colour = .unrecognized(42)
    s.colours = [.red, .unrecognized(-7), .unrecognized(1_000_000), .jade]
    let decoded = try roundTrip(s)
    #expect(decoded.colour == .unrecognized(42))
    #expect(decoded.colour.rawValue == 42)
    #expect(decoded.colours == [.red, .unrecognized(-7), .unrecognized(1_000_000), .jade])
    #expect(Tongxin_Echo_Colour(rawValue: 2) == .jade)
    #expect(Tongxin_Echo_Colour.allCases == [.unspecified, .red, .jade])
  }

  @Test(arguments: [
    Tongxin_Echo_Sample.OneOf_Choice.choiceText("选择"),
    .choiceText(""),  // set but empty: still set
    .choiceNumber(0),  // set but zero: still set
    .choiceNumber(.min),
    .choiceInner(.with { $0.label = "里面" }),
    .choiceInner(Tongxin_Echo_Sample.Inner()),  // set but empty: still set
  ])
  func everyOneofCase(_ choice: Tongxin_Echo_Sample.OneOf_Choice) throws {
    var s = Tongxin_Echo_Sample()
    s.choice = choice
    #expect(try roundTrip(s).choice == choice)
  }

  @Test func oneofUnset() throws {
    var s = Tongxin_Echo_Sample()
    s.text = "x"
    #expect(try roundTrip(s).choice == nil)
  }

  @Test func maps() throws {
    var s = Tongxin_Echo_Sample()
    s.labels = ["名字": "值", "": "", "k": "v"]
    s.innerByName = ["a": .with { $0.tags = ["x", "y"] }, "空": Tongxin_Echo_Sample.Inner()]
    s.counts = [Int32.min: Int64.max, 0: -1, Int32.max: 0]
    let decoded = try roundTrip(s)
    #expect(decoded.labels == s.labels)
    #expect(decoded.innerByName == s.innerByName)
    #expect(decoded.counts == s.counts)
  }

  @Test func wrappersPresentAndAbsent() throws {
    var zeros = Tongxin_Echo_Sample()
    zeros.maybeText = ""
    zeros.maybeNumber = 0
    zeros.maybeFlag = false
    let decodedZeros = try roundTrip(zeros)
    // Present with a zero value is not absent: that is what the wrappers are for.
    #expect(decodedZeros.maybeText == "")
    #expect(decodedZeros.maybeNumber == 0)
    #expect(decodedZeros.maybeFlag == false)

    var some = Tongxin_Echo_Sample()
    some.maybeText = chinese
    some.maybeNumber = .max
    #expect(try roundTrip(some) == some)
    #expect(try roundTrip(some).maybeFlag == nil)
  }

  @Test func timestamp() throws {
    var s = Tongxin_Echo_Sample()
    s.at = .with {
      $0.seconds = -62_135_596_800
      $0.nanos = 1
    }
    #expect(try roundTrip(s).at == s.at)
    let epoch = Google_Protobuf_Timestamp()
    s.at = epoch  // present, all zero
    #expect(try roundTrip(s).at == epoch)
    #expect(Google_Protobuf_Timestamp.protoMessageName == "google.protobuf.Timestamp")
  }

  @Test func arbitraryBinarySurvivesInBytesFields() throws {
    var request = Tongxin_Echo_EchoRequest()
    request.payload = everyByte
    #expect(try roundTrip(request).payload == everyByte)
    var random = SystemRandomNumberGenerator()
    for size in [1, 7, 4096, 100_000] {
      request.payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
      #expect(try roundTrip(request).payload == request.payload)
    }
  }

  @Test func nestedTypesEncodeOnTheirOwn() throws {
    let inner = Tongxin_Echo_Sample.Inner.with {
      $0.label = chinese
      $0.rank = 9
      $0.tags = ["a"]
    }
    #expect(try roundTrip(inner) == inner)
    let kind = Tongxin_Rpc_EnumDescription.Value.with {
      $0.name = "X"
      $0.number = -1
    }
    #expect(try roundTrip(kind) == kind)
  }

  @Test func valueSemantics() {
    var a = fullSample()
    let b = a
    a.inner?.tags.append("new")
    a.labels["new"] = "x"
    #expect(a != b)
    #expect(b == fullSample())
    #expect(Set([a, b, fullSample()]).count == 2)
  }
}
