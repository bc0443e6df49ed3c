/// Free time of a room: open hours within a window, minus what bookings occupy.
enum Availability {
  /// The longest window one query may cover: a quarter of a year of days.
  static let maxWindowDays: Int64 = 92

  /// Free intervals of `room` within `window`, given the occupied intervals of its bookings
  /// (in any order, possibly touching), at least `minSeconds` long, in order.
  static func freeSlots(
    in window: Range<Int64>, room: RoomRecord, occupied: [Range<Int64>], minSeconds: Int64 = 0
  ) -> [Range<Int64>] {
    var open: [Range<Int64>] = []
    let firstDay = BaseCalendar.day(of: window.lowerBound)
    let lastDay = BaseCalendar.day(of: window.upperBound - 1)
    for day in firstDay...lastDay {
      let midnight = BaseCalendar.midnight(ofDay: day)
      let hours = (midnight + room.opensMinute * 60)..<(midnight + room.closesMinute * 60)
      let start = max(hours.lowerBound, window.lowerBound)
      let end = min(hours.upperBound, window.upperBound)
      guard start < end else { continue }
      // A room open until midnight and from midnight is one free stretch, not two.
      if let last = open.last, last.upperBound == start {
        open[open.count - 1] = last.lowerBound..<end
      } else {
        open.append(start..<end)
      }
    }
    var free: [Range<Int64>] = []
    let taken = occupied.sorted { $0.lowerBound < $1.lowerBound }
    for interval in open {
      var cursor = interval.lowerBound
      for busy in taken where busy.upperBound > cursor && busy.lowerBound < interval.upperBound {
        if busy.lowerBound > cursor { free.append(cursor..<busy.lowerBound) }
        cursor = max(cursor, busy.upperBound)
      }
      if cursor < interval.upperBound { free.append(cursor..<interval.upperBound) }
    }
    return free.filter { $0.upperBound - $0.lowerBound >= max(minSeconds, 1) }
  }
}
