import Foundation
import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

/// `value` as compact JSON with sorted keys, as tools print it.
func jsonText<T: Encodable>(_ value: T) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Decodes `text` as a `T`.
func fromJSON<T: Decodable>(_ type: T.Type = T.self, _ text: String) throws -> T {
  try JSONDecoder().decode(T.self, from: Data(text.utf8))
}

/// The `debugDescription` of the `DecodingError` that decoding `text` as `T` throws; nil (and
/// a test failure) when it decodes or throws something else.
func decodingFailure<T: Decodable>(
  _ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
  do {
    _ = try fromJSON(T.self, text)
    Issue.record("\(text) decoded as \(T.self)", sourceLocation: sourceLocation)
  } catch let error as DecodingError {
    switch error {
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c),
      .dataCorrupted(let c):
      return c.debugDescription
    @unknown default:
      Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
  } catch {
    Issue.record("not a DecodingError: \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

@Suite("JSON: messages and enums in protobuf's proto3 JSON mapping")
struct JSONTests {
  /// A Sample with one of each kind of field, some at values with a special JSON form.
  static func sample() -> Tongxin_Echo_Sample {
    var s = Tongxin_Echo_Sample()
    s.text = "同心 \"quoted\""
    s.data = [0xFB, 0xFF, 0x00]
    s.flag = true
    s.i32 = -7
    s.i64 = -9_007_199_254_740_993  // not exact as a Double: why 64-bit integers are strings
    s.u64 = .max
    s.sf32 = 0  // default: left out
    s.real32 = 1.5
    s.real64 = -.infinity
    s.colour = .jade
    s.inner = .with {
      $0.label = "内层"
      $0.rank = 2
    }
    s.numbers = [1, -2]
    s.inners = [Tongxin_Echo_Sample.Inner()]
    s.colours = [.red, .unrecognized(9)]
    s.labels = ["名字": "值"]
    s.innerByName = ["k": Tongxin_Echo_Sample.Inner()]
    s.choice = .choiceNumber(0)  // set: written although zero
    s.maybeText = ""  // present: written although empty
    s.maybeFlag = false
    s.at = .with {
      $0.seconds = 1_501_545_600
      $0.nanos = 500_000_000
    }
    s.blobs = [[], [0xFF]]
    s.reals = [0.25, -0.0]
    s.counts = [7: 70, -1: 0]
    return s
  }

  static let sampleJSON = """
    {"at":"2017-08-01T00:00:00.500Z","blobs":["","/w=="],"choiceNumber":"0","colour":"COLOUR_JADE",\
    "colours":["COLOUR_RED",9],"counts":{"-1":"0","7":"70"},"data":"+/8A","flag":true,"i32":-7,\
    "i64":"-9007199254740993","inner":{"label":"内层","rank":2},"innerByName":{"k":{}},"inners":[{}],\
    "labels":{"名字":"值"},"maybeFlag":false,"maybeText":"","numbers":["1","-2"],"real32":1.5,\
    "real64":"-Infinity","reals":[0.25,-0],"text":"同心 \\"quoted\\"","u64":"18446744073709551615"}
    """

  @Test func encodesTheCanonicalForm() throws {
    #expect(try jsonText(Self.sample()) == Self.sampleJSON)
  }

  @Test func decodesTheCanonicalForm() throws {
    let decoded = try fromJSON(Tongxin_Echo_Sample.self, Self.sampleJSON)
    #expect(decoded == Self.sample())
    #expect(decoded.i64 == -9_007_199_254_740_993)
    #expect(decoded.maybeText == "" && decoded.maybeNumber == nil && decoded.maybeFlag == false)
    #expect(decoded.colours == [.red, .unrecognized(9)])
  }

  @Test func everyFieldRoundTrips() throws {
    let s = fullSample()
    let text = try jsonText(s)
    let decoded = try fromJSON(Tongxin_Echo_Sample.self, text)
    #expect(decoded == s)
    // And through the binary encoding, so that both agree.
    #expect(try roundTrip(decoded) == s)
    #expect(text.contains("\"text\":\"同心活动室\""))
    #expect(text.contains("\"i64\":\"-9223372036854775808\""))
    #expect(text.contains("\"u64\":\"18446744073709551615\""))
    #expect(text.contains("\"colour\":\"COLOUR_JADE\""))
    #expect(text.contains("\"at\":\"2025-11-24T16:00:00.999999999Z\""))
    #expect(text.contains("\"data\":\"\(Data(everyByte).base64EncodedString())\""))
    #expect(text.contains("\"reals\":[0,-0.5,1.7976931348623157e+308,\"Infinity\"]"))
    #expect(text.contains("\"counts\":{\"-1\":\"-9223372036854775808\",\"0\":\"0\",\"7\":\"7\"}"))
  }

  @Test(arguments: [
    Tongxin_Echo_Sample.OneOf_Choice.choiceText(""),
    .choiceText("选择"),
    .choiceNumber(.max),
    .choiceInner(Tongxin_Echo_Sample.Inner()),
    .choiceInner(.with { $0.tags = ["x"] }),
  ])
  func oneofCases(_ choice: Tongxin_Echo_Sample.OneOf_Choice) throws {
    var s = Tongxin_Echo_Sample()
    s.choice = choice
    let text = try jsonText(s)
    #expect(try fromJSON(Tongxin_Echo_Sample.self, text).choice == choice)
    // Only the set field: one key.
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(object?.count == 1)
  }

  @Test func defaultsAreLeftOut() throws {
    #expect(try jsonText(Tongxin_Echo_Sample()) == "{}")
    #expect(try jsonText(Tongxin_System_GetStatsRequest()) == "{}")
    var s = Tongxin_Echo_Sample()
    s.at = Google_Protobuf_Timestamp()  // present although zero
    s.inner = Tongxin_Echo_Sample.Inner()
    s.colour = .unrecognized(0)  // the zero value
    #expect(try jsonText(s) == #"{"at":"1970-01-01T00:00:00Z","inner":{}}"#)
    #expect(try fromJSON(Tongxin_Echo_Sample.self, "{}") == Tongxin_Echo_Sample())
  }

  @Test func decodesProtoFieldNames() throws {
    let text = """
      {"inner_by_name":{"a":{"label":"甲"}},"choice_inner":{"rank":3},"maybe_text":"m",
       "maybe_number":"-5","maybe_flag":true}
      """
    let s = try fromJSON(Tongxin_Echo_Sample.self, text)
    #expect(s.innerByName["a"]?.label == "甲")
    #expect(s.choice == .choiceInner(.with { $0.rank = 3 }))
    #expect(s.maybeText == "m" && s.maybeNumber == -5 && s.maybeFlag == true)
    let header = try fromJSON(
      Tongxin_Rpc_RequestHeader.self, #"{"call_id":7,"timeout_ms":"250","idempotency_key":"k"}"#)
    #expect(header.callID == 7 && header.timeoutMs == 250 && header.idempotencyKey == "k")
    #expect(try jsonText(header) == #"{"callId":"7","idempotencyKey":"k","timeoutMs":250}"#)
  }

  @Test func decodesTheOtherAcceptedForms() throws {
    let s = try fromJSON(
      Tongxin_Echo_Sample.self,
      """
      {"i64": -12, "u64": 12345678901234567890, "i32": "-3", "u32": 1e3, "s64": "1e2",
       "real32": "NaN", "real64": "-2.5", "reals": ["Infinity", 1, "-Infinity"],
       "data": "-_8", "blobs": ["+/8=", "-_8"], "colour": 1, "colours": ["COLOUR_JADE", 5],
       "at": "2017-08-01T08:00:00.25+08:00", "numbers": [1, "2", 3.0],
       "counts": {"-7": 1, "0": "2"}, "text": null, "inner": null, "maybeText": null}
      """)
    #expect(s.i64 == -12 && s.u64 == 12_345_678_901_234_567_890 && s.i32 == -3)
    #expect(s.u32 == 1000 && s.s64 == 100)
    #expect(s.real32.isNaN && s.real64 == -2.5 && s.reals == [.infinity, 1, -.infinity])
    #expect(s.data == [0xFB, 0xFF] && s.blobs == [[0xFB, 0xFF], [0xFB, 0xFF]])
    #expect(s.colour == .red && s.colours == [.jade, .unrecognized(5)])
    #expect(
      s.at
        == .with {
          $0.seconds = 1_501_545_600
          $0.nanos = 250_000_000
        })
    #expect(s.numbers == [1, 2, 3] && s.counts == [-7: 1, 0: 2])
    #expect(s.text == "" && s.inner == nil && s.maybeText == nil)
    #expect(try jsonText(s).contains(#""real32":"NaN""#))
  }

  /// Tools look a type up by name and have only `any ProtoMessage.Type`.
  @Test func decodesThroughTheRegistry() throws {
    let type = try #require(TongxinMessageTypes.byName["tongxin.echo.Sample"])
    let message: any ProtoMessage = try JSONDecoder().decode(
      type, from: Data(#"{"text":"经注册表","i64":"5"}"#.utf8))
    let sample = try #require(message as? Tongxin_Echo_Sample)
    #expect(sample.text == "经注册表" && sample.i64 == 5)
    #expect(try jsonText(message) == #"{"i64":"5","text":"经注册表"}"#)
    // Every registered type prints and reads its empty message: {} but for google.protobuf
    // types with a JSON form of their own.
    for (name, type) in TongxinMessageTypes.byName {
      let empty = type.init()
      let text = try jsonText(empty)
      if !name.hasPrefix("google.protobuf.") { #expect(text == "{}", "\(name)") }
      let decoded = try JSONDecoder().decode(type, from: Data(text.utf8))
      #expect(decoded.serializedBytes() == empty.serializedBytes(), "\(name)")
    }
    #expect(TongxinMessageTypes.byName["google.protobuf.Timestamp"] != nil)
  }

  @Test func enumsOnTheirOwn() throws {
    #expect(
      try jsonText([Tongxin_Echo_Colour.jade, .unspecified, .unrecognized(-4)])
        == #"["COLOUR_JADE","COLOUR_UNSPECIFIED",-4]"#)
    #expect(
      try jsonText([Tongxin_Rpc_StatusCode.invalidArgument])
        == #"["STATUS_CODE_INVALID_ARGUMENT"]"#)
    #expect(
      try fromJSON([Tongxin_Echo_Colour].self, #"["COLOUR_RED", 2, 77]"#)
        == [.red, .jade, .unrecognized(77)])
    let error = decodingFailure(Tongxin_Echo_Colour.self, #""RED""#)
    #expect(
      error == #"tongxin.echo.Colour: "RED" is not a value of tongxin.echo.Colour; "#
        + "the names are: COLOUR_UNSPECIFIED, COLOUR_RED, COLOUR_JADE")
  }

  @Test func timestampsOnTheirOwn() throws {
    #expect(
      try jsonText([Google_Protobuf_Timestamp.with { $0.seconds = -1 }])
        == #"["1969-12-31T23:59:59Z"]"#)
    #expect(
      try fromJSON(Google_Protobuf_Timestamp.self, #""1970-01-01T00:00:00.000001Z""#)
        == .with { $0.nanos = 1000 })
    #expect(
      decodingFailure(Google_Protobuf_Timestamp.self, "{}")
        == "google.protobuf.Timestamp expects an RFC 3339 time string, got an object")
    let tooLate = Google_Protobuf_Timestamp.with { $0.seconds = 253_402_300_800 }
    #expect(throws: EncodingError.self) { try jsonText(tooLate) }
  }
}

@Suite("JSON: errors name the field, the message and what was expected")
struct JSONErrorTests {
  @Test(arguments: [
    (
      #"{"persnId": 1}"#, Tongxin_Rpc_RequestHeader.self as any ProtoMessage.Type,
      #"unknown field "persnId" in tongxin.rpc.RequestHeader; fields are: callId, service, method, timeoutMs, metadata, idempotencyKey"#
    ),
    (
      #"{"x": 1}"#, Tongxin_System_GetStatsRequest.self,
      #"unknown field "x" in tongxin.system.GetStatsRequest; fields are: it has none"#
    ),
    (
      #"{"inner": {"lable": "x"}}"#, Tongxin_Echo_Sample.self,
      #"unknown field "lable" in tongxin.echo.Sample.Inner; fields are: label, rank, tags"#
    ),
    (
      #"{"timeoutMs": "abc"}"#, Tongxin_Rpc_RequestHeader.self,
      #"field "timeoutMs" of tongxin.rpc.RequestHeader expects a number, got a string "abc""#
    ),
    (
      #"{"timeout_ms": true}"#, Tongxin_Rpc_RequestHeader.self,
      #"field "timeout_ms" of tongxin.rpc.RequestHeader expects a number, got true"#
    ),
    (
      #"{"i32": 1.5}"#, Tongxin_Echo_Sample.self,
      #"field "i32" of tongxin.echo.Sample expects an integer, got a number 1.5"#
    ),
    (
      #"{"i32": 3000000000}"#, Tongxin_Echo_Sample.self,
      #"field "i32" of tongxin.echo.Sample: 3000000000 is out of range for int32"#
    ),
    (
      #"{"u32": -1}"#, Tongxin_Echo_Sample.self,
      #"field "u32" of tongxin.echo.Sample: -1 is out of range for uint32"#
    ),
    (
      #"{"i64": "9223372036854775808"}"#, Tongxin_Echo_Sample.self,
      #"field "i64" of tongxin.echo.Sample: "9223372036854775808" is out of range for int64"#
    ),
    (
      #"{"u64": "-1"}"#, Tongxin_Echo_Sample.self,
      #"field "u64" of tongxin.echo.Sample: "-1" is out of range for uint64"#
    ),
    (
      #"{"s64": 1e400}"#, Tongxin_Echo_Sample.self,
      #"field "s64" of tongxin.echo.Sample expects a number, got a number out of range"#
    ),
    (
      #"{"real32": 1e39}"#, Tongxin_Echo_Sample.self,
      #"field "real32" of tongxin.echo.Sample: 1e+39 is out of range for float"#
    ),
    (
      #"{"real64": "nan"}"#, Tongxin_Echo_Sample.self,
      #"field "real64" of tongxin.echo.Sample expects a number, got a string "nan""#
    ),
    (
      #"{"text": 5}"#, Tongxin_Echo_Sample.self,
      #"field "text" of tongxin.echo.Sample expects a string, got a number 5"#
    ),
    (
      #"{"flag": "true"}"#, Tongxin_Echo_Sample.self,
      #"field "flag" of tongxin.echo.Sample expects true or false, got a string "true""#
    ),
    (
      #"{"data": "not base64!"}"#, Tongxin_Echo_Sample.self,
      #"field "data" of tongxin.echo.Sample: "not base64!" is not base64"#
    ),
    (
      #"{"data": [1, 2]}"#, Tongxin_Echo_Sample.self,
      #"field "data" of tongxin.echo.Sample expects a base64 string, got an array"#
    ),
    (
      #"{"colour": "COLOUR_BLUE"}"#, Tongxin_Echo_Sample.self,
      #"field "colour" of tongxin.echo.Sample: "COLOUR_BLUE" is not a value of tongxin.echo.Colour; the names are: COLOUR_UNSPECIFIED, COLOUR_RED, COLOUR_JADE"#
    ),
    (
      #"{"code": "STATUS_CODE_OOPS"}"#, Tongxin_Rpc_ResponseHeader.self,
      #"field "code" of tongxin.rpc.ResponseHeader: "STATUS_CODE_OOPS" is not a value of tongxin.rpc.StatusCode; the names are: STATUS_CODE_OK, STATUS_CODE_CANCELLED, STATUS_CODE_UNKNOWN, STATUS_CODE_INVALID_ARGUMENT, STATUS_CODE_DEADLINE_EXCEEDED, STATUS_CODE_NOT_FOUND, STATUS_CODE_ALREADY_EXISTS, STATUS_CODE_PERMISSION_DENIED, STATUS_CODE_RESOURCE_EXHAUSTED, STATUS_CODE_FAILED_PRECONDITION, STATUS_CODE_ABORTED, STATUS_CODE_OUT_OF_RANGE, STATUS_CODE_UNIMPLEMENTED, STATUS_CODE_INTERNAL, STATUS_CODE_UNAVAILABLE, STATUS_CODE_DATA_LOSS, STATUS_CODE_UNAUTHENTICATED"#
    ),
    (
      #"{"colour": 4294967296}"#, Tongxin_Echo_Sample.self,
      #"field "colour" of tongxin.echo.Sample: 4294967296 is out of range for int32"#
    ),
    (
      #"{"inner": "x"}"#, Tongxin_Echo_Sample.self,
      #"field "inner" of tongxin.echo.Sample expects an object, got a string "x""#
    ),
    (
      #"{"inner": {"rank": {}}}"#, Tongxin_Echo_Sample.self,
      #"field "rank" of tongxin.echo.Sample.Inner expects a number, got an object"#
    ),
    (
      #"{"texts": "a"}"#, Tongxin_Echo_Sample.self,
      #"field "texts" of tongxin.echo.Sample expects an array, got a string "a""#
    ),
    (
      #"{"numbers": ["1", false]}"#, Tongxin_Echo_Sample.self,
      #"element 1 of field "numbers" of tongxin.echo.Sample expects a number, got false"#
    ),
    (
      #"{"inners": [{}, null]}"#, Tongxin_Echo_Sample.self,
      #"element 1 of field "inners" of tongxin.echo.Sample expects an object, got null"#
    ),
    (
      #"{"labels": ["a"]}"#, Tongxin_Echo_Sample.self,
      #"field "labels" of tongxin.echo.Sample expects an object, got an array"#
    ),
    (
      #"{"counts": {"seven": "7"}}"#, Tongxin_Echo_Sample.self,
      #"field "counts" of tongxin.echo.Sample: key "seven" is not a map key of type int32"#
    ),
    (
      #"{"counts": {"7": "seven"}}"#, Tongxin_Echo_Sample.self,
      #"value "7" of field "counts" of tongxin.echo.Sample expects a number, got a string "seven""#
    ),
    (
      #"{"maybeNumber": []}"#, Tongxin_Echo_Sample.self,
      #"field "maybeNumber" of tongxin.echo.Sample expects a number, got an array"#
    ),
    (
      #"{"choiceText": "a", "choice_number": "1"}"#, Tongxin_Echo_Sample.self,
      #"field "choice_number" of tongxin.echo.Sample: another field of its oneof is set too"#
    ),
    (
      #"{"at": "2017-02-29T00:00:00Z"}"#, Tongxin_Echo_Sample.self,
      #"field "at" of tongxin.echo.Sample: "2017-02-29T00:00:00Z" is not an RFC 3339 time like "2017-08-01T00:00:00Z" between years 1 and 9999"#
    ),
    (
      #"{"at": 1501545600}"#, Tongxin_Echo_Sample.self,
      #"field "at" of tongxin.echo.Sample expects an RFC 3339 time string, got a number 1501545600"#
    ),
    (
      #"[{"text": "a"}]"#, Tongxin_Echo_Sample.self,
      #"tongxin.echo.Sample expects an object, got an array"#
    ),
  ])
  func errorNamesTheField(json: String, type: any ProtoMessage.Type, expected: String) {
    #expect(decodingFailure(type, json) == expected)
  }

  @Test func errorsCarryTheCodingPath() throws {
    do {
      _ = try fromJSON(Tongxin_Echo_Sample.self, #"{"inners": [{}, {"tags": ["a", 1]}]}"#)
      Issue.record("decoded")
    } catch {
      #expect(
        ProtoJSON.errorDescription(error)
          == #"element 1 of field "tags" of tongxin.echo.Sample.Inner expects a string, got a number 1 (at inners[1].tags[1])"#
      )
    }
  }

  /// Random JSON, some of it shaped like the messages, decodes or throws a DecodingError; what
  /// decodes encodes, and decodes again to the same message.
  @Test func randomJSONNeverCrashes() throws {
    var random = SystemRandomNumberGenerator()
    let keys =
      [
        "text", "data", "i32", "i64", "u32", "u64", "real32", "real64", "colour", "inner", "texts",
        "numbers", "inners", "colours", "labels", "inner_by_name", "choiceText", "choice_number",
        "choiceInner", "maybeText", "maybeNumber", "maybe_flag", "at", "blobs", "reals", "counts",
        "label", "rank", "tags", "callId", "timeout_ms", "metadata", "code", "details", "x", "",
      ]
    func value(_ depth: Int) -> String {
      switch Int.random(in: 0..<(depth > 3 ? 9 : 12), using: &random) {
      case 0: return "null"
      case 1: return Bool.random(using: &random) ? "true" : "false"
      case 2: return String(Int64.random(in: .min ... .max, using: &random))
      case 3: return String(Double.random(in: -1e40...1e40, using: &random))
      case 4:
        return [
          "\"\"", "\"NaN\"", "\"-Infinity\"", "\"12\"", "\"+/8A\"", "\"COLOUR_RED\"", "\"同心\"",
          "\"2017-08-01T00:00:00Z\"", "\"1e3\"", "\"-\"", "\"\\u0000\"",
        ].randomElement(using: &random)!
      case 5:
        return ["0", "-0", "1e400", "-1e-400", "4294967296", "1.0", "18446744073709551616"]
          .randomElement(using: &random)!
      case 6: return "\"\(Int32.random(in: .min ... .max, using: &random))\""
      case 7: return "\"\(UInt64.random(in: .min ... .max, using: &random))\""
      case 8: return String(Int.random(in: -3...3, using: &random))
      case 9, 10: return object(depth + 1)
      default:
        let count = Int.random(in: 0...3, using: &random)
        return "[" + (0..<count).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
      }
    }
    func object(_ depth: Int) -> String {
      let count = Int.random(in: 0...4, using: &random)
      let members = (0..<count).map { _ in
        "\"\(keys.randomElement(using: &random)!)\":\(value(depth))"
      }
      return "{" + members.joined(separator: ",") + "}"
    }
    let types: [any ProtoMessage.Type] = [
      Tongxin_Echo_Sample.self, Tongxin_Echo_Sample.Inner.self, Tongxin_Rpc_RequestHeader.self,
      Tongxin_Rpc_ResponseHeader.self,
    ]
    var decoded = 0
    var texts: [String] = []
    for _ in 0..<4_000 { texts.append(object(0)) }
    for _ in 0..<1_000 {
      // Not JSON at all, or JSON cut short.
      let count = Int.random(in: 0...24, using: &random)
      texts.append(
        String(
          decoding: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) },
          as: UTF8.self))
      let valid = object(0)
      texts.append(String(valid.prefix(Int.random(in: 0...valid.count, using: &random))))
    }
    for text in texts {
      for type in types {
        guard let message = try? JSONDecoder().decode(type, from: Data(text.utf8)) else {
          continue
        }
        decoded += 1
        let again = try JSONEncoder().encode(message)
        let back = try JSONDecoder().decode(type, from: again)
        #expect(back.serializedBytes() == message.serializedBytes(), "\(text)")
      }
    }
    #expect(decoded > 100)
  }

  @Test func errorsAreDecodingErrors() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let deepObjects =
      String(repeating: #"{"inner":"#, count: 50_000) + "{}" + String(repeating: "}", count: 50_000)
    for text in [
      "", "{", "nul", "{\"text\":\"a\"", "[1,2]", "\"x\"", "{\"inner\":[]}", #"{"text":"\ud800"}"#,
      #"{"texts":[\#(deep)]}"#, deepObjects,
    ] {
      #expect(throws: DecodingError.self, "\(text)") {
        _ = try fromJSON(Tongxin_Echo_Sample.self, text)
      }
    }
  }
}

@Suite("JSON: RFC 3339 times and base64, checked against Foundation")
struct JSONFormatTests {
  @Test func timestampsMatchFoundation() throws {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    var random = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      // From 1583: before the Gregorian reform Foundation uses the Julian calendar, protobuf
      // the proleptic Gregorian one.
      let seconds = Int64.random(in: -12_212_553_600...253_402_300_799, using: &random)
      let text = try #require(ProtoJSON.timestampString(seconds: seconds, nanos: 0))
      #expect(text == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
      let parsed = try #require(ProtoJSON.timestamp(parsing: text))
      #expect(parsed.seconds == seconds && parsed.nanos == 0)
    }
  }

  @Test(arguments: [
    ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
    ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
    ("1969-12-31T23:59:59.999Z", -1, 999_000_000),
    ("2000-02-29T12:00:00.000001Z", 951_825_600, 1_000),
    ("2017-08-01T00:00:00.123456789Z", 1_501_545_600, 123_456_789),
  ])
  func timestampText(text: String, seconds: Int64, nanos: Int32) throws {
    #expect(ProtoJSON.timestampString(seconds: seconds, nanos: nanos) == text)
    let parsed = try #require(ProtoJSON.timestamp(parsing: text))
    #expect(parsed.seconds == seconds && parsed.nanos == nanos)
  }

  @Test func timestampOffsetsAndBadText() {
    let utc = ProtoJSON.timestamp(parsing: "2017-08-01T00:00:00Z")
    #expect(utc?.seconds == 1_501_545_600)
    for text in [
      "2017-08-01T08:00:00+08:00", "2017-07-31T19:30:00-04:30", "2017-08-01t00:00:00z",
      "2017-08-01T00:00:00.000+00:00",
    ] {
      #expect(ProtoJSON.timestamp(parsing: text)?.seconds == 1_501_545_600, "\(text)")
    }
    for text in [
      "", "2017-08-01", "2017-08-01T00:00:00", "2017-08-01 00:00:00Z", "2017-13-01T00:00:00Z",
      "2017-04-31T00:00:00Z", "1900-02-29T00:00:00Z", "2017-08-01T24:00:00Z",
      "2017-08-01T00:60:00Z", "2017-08-01T00:00:60Z", "2017-08-01T00:00:00.Z",
      "2017-08-01T00:00:00.1234567890Z", "2017-08-01T00:00:00+0800", "0000-12-31T00:00:00Z",
      "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "2017-08-01T00:00:00Zjunk",
      "٢٠١٧-08-01T00:00:00Z", "+2017-08-01T00:00:00Z",
    ] {
      #expect(ProtoJSON.timestamp(parsing: text) == nil, "\(text)")
    }
    #expect(ProtoJSON.timestampString(seconds: -62_135_596_801, nanos: 0) == nil)
    #expect(ProtoJSON.timestampString(seconds: 0, nanos: -1) == nil)
    #expect(ProtoJSON.timestampString(seconds: 0, nanos: 1_000_000_000) == nil)
  }

  @Test func base64MatchesFoundation() {
    var random = SystemRandomNumberGenerator()
    for count in 0..<200 {
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
      let text = ProtoBase64.encode(bytes)
      #expect(text == Data(bytes).base64EncodedString())
      #expect(ProtoBase64.decode(text) == bytes)
      let urlSafe = text.replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
      #expect(ProtoBase64.decode(urlSafe) == bytes)
    }
    for bad in ["A", "AAAAA", "A===", "AA=A", "AB CD", "AA==AA==", "é"] {
      #expect(ProtoBase64.decode(bad) == nil, "\(bad)")
    }
  }
}
