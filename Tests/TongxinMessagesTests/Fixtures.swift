import TongxinMessages
import TongxinProtobuf
import TongxinWire

/// Encodes `message` with protobuf-c and decodes the bytes back.
func roundTrip<M: ProtoMessage>(_ message: M) throws -> M {
  try M(serializedBytes: message.serializedBytes())
}

/// Every byte value, twice, NULs included: not UTF-8, so only a bytes field can carry it.
let everyByte: [UInt8] = (0...255).map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }

let chinese = "同心活动室"

/// A Sample with every field set to something other than its default.
func fullSample() -> Tongxin_Echo_Sample {
  var inner = Tongxin_Echo_Sample.Inner()
  inner.label = "内层"
  inner.rank = -3
  inner.tags = ["甲", "", "乙"]

  var s = Tongxin_Echo_Sample()
  s.text = chinese
  s.data = everyByte
  s.flag = true
  s.i32 = .min
  s.i64 = .min
  s.u32 = .max
  s.u64 = .max
  s.s32 = -123_456
  s.s64 = -9_876_543_210
  s.f32 = 0xDEAD_BEEF
  s.f64 = 0xDEAD_BEEF_CAFE_BABE
  s.sf32 = -1
  s.sf64 = .max
  s.real32 = -1.5
  s.real64 = 3.141_592_653_589_793
  s.colour = .jade
  s.inner = inner
  s.texts = [chinese, "", "b"]
  s.numbers = [0, -1, .max, .min]
  s.inners = [inner, Tongxin_Echo_Sample.Inner()]
  s.colours = [.red, .unspecified, .jade]
  s.labels = ["名字": "值", "": "empty key", "k": ""]
  s.innerByName = ["一": inner, "empty": Tongxin_Echo_Sample.Inner()]
  s.choice = .choiceText("选择")
  s.maybeText = "也许"
  s.maybeNumber = -42
  s.maybeFlag = true
  s.at = .with {
    $0.seconds = 1_764_000_000
    $0.nanos = 999_999_999
  }
  s.blobs = [everyByte, [], [0]]
  s.reals = [0, -0.5, .greatestFiniteMagnitude, .infinity]
  s.counts = [-1: .min, 0: 0, 7: 7]
  return s
}
