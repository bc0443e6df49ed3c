import Foundation
import GRDB
import TongxinMessages
import TongxinRPC

extension EventsService {
  public func createEvent(_ request: Tongxin_Events_CreateEventRequest, context: ServerContext)
    async throws -> Tongxin_Events_Event
  {
    let details = try EventDetails(request)
    try await directory.checkAssociations(details.associationCodes)
    let status: Tongxin_Events_EventStatus = request.publish ? .published : .draft
    let created = try await claimCreate(
      scope: "CreateEvent", key: context.idempotencyKey, request: request.serializedBytes()
    ) { db, now in
      [try EventStore.insert(
        details, status: status, seriesID: nil,
        roomState: details.venue.roomCode == nil ? .none : .pending, now: now, in: db)]
    }
    if case .new(let ids) = created, details.venue.roomCode != nil {
      try await saga.reserveCreated(ids.map { ($0, details) })
    }
    return try await database.read { db in
      try EventStore.message(EventStore.fetch(created.target, in: db)!, in: db)
    }
  }

  public func updateEvent(_ request: Tongxin_Events_UpdateEventRequest, context: ServerContext)
    async throws -> Tongxin_Events_Event
  {
    let row = try Identifier.event.row(request.id, "id")
    let version = try Validation.version(request.version)
    let details = try EventDetails(request)
    try await directory.checkAssociations(details.associationCodes)
    return try await saga.change(
      row, version: version, to: details, request: request.serializedBytes())
  }

  public func setEventStatus(
    _ request: Tongxin_Events_SetEventStatusRequest, context: ServerContext
  ) async throws -> Tongxin_Events_Event {
    let row = try Identifier.event.row(request.id, "id")
    let target = try Validation.required(request.status, "status")
    let reason = target == .cancelled
      ? try Validation.required(request.reason, "reason", maxLength: 500, lineBreaks: true)
      : try Validation.optional(request.reason, "reason", maxLength: 500, lineBreaks: true)
    let version = try Validation.version(request.version)
    let (message, release) = try await database.write { db in
      let event = try EventStore.visible(request.id, in: db)
      // Asking again for the status an event has answers it: a retry after a lost reply.
      if event.status == target && target != .draft {
        return (try EventStore.message(event, in: db), false)
      }
      guard event.version == version else {
        throw FieldError.staleVersion("event", id: request.id, sent: version, current: event.version)
      }
      try EventLifecycle.check(from: event.status, to: target)
      let now = Instant.now()
      var release = false
      switch target {
      case .cancelled:
        release = try RoomSaga.markCancelled(event, reason: reason, now: now, in: db)
      case .completed:
        guard event.details.start <= now else {
          throw FieldError.precondition("status", "event \(request.id) has not started yet")
        }
        try EventStore.setStatus(row, .completed, reason: reason, now: now, in: db)
        try RegistrationStore.close(event: row, completed: true, now: now, in: db)
      default:
        try EventStore.setStatus(row, target, reason: reason, now: now, in: db)
      }
      return (try EventStore.message(EventStore.fetch(row, in: db)!, in: db), release)
    }
    if release { await saga.releaseAll(row) }
    return message
  }

  public func getEvent(_ request: Tongxin_Events_GetEventRequest, context: ServerContext)
    async throws -> Tongxin_Events_Event
  {
    _ = try Identifier.event.row(request.id, "id")
    return try await database.read { db in
      try EventStore.message(EventStore.visible(request.id, in: db), in: db)
    }
  }

  public func listEvents(_ request: Tongxin_Events_ListEventsRequest, context: ServerContext)
    async throws -> Tongxin_Events_ListEventsResponse
  {
    let query = try EventQuery(request)
    return try await database.read { db in try query.run(in: db) }
  }

  /// What a create's idempotency key found: a new record, or the one a former call made.
  enum CreateClaim: Sendable {
    case new([Int64])
    case existing(Int64)

    /// The event (or series) to answer with.
    var target: Int64 {
      switch self {
      case .new(let ids): ids[0]
      case .existing(let id): id
      }
    }
  }

  /// Inserts with `insert` unless `key` already made a record; a retry of a create that is
  /// still reserving rooms carries on with the same records.
  ///
  /// Creates that call reception cannot use ``ServiceDatabase/idempotentWrite``: their answer
  /// is known only after the reservation, so the key names the record, not a response.
  func claimCreate(
    scope: String, key: String, request: [UInt8],
    _ insert: @escaping @Sendable (Database, Instant) throws -> [Int64]
  ) async throws -> CreateClaim {
    try await database.write { db in
      let now = Instant.now()
      if !key.isEmpty,
        let row = try Row.fetchOne(
          db, sql: "SELECT request, target_id FROM create_keys WHERE scope = ? AND key = ?",
          arguments: [scope, key])
      {
        guard (row["request"] as Data) == Data(request) else {
          throw FieldError.invalid(
            "idempotency_key", "\"\(key)\" was already used for a different \(scope) request")
        }
        let target: Int64 = row["target_id"]
        let events = try Row.fetchAll(
          db, sql: "SELECT id, room_state FROM events WHERE id = ? OR series_id = ? ORDER BY id",
          arguments: [scope == "CreateEvent" ? target : -1, scope == "CreateSeries" ? target : -1])
        let pending = events.filter { ($0["room_state"] as String) == RoomState.pending.rawValue }
        guard !pending.isEmpty else { return .existing(target) }
        // Claim the unfinished saga again so that reconciliation leaves it alone.
        let ids = events.map { $0["id"] as Int64 }
        for id in ids {
          try db.execute(
            sql: "UPDATE events SET room_state_at = ? WHERE id = ?", arguments: [now.seconds, id])
        }
        return .new(scope == "CreateSeries" ? [target] : ids)
      }
      let ids = try insert(db, now)
      if !key.isEmpty {
        try db.execute(
          sql: "INSERT INTO create_keys (scope, key, request, target_id) VALUES (?, ?, ?, ?)",
          arguments: [scope, key, Data(request), ids[0]])
      }
      return .new(ids)
    }
  }
}
