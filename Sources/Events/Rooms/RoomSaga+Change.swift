import Foundation
import GRDB
import TongxinMessages
import TongxinRPC

extension RoomSaga {
  /// Replaces an event's details, moving, reserving or releasing its booking when its room or
  /// time changes. `request` is kept while reception is asked, so that reconciliation can
  /// finish the change when the answer is lost.
  func change(
    _ id: Int64, version: Int64, to details: EventDetails, request: [UInt8]
  ) async throws -> Tongxin_Events_Event {
    let eventID = Identifier.event.make(id)
    enum Step: Sendable {
      case done(Tongxin_Events_Event)
      case ask(EventRow)
    }
    let step = try await database.write { db -> Step in
      guard let event = try EventStore.fetch(id, in: db), event.isVisible else {
        throw FieldError.notFound("id", "event", eventID)
      }
      guard event.version == version else {
        throw FieldError.staleVersion("event", id: eventID, sent: version, current: event.version)
      }
      guard EventLifecycle.isOpen(event.status) else {
        throw FieldError.precondition(
          "id", "event \(eventID) is \(event.status.protoName): only DRAFT and PUBLISHED events change")
      }
      guard event.roomState == .held || event.roomState == .none else {
        throw RPCError(
          code: .aborted, message: "event \(eventID) is changing its room; read it again shortly")
      }
      let seated = try RegistrationStore.counts(event: id, in: db)
      guard details.capacity >= seated.registered + seated.attended else {
        throw FieldError.precondition(
          "capacity", "\(seated.registered + seated.attended) people hold seats; cancel registrations first")
      }
      let old = event.details
      let sameRoom = old.venue.roomCode == details.venue.roomCode
        && (details.venue.roomCode == nil || (old.start == details.start && old.end == details.end))
      if sameRoom {
        try Self.apply(id, details, state: event.roomState, booking: nil, keepBooking: true, in: db)
        return .done(try EventStore.message(EventStore.fetch(id, in: db)!, in: db))
      }
      try db.execute(
        sql: """
          UPDATE events SET room_state = ?, room_state_at = ?, pending_update = ?,
            booking_seq = booking_seq + ?
          WHERE id = ?
          """,
        arguments: [
          RoomState.moving.rawValue, Instant.now().seconds, Data(request),
          event.roomState == .none ? 1 : 0, id,
        ])
      return .ask(try EventStore.fetch(id, in: db)!)
    }
    guard case .ask(let event) = step else {
      if case .done(let message) = step { return message }
      fatalError("unreachable")
    }
    let booking: BookingRef?
    do {
      booking = try await askReception(event, to: details)
    } catch let error as ReceptionRooms.Failure {
      switch error {
      case .refused(let refusal):
        try await database.write { db in
          try EventStore.setRoom(
            id, state: event.bookingID == nil ? .none : .held, bookingID: event.bookingID,
            bookingVersion: event.bookingVersion, now: .now(), in: db)
        }
        throw refusal
      case .unknown(let doubt):
        throw doubt
      }
    }
    return try await database.write { db in
      try Self.apply(id, details, state: booking == nil ? .none : .held, booking: booking, in: db)
      return try EventStore.message(EventStore.fetch(id, in: db)!, in: db)
    }
  }

  private func askReception(_ event: EventRow, to details: EventDetails)
    async throws -> BookingRef?
  {
    switch (event.bookingID, details.venue.roomCode) {
    case (let bookingID?, let room?):
      let current = BookingRef(
        id: bookingID, version: event.bookingVersion, roomCode: event.details.venue.roomCode ?? "",
        start: event.details.start, end: event.details.end)
      return try await rooms.move(current, room: room, start: details.start, end: details.end)
    case (nil, let room?):
      return try await rooms.reserve(
        eventID: event.eventID, seq: event.bookingSeq, title: details.title, room: room,
        start: details.start, end: details.end)
    case (let bookingID?, nil):
      try await rooms.release(
        bookingID, version: event.bookingVersion, reason: "event \(event.eventID) moved outside")
      return nil
    case (nil, nil):
      return nil
    }
  }

  /// Writes the new details with the room they now hold, and fills any seats they added.
  static func apply(
    _ id: Int64, _ details: EventDetails, state: RoomState, booking: BookingRef?,
    keepBooking: Bool = false, in db: Database
  ) throws {
    let now = Instant.now()
    try EventStore.updateDetails(id, details, now: now, in: db)
    if !keepBooking {
      try EventStore.setRoom(
        id, state: state, bookingID: booking?.id, bookingVersion: booking?.version ?? 0, now: now,
        in: db)
    }
    try RegistrationStore.promote(event: id, now: now, in: db)
  }
}
