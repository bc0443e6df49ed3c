import GRDB
import TongxinMessages
import TongxinRPC

extension EventsService {
  public func createRegistration(_ request: Tongxin_Events_CreateRegistrationRequest, context: ServerContext)
    async throws -> Tongxin_Events_Registration
  {
    _ = try Identifier.event.row(request.eventID, "event_id")
    let attendee = try Attendee.parse(request.attendee)
    try await checkAttendee(attendee)
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CreateRegistration", request: request
    ) { db in
      let event = try EventStore.visible(request.eventID, field: "event_id", in: db)
      return try RegistrationStore.register(attendee, for: event, seriesID: nil, now: .now(), in: db)
    }
  }

  public func registerForSeries(
    _ request: Tongxin_Events_RegisterForSeriesRequest, context: ServerContext
  ) async throws -> Tongxin_Events_RegisterForSeriesResponse {
    let series = try Identifier.series.row(request.seriesID, "series_id")
    let attendee = try Attendee.parse(request.attendee)
    try await checkAttendee(attendee)
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "RegisterForSeries", request: request
    ) { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM series WHERE id = ?", arguments: [series])
        != nil
      else { throw FieldError.notFound("series_id", "series", request.seriesID) }
      let now = Instant.now()
      let upcoming = try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM events WHERE series_id = ? AND status = ? AND start > ?
            AND room_state IN ('none', 'held', 'moving')
          ORDER BY start
          """,
        arguments: [series, Tongxin_Events_EventStatus.published.rawValue, now.seconds]
      ).map(EventRow.init)
      guard !upcoming.isEmpty else {
        throw FieldError.precondition(
          "series_id", "series \(request.seriesID) has no published occurrence still to come")
      }
      var response = Tongxin_Events_RegisterForSeriesResponse()
      for event in upcoming {
        let live = try Int.fetchOne(
          db,
          sql: "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND attendee_key = ? AND status <> 3",
          arguments: [event.id, attendee.key]) ?? 0
        guard live == 0 else { continue }
        response.registrations.append(
          try RegistrationStore.register(attendee, for: event, seriesID: series, now: now, in: db))
      }
      return response
    }
  }

  public func cancelRegistration(
    _ request: Tongxin_Events_CancelRegistrationRequest, context: ServerContext
  ) async throws -> Tongxin_Events_CancelRegistrationResponse {
    _ = try Identifier.registration.row(request.id, "id")
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CancelRegistration", request: request
    ) { db in try RegistrationStore.cancel(request.id, now: .now(), in: db) }
  }

  public func checkIn(_ request: Tongxin_Events_CheckInRequest, context: ServerContext)
    async throws -> Tongxin_Events_Registration
  {
    _ = try Identifier.registration.row(request.registrationID, "registration_id")
    return try await database.write { db in
      try RegistrationStore.checkIn(request.registrationID, now: .now(), in: db)
    }
  }

  public func listRegistrations(
    _ request: Tongxin_Events_ListRegistrationsRequest, context: ServerContext
  ) async throws -> Tongxin_Events_ListRegistrationsResponse {
    _ = try Identifier.event.row(request.eventID, "event_id")
    let statuses = try request.statuses.map { try Validation.required($0, "statuses") }
    return try await database.read { db in
      let event = try EventStore.visible(request.eventID, field: "event_id", in: db)
      let counts = try RegistrationStore.counts(event: event.id, in: db)
      var response = Tongxin_Events_ListRegistrationsResponse()
      response.registrations = try RegistrationStore.list(
        event: event.id, statuses: statuses, in: db)
      var summary = Tongxin_Events_AttendanceSummary()
      summary.registered = UInt32(counts.registered)
      summary.waitlisted = UInt32(counts.waitlisted)
      summary.cancelled = UInt32(counts.cancelled)
      summary.attended = UInt32(counts.attended)
      summary.noShow = UInt32(counts.noShow)
      response.summary = summary
      return response
    }
  }

  public func getPersonAttendance(
    _ request: Tongxin_Events_GetPersonAttendanceRequest, context: ServerContext
  ) async throws -> Tongxin_Events_PersonAttendance {
    let attendee = try Attendee.parse(request.attendee)
    return try await database.read { db in
      var response = Tongxin_Events_PersonAttendance()
      for row in try RegistrationStore.ofAttendee(attendee, in: db) {
        var entry = Tongxin_Events_AttendanceEntry()
        entry.eventID = Identifier.event.make(row["event_id"])
        entry.title = row["title"]
        entry.kind = .init(rawValue: row["kind"])
        entry.start = Instant(seconds: row["start"]).timestamp
        entry.status = .init(rawValue: row["status"])
        if entry.status == .attended { response.attended += 1 }
        if entry.status == .noShow { response.noShow += 1 }
        response.entries.append(entry)
      }
      return response
    }
  }

  /// Members must exist in membership; guests need no check.
  private func checkAttendee(_ attendee: Attendee) async throws {
    if case .member(let id) = attendee {
      try await directory.checkMember(id, field: "attendee.member_id")
    }
  }
}
