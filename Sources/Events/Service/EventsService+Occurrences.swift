import Foundation
import GRDB
import TongxinMessages
import TongxinRPC

/// The changes UpdateOccurrences applies to each occurrence, checked once for all of them.
struct OccurrenceChanges: Sendable {
  var title: String?
  var description: String?
  var capacity: Int?
  var shift: Int64
  var venue: Venue?

  init(_ request: Tongxin_Events_UpdateOccurrencesRequest) throws {
    title = request.title.isEmpty
      ? nil : try Validation.required(request.title, "title", maxLength: 200)
    description = request.description_p.isEmpty
      ? nil
      : try Validation.optional(
        request.description_p, "description", maxLength: 2000, lineBreaks: true)
    guard request.capacity <= UInt32(EventDetails.maxCapacity) else {
      throw FieldError.invalid("capacity", "must be from 1 to \(EventDetails.maxCapacity)")
    }
    capacity = request.capacity == 0 ? nil : Int(request.capacity)
    // Within half a day either way, so an occurrence stays on (about) its own date.
    guard (-720...720).contains(request.shiftMinutes) else {
      throw FieldError.invalid("shift_minutes", "must be from -720 to 720 minutes")
    }
    shift = Int64(request.shiftMinutes) * 60
    venue = request.venue == nil ? nil : try Venue.parse(request.venue)
    guard title != nil || description != nil || capacity != nil || shift != 0 || venue != nil
    else {
      throw FieldError.invalid(
        "title", "nothing to change: set title, description, capacity, shift_minutes or venue")
    }
  }

  /// The UpdateEvent request that makes `event` what these changes ask: the single-event path
  /// (and its room saga, and its reconciliation) then does the work.
  func update(of event: EventRow) -> Tongxin_Events_UpdateEventRequest {
    let old = event.details
    return .with {
      $0.id = event.eventID
      $0.version = event.version
      $0.title = title ?? old.title
      $0.kind = old.kind
      $0.associationCodes = old.associationCodes
      $0.start = Instant(seconds: old.start.seconds + shift).timestamp
      $0.end = Instant(seconds: old.end.seconds + shift).timestamp
      $0.venue = (venue ?? old.venue).message
      $0.capacity = UInt32(capacity ?? old.capacity)
      $0.description_p = description ?? old.description
    }
  }
}

extension EventsService {
  public func updateOccurrences(
    _ request: Tongxin_Events_UpdateOccurrencesRequest, context: ServerContext
  ) async throws -> Tongxin_Events_Series {
    let series = try Identifier.series.row(request.seriesID, "series_id")
    _ = try Identifier.event.row(request.fromEventID, "from_event_id")
    let scope = try Validation.required(request.scope, "scope")
    let changes = try OccurrenceChanges(request)
    let key = context.idempotencyKey
    let bytes = Data(request.serializedBytes())
    let targets = try await database.read { db in
      _ = try Self.seriesMessage(series, in: db)
      let from = try EventStore.visible(request.fromEventID, field: "from_event_id", in: db)
      guard from.seriesID == series else {
        throw FieldError.invalid(
          "from_event_id",
          "event \(request.fromEventID) is not an occurrence of \(request.seriesID)")
      }
      let later = scope == .thisOnly
        ? [from]
        : try Row.fetchAll(
          db, sql: "SELECT * FROM events WHERE series_id = ? AND start >= ? ORDER BY start, id",
          arguments: [series, from.details.start.seconds]
        ).map { EventRow(row: $0) }.filter(\.isVisible)
      return later.filter { EventLifecycle.isOpen($0.status) }
    }
    for event in targets {
      if try await alreadyChanged(event.id, key: key, request: bytes) { continue }
      guard let version = request.versions[event.eventID] else {
        throw FieldError.invalid("versions", "has no version for occurrence \(event.eventID)")
      }
      var update = changes.update(of: event)
      update.version = version
      do {
        let details = try EventDetails(update)
        _ = try await saga.change(
          event.id, version: version, to: details, request: update.serializedBytes())
      } catch var error as RPCError {
        // Which occurrence failed: the earlier ones are changed, this and later ones are not.
        error.message += " (occurrence \(event.eventID) on \(event.details.start.text))"
        error.details["event_id"] = event.eventID
        throw error
      }
      try await markChanged(event.id, key: key, request: bytes)
    }
    return try await database.read { db in try Self.seriesMessage(series, in: db) }
  }

  /// Whether a former call with this idempotency key changed the occurrence already; a key
  /// reused for another request is INVALID_ARGUMENT.
  private func alreadyChanged(_ id: Int64, key: String, request: Data) async throws -> Bool {
    guard !key.isEmpty else { return false }
    return try await database.read { db in
      guard
        let stored = try Data.fetchOne(
          db, sql: "SELECT request FROM create_keys WHERE scope = 'UpdateOccurrences' AND key = ?",
          arguments: ["\(key)/\(id)"])
      else { return false }
      guard stored == request else {
        throw FieldError.invalid(
          "idempotency_key", "\"\(key)\" was already used for a different UpdateOccurrences request")
      }
      return true
    }
  }

  /// Records that this key's call changed the occurrence, so a retry skips it rather than
  /// failing on the version the change moved on. (create_keys holds one row per occurrence.)
  private func markChanged(_ id: Int64, key: String, request: Data) async throws {
    guard !key.isEmpty else { return }
    try await database.write { db in
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO create_keys (scope, key, request, target_id)
          VALUES ('UpdateOccurrences', ?, ?, ?)
          """,
        arguments: ["\(key)/\(id)", request, id])
    }
  }
}
