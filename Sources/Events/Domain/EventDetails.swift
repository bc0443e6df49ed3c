import TongxinMessages
import TongxinWire
import TongxinRPC

/// Where an event takes place, checked.
enum Venue: Hashable, Sendable {
  /// One of the base's rooms, held through a reception booking.
  case room(String)
  case outside(String)

  var roomCode: String? {
    if case .room(let code) = self { code } else { nil }
  }

  var message: Tongxin_Events_Venue {
    var venue = Tongxin_Events_Venue()
    switch self {
    case .room(let code): venue.venue = .roomCode(code)
    case .outside(let place): venue.venue = .outsidePlace(place)
    }
    return venue
  }

  static func parse(_ venue: Tongxin_Events_Venue?, _ field: String = "venue") throws -> Venue {
    switch venue?.venue {
    case .roomCode(let code)?:
      return .room(try Validation.code(code, "\(field).room_code"))
    case .outsidePlace(let place)?:
      return .outside(try Validation.required(place, "\(field).outside_place", maxLength: 200))
    case nil:
      throw FieldError.invalid(field, "is required: a room_code of the base or an outside_place")
    }
  }
}

/// The details of an event a caller sets, checked: what create and update share.
struct EventDetails: Hashable, Sendable {
  var title: String
  var kind: Tongxin_Events_EventKind
  var associationCodes: [String]
  var start: Instant
  var end: Instant
  var venue: Venue
  var capacity: Int
  var description: String

  /// The longest event: a conference may span days, but nothing spans weeks.
  static let maxDuration: Int64 = 14 * 86_400
  static let maxCapacity = 10_000

  init(
    title: String, kind: Tongxin_Events_EventKind, associationCodes: [String],
    start: Google_Protobuf_Timestamp?, end: Google_Protobuf_Timestamp?,
    venue: Tongxin_Events_Venue?, capacity: UInt32, description: String,
    startField: String = "start", endField: String = "end"
  ) throws {
    self.title = try Validation.required(title, "title", maxLength: 200)
    self.kind = try Validation.required(kind, "kind")
    self.associationCodes = try Self.codes(associationCodes)
    self.start = try Instant.required(start, startField)
    self.end = try Instant.required(end, endField)
    guard self.end > self.start else {
      throw FieldError.invalid(endField, "must be after \(startField) (\(self.start.text))")
    }
    guard self.end.seconds - self.start.seconds <= Self.maxDuration else {
      throw FieldError.invalid(endField, "an event lasts at most 14 days")
    }
    self.venue = try Venue.parse(venue)
    guard (1...UInt32(Self.maxCapacity)).contains(capacity) else {
      throw FieldError.invalid("capacity", "must be from 1 to \(Self.maxCapacity)")
    }
    self.capacity = Int(capacity)
    self.description = try Validation.optional(description, "description", maxLength: 2000, lineBreaks: true)
  }

  private static func codes(_ codes: [String]) throws -> [String] {
    guard !codes.isEmpty else {
      throw FieldError.invalid("association_codes", "at least one organising association is required")
    }
    guard codes.count <= 10 else {
      throw FieldError.invalid("association_codes", "at most 10 associations")
    }
    let checked = try codes.map { try Validation.code($0, "association_codes") }
    guard Set(checked).count == checked.count else {
      throw FieldError.invalid("association_codes", "names an association twice")
    }
    return checked
  }
}

extension EventDetails {
  init(_ request: Tongxin_Events_CreateEventRequest) throws {
    try self.init(
      title: request.title, kind: request.kind, associationCodes: request.associationCodes,
      start: request.start, end: request.end, venue: request.venue, capacity: request.capacity,
      description: request.description_p)
  }

  init(_ request: Tongxin_Events_UpdateEventRequest) throws {
    try self.init(
      title: request.title, kind: request.kind, associationCodes: request.associationCodes,
      start: request.start, end: request.end, venue: request.venue, capacity: request.capacity,
      description: request.description_p)
  }
}

extension Venue {
  var outsidePlace: String? {
    if case .outside(let place) = self { place } else { nil }
  }
}
