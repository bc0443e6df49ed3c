import Foundation
import GRDB
import TongxinMessages
import TongxinRPC

/// Reads and writes `events` rows inside a caller's transaction.
enum EventStore {
  static func insert(
    _ details: EventDetails, status: Tongxin_Events_EventStatus, seriesID: Int64?,
    roomState: RoomState, now: Instant, in db: Database
  ) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO events (title, kind, associations, start, "end", room_code, outside_place,
          capacity, description, status, series_id, booking_seq, room_state, room_state_at,
          version, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
        """,
      arguments: [
        details.title, details.kind.rawValue, details.storedAssociations, details.start.seconds,
        details.end.seconds, details.venue.roomCode, outsidePlace(details.venue),
        details.capacity, details.description, status.rawValue, seriesID,
        details.venue.roomCode == nil ? 0 : 1, roomState.rawValue, now.seconds, now.seconds,
        now.seconds,
      ])
    return db.lastInsertedRowID
  }

  static func fetch(_ id: Int64, in db: Database) throws -> EventRow? {
    try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]).map(
      EventRow.init)
  }

  /// The event callers may see; NOT_FOUND naming `field` otherwise.
  static func visible(_ id: String, field: String = "id", in db: Database) throws -> EventRow {
    let row = try Identifier.event.row(id, field)
    guard let event = try fetch(row, in: db), event.isVisible else {
      throw FieldError.notFound(field, "event", id)
    }
    return event
  }

  /// Replaces the details an update changes and bumps the version.
  static func updateDetails(
    _ id: Int64, _ details: EventDetails, now: Instant, in db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE events SET title = ?, kind = ?, associations = ?, start = ?, "end" = ?,
          room_code = ?, outside_place = ?, capacity = ?, description = ?,
          version = version + 1, updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        details.title, details.kind.rawValue, details.storedAssociations, details.start.seconds,
        details.end.seconds, details.venue.roomCode, outsidePlace(details.venue),
        details.capacity, details.description, now.seconds, id,
      ])
  }

  /// Records the event's side of the room saga.
  static func setRoom(
    _ id: Int64, state: RoomState, bookingID: String?, bookingVersion: UInt64, now: Instant,
    in db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE events SET room_state = ?, room_state_at = ?, booking_id = ?, booking_version = ?,
          pending_update = NULL
        WHERE id = ?
        """,
      arguments: [state.rawValue, now.seconds, bookingID, Int64(bookingVersion), id])
  }

  static func setStatus(
    _ id: Int64, _ status: Tongxin_Events_EventStatus, reason: String, now: Instant,
    in db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE events SET status = ?, status_reason = ?, version = version + 1, updated_at = ?
        WHERE id = ?
        """,
      arguments: [status.rawValue, reason, now.seconds, id])
  }

  static func delete(_ id: Int64, in db: Database) throws {
    try db.execute(sql: "DELETE FROM events WHERE id = ?", arguments: [id])
  }

  /// The event as callers see it, with its seat counts.
  static func message(_ event: EventRow, in db: Database) throws -> Tongxin_Events_Event {
    let counts = try RegistrationStore.counts(event: event.id, in: db)
    var message = Tongxin_Events_Event()
    message.id = event.eventID
    message.title = event.details.title
    message.kind = event.details.kind
    message.associationCodes = event.details.associationCodes
    message.start = event.details.start.timestamp
    message.end = event.details.end.timestamp
    message.venue = event.details.venue.message
    message.capacity = UInt32(event.details.capacity)
    message.status = event.status
    message.statusReason = event.statusReason
    message.seriesID = event.seriesID.map(Identifier.series.make) ?? ""
    message.bookingID = event.roomState == .held || event.roomState == .moving
      ? event.bookingID ?? "" : ""
    message.description_p = event.details.description
    let seated = counts.registered + counts.attended
    message.registeredCount = UInt32(seated)
    message.waitlistedCount = UInt32(counts.waitlisted)
    message.seatsLeft = UInt32(max(0, event.details.capacity - seated))
    message.version = event.version
    message.createdAt = event.createdAt.timestamp
    message.updatedAt = event.updatedAt.timestamp
    return message
  }

  private static func outsidePlace(_ venue: Venue) -> String? {
    if case .outside(let place) = venue { place } else { nil }
  }
}
