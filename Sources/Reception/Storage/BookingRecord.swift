import GRDB
import TongxinMessages
import TongxinRPC

/// Who holds a booking, as stored: the kind and the holder's wire id.
enum BookingHolder: Hashable, Sendable {
  case event(String)
  case delegation(String)

  var kind: String {
    switch self {
    case .event: "event"
    case .delegation: "delegation"
    }
  }

  var id: String {
    switch self {
    case .event(let id), .delegation(let id): id
    }
  }

  var message: Tongxin_Reception_Holder {
    switch self {
    case .event(let id): .with { $0.holder = .eventID(id) }
    case .delegation(let id): .with { $0.holder = .delegationID(id) }
    }
  }
}

/// A row of `bookings`.
struct BookingRecord: FetchableRecord, Sendable {
  var id: Int64
  var roomCode: String
  var start: Int64
  var end: Int64
  var setupMinutes: Int64
  var teardownMinutes: Int64
  var holder: BookingHolder
  var title: String
  var holdKey: String
  var status: Tongxin_Reception_BookingStatus
  var releaseReason: String
  var version: Int64
  var createdAt: Int64
  var updatedAt: Int64

  init(row: Row) {
    id = row["id"]
    roomCode = row["room_code"]
    start = row["start_at"]
    end = row["end_at"]
    setupMinutes = row["setup_minutes"]
    teardownMinutes = row["teardown_minutes"]
    let holderID: String = row["holder_id"]
    holder = (row["holder_kind"] as String) == "event" ? .event(holderID) : .delegation(holderID)
    title = row["title"]
    holdKey = row["hold_key"]
    status = Tongxin_Reception_BookingStatus(rawValue: row["status"])
    releaseReason = row["release_reason"]
    version = row["version"]
    createdAt = row["created_at"]
    updatedAt = row["updated_at"]
  }

  var wireID: String { RecordID.make(RecordID.booking, id) }

  /// The time nobody else may have the room: the booking widened by its buffers.
  var occupied: Range<Int64> {
    BookingRules.occupied(start..<end, setupMinutes: setupMinutes, teardownMinutes: teardownMinutes)
  }

  var message: Tongxin_Reception_Booking {
    .with {
      $0.id = wireID
      $0.roomCode = roomCode
      $0.start = Timestamps.message(start)
      $0.end = Timestamps.message(end)
      $0.setupMinutes = UInt32(clamping: setupMinutes)
      $0.teardownMinutes = UInt32(clamping: teardownMinutes)
      $0.holder = holder.message
      $0.title = title
      $0.holdKey = holdKey
      $0.status = status
      $0.releaseReason = releaseReason
      $0.version = UInt64(version)
      $0.createdAt = Timestamps.message(createdAt)
      $0.updatedAt = Timestamps.message(updatedAt)
    }
  }

  /// How the booking reads in a refusal: id, room, time and buffers.
  var summary: String {
    var text =
      "booking \(wireID) of room \(roomCode) for \(Timestamps.text(start)) to "
      + "\(Timestamps.text(end))"
    if setupMinutes > 0 || teardownMinutes > 0 {
      text +=
        " (with \(setupMinutes) min set-up and \(teardownMinutes) min tear-down: "
        + "\(Timestamps.text(occupied.lowerBound)) to \(Timestamps.text(occupied.upperBound)))"
    }
    return text
  }
}
