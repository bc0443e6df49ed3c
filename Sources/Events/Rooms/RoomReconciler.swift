import GRDB
import Logging
import TongxinMessages

/// Settles room sagas that an instance left unfinished: reception was down, or the instance
/// stopped between its steps.
///
/// Runs in every instance; the steps are idempotent and each claims its rows in a transaction,
/// so instances running it at once do no harm.
struct RoomReconciler: Sendable {
  let saga: RoomSaga
  /// A saga younger than this may still be in flight in some instance: left alone.
  let staleAfter: Duration

  /// One round: releases what abandoned or cancelled events still hold, abandons creations
  /// that never finished, and settles room changes whose answer was lost.
  func reconcile() async {
    do {
      let limit = Instant.now().seconds - staleAfter.components.seconds
      let (releasing, pending, moving) = try await saga.database.read { db in
        (
          try Int64.fetchAll(
            db, sql: "SELECT id FROM events WHERE room_state = 'releasing' LIMIT 100"),
          try Int64.fetchAll(
            db,
            sql: "SELECT id FROM events WHERE room_state = 'pending' AND room_state_at <= ? LIMIT 100",
            arguments: [limit]),
          try Int64.fetchAll(
            db,
            sql: "SELECT id FROM events WHERE room_state = 'moving' AND room_state_at <= ? LIMIT 100",
            arguments: [limit])
        )
      }
      for id in releasing { await saga.releaseAll(id) }
      if !pending.isEmpty { try await saga.abandon(pending) }
      for id in moving { await saga.settleMove(id) }
    } catch {
      saga.logger.warning("room reconciliation failed: \(error)")
    }
    await releaseOrphans()
  }

  /// Releases the rooms reception holds for events that no longer exist.
  ///
  /// A reservation whose answer was in doubt can land after its creation was abandoned and
  /// the event deleted: a frozen reception instance finishes it when it wakes, or the gateway
  /// retries it on another instance after the caller gave up. Nothing else would free that
  /// room again. Event rows are written before their room is asked for and ids are never
  /// given twice, so a booking whose event row is gone belongs to nobody.
  func releaseOrphans() async {
    let held: [(eventID: String, booking: BookingRef)]
    let existing: Set<Int64>
    do {
      held = try await saga.rooms.eventBookings(from: .now())
      let rows = held.compactMap { try? Identifier.event.row($0.eventID, "holder") }
      guard !rows.isEmpty else { return }
      existing = try await saga.database.read { db in
        Set(
          try Int64.fetchAll(
            db,
            sql: "SELECT id FROM events WHERE id IN (\(rows.map(String.init).joined(separator: ",")))"
          ))
      }
    } catch {
      saga.logger.info("orphan bookings left for the next round: \(error)")
      return
    }
    for (eventID, booking) in held {
      // Holders that are not ids of this service are someone else's business.
      guard let row = try? Identifier.event.row(eventID, "holder"), !existing.contains(row) else {
        continue
      }
      do {
        try await saga.rooms.release(
          booking.id, version: booking.version, reason: "event \(eventID) no longer exists")
        saga.logger.info("released orphan booking \(booking.id) of \(eventID)")
      } catch {
        saga.logger.info("orphan booking \(booking.id) left for the next round: \(error)")
      }
    }
  }
}

extension RoomSaga {
  /// Finishes a room change if reception shows the booking where the change put it, and
  /// undoes it otherwise.
  func settleMove(_ id: Int64) async {
    let eventID = Identifier.event.make(id)
    do {
      guard let event = try await database.read({ try EventStore.fetch(id, in: $0) }),
        event.roomState == .moving, let bytes = event.pendingUpdate
      else { return }
      let request = try Tongxin_Events_UpdateEventRequest(serializedBytes: bytes)
      let target = try EventDetails(request)
      let active = try await rooms.bookings(heldBy: eventID)
      let match = active.first {
        $0.roomCode == target.venue.roomCode && $0.start == target.start && $0.end == target.end
      }
      let done = target.venue.roomCode == nil
        ? !active.contains { $0.id == event.bookingID } : match != nil
      let keep = done ? match?.id : event.bookingID
      for booking in active where booking.id != keep {
        try await rooms.release(
          booking.id, version: booking.version, reason: "room change of \(eventID) settled")
      }
      let kept = active.first { $0.id == keep }
      try await database.write { db in
        guard try EventStore.fetch(id, in: db)?.roomState == .moving else { return }
        if done {
          try Self.apply(id, target, state: kept == nil ? .none : .held, booking: kept, in: db)
        } else {
          try EventStore.setRoom(
            id, state: kept == nil ? .none : .held, bookingID: kept?.id,
            bookingVersion: kept?.version ?? 0, now: .now(), in: db)
        }
      }
    } catch {
      logger.info("room change of \(eventID) left for the next round: \(error)")
    }
  }
}
