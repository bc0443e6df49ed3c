import GRDB
import Logging
import TongxinRPC
import TongxinStorage

/// The room saga: keeps each event's room and its reception booking in step.
///
/// Reception and this database cannot share a transaction, so every change is ordered to
/// leave a state that is safe at each step, recorded in `events.room_state`:
/// - create: insert the event hidden (`pending`), reserve, then show it (`held`); on refusal
///   or doubt mark it `releasing`, which hides it for good and lets the cleanup release any
///   booking it might have and delete it. A caller never sees an event without its room.
/// - move: mark `moving` with the update to apply, move the booking, then apply; on refusal go
///   back to `held`; on doubt reconciliation asks reception which slot the booking holds.
/// - cancel: cancel the event (it gives up its room at once) as `releasing`, then release.
/// Hold keys are deterministic ("event-<id>/<n>") and calls carry idempotency keys, so a retry
/// never books twice.
struct RoomSaga: Sendable {
  let database: ServiceDatabase
  let rooms: ReceptionRooms
  let logger: Logger
  /// A test hook between reserving and confirming (``EventsService/Configuration``).
  var afterReserve: (@Sendable () async -> Void)? = nil

  /// Reserves the rooms of freshly inserted `pending` events, then shows them; on failure
  /// abandons them all and throws what the caller should see.
  func reserveCreated(_ events: [(id: Int64, details: EventDetails)]) async throws {
    var reserved: [(id: Int64, booking: BookingRef)] = []
    for (id, details) in events {
      guard let room = details.venue.roomCode else { continue }
      do {
        let booking = try await rooms.reserve(
          eventID: Identifier.event.make(id), seq: 1, title: details.title, room: room,
          start: details.start, end: details.end)
        reserved.append((id, booking))
      } catch let error as ReceptionRooms.Failure {
        try await abandon(events.map(\.id))
        switch error {
        case .refused(let refusal):
          var refusal = refusal
          if events.count > 1 { refusal.message += " (occurrence on \(details.start.text))" }
          throw refusal
        case .unknown(let doubt): throw doubt
        }
      }
    }
    await afterReserve?()
    let ids = events.map(\.id)
    let bookings = reserved
    let confirmed = try await database.write { db in
      var waiting: [Int64] = []
      for id in ids {
        let event = try EventStore.fetch(id, in: db)
        let booking = bookings.first { $0.id == id }?.booking
        switch event?.roomState {
        case .pending?: waiting.append(id)
        // A concurrent retry with the same idempotency key confirmed the same booking.
        case .held? where event?.bookingID == booking?.id: continue
        default: return false
        }
      }
      let now = Instant.now()
      for id in waiting {
        let booking = bookings.first { $0.id == id }?.booking
        try EventStore.setRoom(
          id, state: booking == nil ? .none : .held, bookingID: booking?.id,
          bookingVersion: booking?.version ?? 0, now: now, in: db)
      }
      return true
    }
    guard confirmed else {
      // Reconciliation took the events for abandoned while reception was slow.
      try await abandon(ids)
      throw ReceptionRooms.unavailable(RPCError(code: .deadlineExceeded, message: "too slow"))
    }
  }

  /// Hides events whose creation failed and releases whatever bookings they got.
  ///
  /// Only events still `pending` are abandoned (and those already `releasing` released): a
  /// retry of the same create (same idempotency key, another instance: the gateway retries a
  /// call whose instance looks dead, which may only be frozen) may have confirmed them
  /// meanwhile, and told its caller they exist.
  func abandon(_ ids: [Int64]) async throws {
    let settling = try await database.write { db in
      let now = Instant.now()
      var settling: [Int64] = []
      for id in ids {
        let state = try String.fetchOne(
          db, sql: "SELECT room_state FROM events WHERE id = ?", arguments: [id])
        guard state == RoomState.pending.rawValue || state == RoomState.releasing.rawValue else {
          continue
        }
        settling.append(id)
        try db.execute(
          sql: "UPDATE events SET room_state = ?, room_state_at = ? WHERE id = ?",
          arguments: [RoomState.releasing.rawValue, now.seconds, id])
        try db.execute(
          sql: "DELETE FROM create_keys WHERE target_id = ? AND scope = 'CreateEvent'",
          arguments: [id])
      }
      return settling
    }
    for id in settling { await releaseAll(id) }
  }

  /// Releases every booking a `releasing` event holds, then settles it: a cancelled event
  /// keeps its row without a room, an abandoned creation is deleted. Leaves it for the next
  /// round when reception does not answer.
  func releaseAll(_ id: Int64) async {
    let eventID = Identifier.event.make(id)
    do {
      for booking in try await rooms.bookings(heldBy: eventID) {
        try await rooms.release(booking.id, version: booking.version, reason: "event \(eventID) gave up the room")
      }
      try await database.write { db in
        guard let event = try EventStore.fetch(id, in: db), event.roomState == .releasing else {
          return
        }
        if event.status == .cancelled || event.status == .completed {
          try EventStore.setRoom(id, state: .none, bookingID: nil, bookingVersion: 0, now: .now(), in: db)
        } else {
          try db.execute(
            sql: "DELETE FROM create_keys WHERE target_id = ? AND scope = 'CreateEvent'",
            arguments: [id])
          try EventStore.delete(id, in: db)
        }
      }
    } catch {
      logger.info("room release of \(eventID) left for reconciliation: \(error)")
    }
  }
}
