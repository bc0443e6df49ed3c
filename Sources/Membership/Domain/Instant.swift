import Foundation
import TongxinProtobuf
import TongxinWire
import TongxinRPC

/// A UTC instant as the database keeps it: nanoseconds since 1970-01-01T00:00:00Z.
///
/// One integer column sorts and compares in SQL, and keeps a Timestamp's nanos exactly, so a
/// time read back equals the time written. Int64 nanoseconds reach from 1677 to 2262; the
/// service accepts 1900 up to shortly after now, which also catches swapped or garbage dates.
struct Instant: Hashable, Comparable, Sendable {
  var nanoseconds: Int64

  /// The earliest instant accepted: 1900-01-01T00:00:00Z.
  static let earliest = Instant(nanoseconds: -2_208_988_800 * 1_000_000_000)
  /// How far ahead of this machine's clock a caller's "now" may be (clock skew).
  static let futureTolerance: Int64 = 3600 * 1_000_000_000

  init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

  static func now() -> Instant {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Instant(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
  }

  static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

  var timestamp: Google_Protobuf_Timestamp {
    var timestamp = Google_Protobuf_Timestamp()
    // Floor division, so instants before 1970 keep nanos in 0..<1e9 as protobuf requires.
    let (seconds, nanos) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
    timestamp.seconds = nanos < 0 ? seconds - 1 : seconds
    timestamp.nanos = Int32(nanos < 0 ? nanos + 1_000_000_000 : nanos)
    return timestamp
  }

  /// RFC 3339, for messages.
  var text: String {
    let t = timestamp
    return ProtoJSON.timestampString(seconds: t.seconds, nanos: t.nanos) ?? "\(t.seconds) s"
  }

  /// The instant of `timestamp`, or `default` when absent; INVALID_ARGUMENT naming `field` when
  /// it is malformed, before 1900 or in the future.
  static func past(
    _ timestamp: Google_Protobuf_Timestamp?, _ field: String, default: Instant, now: Instant
  ) throws -> Instant {
    guard let timestamp else { return `default` }
    guard (0..<1_000_000_000).contains(timestamp.nanos) else {
      throw FieldError.invalid(field, "nanos must be between 0 and 999999999")
    }
    // Checked on seconds first so that the multiplication below cannot overflow.
    let latest = now.nanoseconds + futureTolerance
    guard timestamp.seconds >= earliest.nanoseconds / 1_000_000_000,
      timestamp.seconds <= latest / 1_000_000_000
    else {
      let shown = ProtoJSON.timestampString(seconds: timestamp.seconds, nanos: 0)
      throw FieldError.invalid(
        field,
        "\(shown ?? "seconds \(timestamp.seconds)") is not between "
          + "1900-01-01T00:00:00Z and now (\(now.text))")
    }
    return Instant(nanoseconds: timestamp.seconds * 1_000_000_000 + Int64(timestamp.nanos))
  }
}
