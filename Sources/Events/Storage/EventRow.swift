import Foundation
import GRDB
import TongxinMessages

/// One row of `events`, as the stores read and write it.
struct EventRow: Sendable {
  var id: Int64
  var details: EventDetails
  var status: Tongxin_Events_EventStatus
  var statusReason: String
  var seriesID: Int64?
  var bookingID: String?
  var bookingVersion: UInt64
  var bookingSeq: Int
  var roomState: RoomState
  var roomStateAt: Instant
  var pendingUpdate: [UInt8]?
  var version: Int64
  var createdAt: Instant
  var updatedAt: Instant

  var eventID: String { Identifier.event.make(id) }

  /// The hold key of the event's `n`-th booking: deterministic, so a retried reservation
  /// finds the booking it made instead of making a second one.
  static func holdKey(eventID: String, seq: Int) -> String { "event-\(eventID)/\(seq)" }

  /// Whether callers may see the event: never while its first booking is unsettled.
  var isVisible: Bool {
    switch roomState {
    case .none, .held, .moving: true
    case .pending: false
    case .releasing: status == .cancelled || status == .completed
    }
  }

  init(row: Row) {
    id = row["id"]
    let room: String? = row["room_code"]
    let outside: String? = row["outside_place"]
    details = EventDetails(
      stored: row["title"], kind: .init(rawValue: row["kind"]),
      associations: row["associations"], start: Instant(seconds: row["start"]),
      end: Instant(seconds: row["end"]),
      venue: room.map(Venue.room) ?? .outside(outside ?? ""), capacity: row["capacity"],
      description: row["description"])
    status = .init(rawValue: row["status"])
    statusReason = row["status_reason"]
    seriesID = row["series_id"]
    bookingID = row["booking_id"]
    bookingVersion = UInt64(row["booking_version"] as Int64)
    bookingSeq = row["booking_seq"]
    roomState = RoomState(rawValue: row["room_state"]) ?? .none
    roomStateAt = Instant(seconds: row["room_state_at"])
    pendingUpdate = (row["pending_update"] as Data?).map { [UInt8]($0) }
    version = row["version"]
    createdAt = Instant(seconds: row["created_at"])
    updatedAt = Instant(seconds: row["updated_at"])
  }
}

extension EventDetails {
  /// Details read back from the database, already checked when they were written.
  init(
    stored title: String, kind: Tongxin_Events_EventKind, associations: String, start: Instant,
    end: Instant, venue: Venue, capacity: Int, description: String
  ) {
    self.title = title
    self.kind = kind
    self.associationCodes = associations.split(separator: ",").map(String.init)
    self.start = start
    self.end = end
    self.venue = venue
    self.capacity = capacity
    self.description = description
  }

  /// The organisers as stored: ",a,b," so that `LIKE '%,a,%'` finds one.
  var storedAssociations: String { "," + associationCodes.joined(separator: ",") + "," }
}
