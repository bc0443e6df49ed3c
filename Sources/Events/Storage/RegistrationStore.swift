import GRDB
import TongxinMessages
import TongxinRPC

/// Registrations of events, inside a caller's transaction.
///
/// Seats are decided in the immediate write transaction that SQLite grants to one writer at a
/// time, whichever instance it runs in: counting the seats taken and inserting the new
/// registration cannot interleave with another registration, so an event is never overbooked
/// and `sequence` is the order in which registrations arrived.
enum RegistrationStore {
  typealias Status = Tongxin_Events_RegistrationStatus

  struct Counts {
    var registered = 0
    var waitlisted = 0
    var cancelled = 0
    var attended = 0
    var noShow = 0
  }

  static func counts(event: Int64, in db: Database) throws -> Counts {
    var counts = Counts()
    let rows = try Row.fetchAll(
      db, sql: "SELECT status, COUNT(*) AS n FROM registrations WHERE event_id = ? GROUP BY status",
      arguments: [event])
    for row in rows {
      let n: Int = row["n"]
      switch Status(rawValue: row["status"]) {
      case .registered: counts.registered = n
      case .waitlisted: counts.waitlisted = n
      case .cancelled: counts.cancelled = n
      case .attended: counts.attended = n
      case .noShow: counts.noShow = n
      default: break
      }
    }
    return counts
  }

  /// Registers `attendee` for `event`: a seat while one is left, else the waitlist.
  static func register(
    _ attendee: Attendee, for event: EventRow, seriesID: Int64?, now: Instant, in db: Database
  ) throws -> Tongxin_Events_Registration {
    guard event.status == .published else {
      throw FieldError.precondition(
        "event_id", "event \(event.eventID) is \(event.status.protoName): only PUBLISHED events take registrations")
    }
    guard now < event.details.end else {
      throw FieldError.precondition("event_id", "event \(event.eventID) has ended")
    }
    let live = try Int.fetchOne(
      db,
      sql: "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND attendee_key = ? AND status <> ?",
      arguments: [event.id, attendee.key, Status.cancelled.rawValue]) ?? 0
    guard live == 0 else {
      throw FieldError.alreadyExists("attendee", "already registered for event \(event.eventID)")
    }
    let seated = try Int.fetchOne(
      db, sql: "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND status IN (?, ?)",
      arguments: [event.id, Status.registered.rawValue, Status.attended.rawValue]) ?? 0
    let sequence = (try Int.fetchOne(
      db, sql: "SELECT MAX(sequence) FROM registrations WHERE event_id = ?",
      arguments: [event.id]) ?? 0) + 1
    let status: Status = seated < event.details.capacity ? .registered : .waitlisted
    var member: String?
    var guestName: String?
    var guestOrganisation: String?
    switch attendee {
    case .member(let id): member = id
    case .guest(let name, let organisation):
      guestName = name
      guestOrganisation = organisation
    }
    try db.execute(
      sql: """
        INSERT INTO registrations (event_id, member_id, guest_name, guest_organisation,
          attendee_key, status, sequence, series_id, registered_at, version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        """,
      arguments: [
        event.id, member, guestName, guestOrganisation, attendee.key, status.rawValue, sequence,
        seriesID, now.seconds,
      ])
    return try message(fetch(db.lastInsertedRowID, in: db)!)
  }

  /// Cancels a registration and gives its seat to the first waitlisted one, if any.
  static func cancel(_ id: String, now: Instant, in db: Database) throws
    -> Tongxin_Events_CancelRegistrationResponse
  {
    let row = try Identifier.registration.row(id, "id")
    guard let registration = try fetch(row, in: db) else {
      throw FieldError.notFound("id", "registration", id)
    }
    var response = Tongxin_Events_CancelRegistrationResponse()
    let status = Status(rawValue: registration["status"])
    switch status {
    case .cancelled:
      response.registration = try message(registration)
      return response
    case .registered, .waitlisted:
      break
    default:
      throw FieldError.precondition(
        "id", "registration \(id) is \(status.protoName): the event is over")
    }
    try db.execute(
      sql: """
        UPDATE registrations SET status = ?, cancelled_at = ?, version = version + 1 WHERE id = ?
        """,
      arguments: [Status.cancelled.rawValue, now.seconds, row])
    response.registration = try message(fetch(row, in: db)!)
    if status == .registered {
      let eventID: Int64 = registration["event_id"]
      response.promoted = try promote(event: eventID, upTo: 1, now: now, in: db).first
    }
    return response
  }

  /// Moves the first waitlisted registrations, in arrival order, into the seats now free (at
  /// most `limit`).
  @discardableResult
  static func promote(event: Int64, upTo limit: Int = .max, now: Instant, in db: Database) throws
    -> [Tongxin_Events_Registration]
  {
    guard let capacity = try Int.fetchOne(
      db, sql: "SELECT capacity FROM events WHERE id = ?", arguments: [event])
    else { return [] }
    let seated = try Int.fetchOne(
      db, sql: "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND status IN (?, ?)",
      arguments: [event, Status.registered.rawValue, Status.attended.rawValue]) ?? 0
    let free = min(limit, capacity - seated)
    guard free > 0 else { return [] }
    let ids = try Int64.fetchAll(
      db,
      sql: "SELECT id FROM registrations WHERE event_id = ? AND status = ? ORDER BY sequence LIMIT ?",
      arguments: [event, Status.waitlisted.rawValue, free])
    return try ids.map { id in
      try db.execute(
        sql: """
          UPDATE registrations SET status = ?, promoted_at = ?, version = version + 1 WHERE id = ?
          """,
        arguments: [Status.registered.rawValue, now.seconds, id])
      return try message(fetch(id, in: db)!)
    }
  }

  /// Marks a registered person present; checking in twice answers the first check-in.
  static func checkIn(_ id: String, now: Instant, in db: Database) throws
    -> Tongxin_Events_Registration
  {
    let row = try Identifier.registration.row(id, "registration_id")
    guard let registration = try fetch(row, in: db) else {
      throw FieldError.notFound("registration_id", "registration", id)
    }
    let status = Status(rawValue: registration["status"])
    if status == .attended { return try message(registration) }
    guard status == .registered else {
      throw FieldError.precondition(
        "registration_id", "registration \(id) is \(status.protoName): only REGISTERED people check in")
    }
    let eventStatus = try Int32.fetchOne(
      db, sql: "SELECT status FROM events WHERE id = ?", arguments: [registration["event_id"]])
    guard eventStatus == Tongxin_Events_EventStatus.published.rawValue else {
      throw FieldError.precondition("registration_id", "the event is not PUBLISHED")
    }
    try db.execute(
      sql: """
        UPDATE registrations SET status = ?, checked_in_at = ?, version = version + 1 WHERE id = ?
        """,
      arguments: [Status.attended.rawValue, now.seconds, row])
    return try message(fetch(row, in: db)!)
  }

  /// Ends the registrations of an event that ended or was cancelled.
  ///
  /// Completed: seats never checked in become NO_SHOW, the waitlist CANCELLED. Cancelled:
  /// every live registration becomes CANCELLED.
  static func close(event: Int64, completed: Bool, now: Instant, in db: Database) throws {
    if completed {
      try db.execute(
        sql: "UPDATE registrations SET status = ?, version = version + 1 WHERE event_id = ? AND status = ?",
        arguments: [Status.noShow.rawValue, event, Status.registered.rawValue])
    }
    try db.execute(
      sql: """
        UPDATE registrations SET status = ?, cancelled_at = ?, version = version + 1
        WHERE event_id = ? AND status IN (?, ?)
        """,
      arguments: [
        Status.cancelled.rawValue, now.seconds, event, Status.registered.rawValue,
        Status.waitlisted.rawValue,
      ])
  }

  static func list(event: Int64, statuses: [Status], in db: Database) throws
    -> [Tongxin_Events_Registration]
  {
    let filter = statuses.isEmpty
      ? "" : " AND status IN (\(statuses.map { String($0.rawValue) }.joined(separator: ",")))"
    return try Row.fetchAll(
      db, sql: "SELECT * FROM registrations WHERE event_id = ?\(filter) ORDER BY sequence",
      arguments: [event]
    ).map(message)
  }

  /// Every registration of one person with its event, oldest event first.
  static func ofAttendee(_ attendee: Attendee, in db: Database) throws -> [Row] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT r.status AS status, e.id AS event_id, e.title AS title, e.kind AS kind,
          e.start AS start
        FROM registrations r JOIN events e ON e.id = r.event_id
        WHERE r.attendee_key = ? ORDER BY e.start, e.id
        """,
      arguments: [attendee.key])
  }

  static func fetch(_ id: Int64, in db: Database) throws -> Row? {
    try Row.fetchOne(db, sql: "SELECT * FROM registrations WHERE id = ?", arguments: [id])
  }

  static func message(_ row: Row) throws -> Tongxin_Events_Registration {
    var message = Tongxin_Events_Registration()
    message.id = Identifier.registration.make(row["id"])
    message.eventID = Identifier.event.make(row["event_id"])
    if let member: String = row["member_id"] {
      message.attendee = Attendee.member(member).message
    } else {
      message.attendee = Attendee.guest(
        name: row["guest_name"] ?? "", organisation: row["guest_organisation"] ?? ""
      ).message
    }
    message.status = Status(rawValue: row["status"])
    message.sequence = UInt32(row["sequence"] as Int64)
    message.seriesID = (row["series_id"] as Int64?).map(Identifier.series.make) ?? ""
    message.registeredAt = Instant(seconds: row["registered_at"]).timestamp
    message.promotedAt = (row["promoted_at"] as Int64?).map { Instant(seconds: $0).timestamp }
    message.checkedInAt = (row["checked_in_at"] as Int64?).map { Instant(seconds: $0).timestamp }
    message.cancelledAt = (row["cancelled_at"] as Int64?).map { Instant(seconds: $0).timestamp }
    message.version = row["version"]
    return message
  }
}
