import GRDB
import TongxinMessages

extension RoomSaga {
  /// Cancels an open event in the caller's transaction; true when it has a room to release.
  ///
  /// The cancellation commits before the release: a cancelled event claims no room, so a
  /// release that fails leaves nothing inconsistent, only a booking that ``releaseAll(_:)``
  /// (now, or in reconciliation) gives back.
  static func markCancelled(_ event: EventRow, reason: String, now: Instant, in db: Database)
    throws -> Bool
  {
    try EventStore.setStatus(event.id, .cancelled, reason: reason, now: now, in: db)
    try RegistrationStore.close(event: event.id, completed: false, now: now, in: db)
    guard event.roomState != .none else { return false }
    try db.execute(
      sql: "UPDATE events SET room_state = ?, room_state_at = ? WHERE id = ?",
      arguments: [RoomState.releasing.rawValue, now.seconds, event.id])
    return true
  }
}
