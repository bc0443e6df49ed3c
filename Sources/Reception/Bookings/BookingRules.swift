import TongxinRPC

/// The rules of room time, free of storage so that they are easy to read and to test.
///
/// A booking occupies its room from `start - set-up` to `end + tear-down`. Two bookings of
/// one room may not have overlapping occupied intervals; intervals are half-open, so one may
/// end exactly where the next begins. The occupied interval must lie within one day's
/// bookable hours of the room.
enum BookingRules {
  /// Longest set-up or tear-down: a buffer is preparation, not a second booking.
  static let maxBufferMinutes: UInt32 = 240

  static func occupied(_ interval: Range<Int64>, setupMinutes: Int64, teardownMinutes: Int64)
    -> Range<Int64>
  {
    (interval.lowerBound - setupMinutes * 60)..<(interval.upperBound + teardownMinutes * 60)
  }

  /// The buffer minutes of a request, refused when too long.
  static func buffer(_ minutes: UInt32, field: String) throws(RPCError) -> Int64 {
    guard minutes <= maxBufferMinutes else {
      throw Refusal.invalid(field, "is \(minutes); at most \(maxBufferMinutes) minutes")
    }
    return Int64(minutes)
  }

  /// Refuses an occupied interval that leaves the room's opening hours of its day.
  static func checkOpen(_ occupied: Range<Int64>, room: RoomRecord) throws(RPCError) {
    let day = BaseCalendar.day(of: occupied.lowerBound)
    let midnight = BaseCalendar.midnight(ofDay: day)
    let opens = midnight + room.opensMinute * 60
    let closes = midnight + room.closesMinute * 60
    let hours = "\(clock(room.opensMinute))–\(clock(room.closesMinute)) local time (UTC+08:00)"
    guard occupied.lowerBound >= opens else {
      throw Refusal.invalid(
        "start",
        "with its set-up begins before room \(room.code) opens; it can be booked \(hours)")
    }
    guard occupied.upperBound <= closes else {
      throw Refusal.invalid(
        "end",
        "with its tear-down is after room \(room.code) closes; it can be booked \(hours), "
          + "within one day")
    }
  }

  /// "08:00" for 480 minutes after midnight.
  static func clock(_ minute: Int64) -> String {
    let hours = minute / 60
    let minutes = minute % 60
    return (hours < 10 ? "0\(hours)" : "\(hours)") + ":"
      + (minutes < 10 ? "0\(minutes)" : "\(minutes)")
  }

  /// The refusal of a booking whose occupied time meets `existing`.
  static func conflict(with existing: BookingRecord, requested: Range<Int64>) -> RPCError {
    Refusal.precondition(
      "room \(existing.roomCode) is taken: \(existing.summary) meets the requested time with "
        + "buffers, \(Timestamps.text(requested.lowerBound)) to "
        + "\(Timestamps.text(requested.upperBound)); see GetAvailability for free slots",
      details: [
        "field": "start", "conflicting_booking_id": existing.wireID,
        "conflicting_start": Timestamps.text(existing.start),
        "conflicting_end": Timestamps.text(existing.end),
      ])
  }
}
