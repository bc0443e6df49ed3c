import GRDB
import TongxinMessages
import TongxinRPC

extension EventsService {
  public func createSeries(_ request: Tongxin_Events_CreateSeriesRequest, context: ServerContext)
    async throws -> Tongxin_Events_Series
  {
    let first = try EventDetails(
      title: request.title, kind: request.kind, associationCodes: request.associationCodes,
      start: request.firstStart, end: request.firstEnd, venue: request.venue,
      capacity: request.capacity, description: request.description_p,
      startField: "first_start", endField: "first_end")
    let rule = try RecurrenceRule.parse(request.rrule)
    let starts = try rule.occurrences(from: first.start)
    try await directory.checkAssociations(first.associationCodes)
    let duration = first.end.seconds - first.start.seconds
    let status: Tongxin_Events_EventStatus = request.publish ? .published : .draft
    let rrule = request.rrule.trimmingCharacters(in: .whitespaces).uppercased()
    let claim = try await claimCreate(
      scope: "CreateSeries", key: context.idempotencyKey, request: request.serializedBytes()
    ) { db, now in
      try db.execute(
        sql: """
          INSERT INTO series (title, kind, associations, first_start, first_end, rrule, room_code,
            outside_place, capacity, description, version, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
          """,
        arguments: [
          first.title, first.kind.rawValue, first.storedAssociations, first.start.seconds,
          first.end.seconds, rrule, first.venue.roomCode,
          first.venue.roomCode == nil ? first.venue.outsidePlace : nil, first.capacity,
          first.description, now.seconds,
        ])
      let series = db.lastInsertedRowID
      for start in starts {
        var occurrence = first
        occurrence.start = start
        occurrence.end = Instant(seconds: start.seconds + duration)
        _ = try EventStore.insert(
          occurrence, status: status, seriesID: series,
          roomState: first.venue.roomCode == nil ? .none : .pending, now: now, in: db)
      }
      return [series]
    }
    if case .new = claim, first.venue.roomCode != nil {
      let series = claim.target
      let pending = try await database.read { db in
        try Row.fetchAll(
          db, sql: "SELECT * FROM events WHERE series_id = ? AND room_state = 'pending' ORDER BY start",
          arguments: [series]
        ).map { EventRow(row: $0) }
      }
      do {
        try await saga.reserveCreated(pending.map { ($0.id, $0.details) })
      } catch {
        // The occurrences are abandoned (hidden, released, deleted): so is the series.
        try await database.write { db in
          try db.execute(
            sql: "UPDATE events SET series_id = NULL WHERE series_id = ?", arguments: [series])
          try db.execute(
            sql: "DELETE FROM create_keys WHERE scope = 'CreateSeries' AND target_id = ?",
            arguments: [series])
          try db.execute(sql: "DELETE FROM series WHERE id = ?", arguments: [series])
        }
        throw error
      }
    }
    return try await database.read { db in try Self.seriesMessage(claim.target, in: db) }
  }

  public func getSeries(_ request: Tongxin_Events_GetSeriesRequest, context: ServerContext)
    async throws -> Tongxin_Events_Series
  {
    let row = try Identifier.series.row(request.id, "id")
    return try await database.read { db in try Self.seriesMessage(row, in: db) }
  }

  public func cancelOccurrences(
    _ request: Tongxin_Events_CancelOccurrencesRequest, context: ServerContext
  ) async throws -> Tongxin_Events_Series {
    let series = try Identifier.series.row(request.seriesID, "series_id")
    _ = try Identifier.event.row(request.eventID, "event_id")
    let reason = try Validation.required(request.reason, "reason", maxLength: 500)
    let andFollowing = request.andFollowing
    let releases = try await database.write { db -> [Int64] in
      _ = try Self.seriesMessage(series, in: db)
      let event = try EventStore.visible(request.eventID, field: "event_id", in: db)
      guard event.seriesID == series else {
        throw FieldError.invalid(
          "event_id", "event \(request.eventID) is not an occurrence of \(request.seriesID)")
      }
      let targets = andFollowing
        ? try Row.fetchAll(
          db, sql: "SELECT * FROM events WHERE series_id = ? AND start >= ? ORDER BY start",
          arguments: [series, event.details.start.seconds]
        ).map { EventRow(row: $0) }.filter(\.isVisible)
        : [event]
      let now = Instant.now()
      var releases: [Int64] = []
      for target in targets where EventLifecycle.isOpen(target.status) {
        if try RoomSaga.markCancelled(target, reason: reason, now: now, in: db) {
          releases.append(target.id)
        }
      }
      return releases
    }
    for id in releases { await saga.releaseAll(id) }
    return try await database.read { db in try Self.seriesMessage(series, in: db) }
  }

  static func seriesMessage(_ id: Int64, in db: Database) throws -> Tongxin_Events_Series {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM series WHERE id = ?", arguments: [id])
    else { throw FieldError.notFound("id", "series", Identifier.series.make(id)) }
    var series = Tongxin_Events_Series()
    series.id = Identifier.series.make(id)
    series.title = row["title"]
    series.kind = .init(rawValue: row["kind"])
    series.associationCodes = (row["associations"] as String).split(separator: ",").map(String.init)
    series.firstStart = Instant(seconds: row["first_start"]).timestamp
    series.firstEnd = Instant(seconds: row["first_end"]).timestamp
    series.rrule = row["rrule"]
    let room: String? = row["room_code"]
    series.venue = (room.map(Venue.room) ?? .outside(row["outside_place"] ?? "")).message
    series.capacity = UInt32(row["capacity"] as Int64)
    series.description_p = row["description"]
    series.version = row["version"]
    series.createdAt = Instant(seconds: row["created_at"]).timestamp
    series.occurrences = try Row.fetchAll(
      db, sql: "SELECT * FROM events WHERE series_id = ? ORDER BY start", arguments: [id]
    ).map { EventRow(row: $0) }.filter(\.isVisible).map { try EventStore.message($0, in: db) }
    return series
  }
}
