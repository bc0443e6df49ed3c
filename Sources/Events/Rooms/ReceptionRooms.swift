import TongxinMessages
import TongxinRPC

/// A booking as the saga needs it.
struct BookingRef: Sendable, Hashable {
  var id: String
  var version: UInt64
  var roomCode: String
  var start: Instant
  var end: Instant
}

/// The reception service's rooms, through the gateway: the other side of the room saga.
///
/// Every failure is sorted into a refusal (reception answered and did nothing: the saga undoes
/// its own step at once) or an unknown outcome (reception may or may not have acted: the saga
/// leaves the state for reconciliation, which asks reception later).
struct ReceptionRooms: Sendable {
  let client: Tongxin_Reception_Reception.Client
  let timeout: Duration

  /// A failure of a call to reception.
  enum Failure: Error {
    /// Reception answered and changed nothing; `error` is what the caller should see.
    case refused(RPCError)
    /// Reception may have acted; `error` (UNAVAILABLE) is what the caller should see.
    case unknown(RPCError)
  }

  func reserve(eventID: String, seq: Int, title: String, room: String, start: Instant, end: Instant)
    async throws -> BookingRef
  {
    var request = Tongxin_Reception_ReserveRoomRequest()
    request.roomCode = room
    request.start = start.timestamp
    request.end = end.timestamp
    var holder = Tongxin_Reception_Holder()
    holder.holder = .eventID(eventID)
    request.holder = holder
    request.title = String(title.prefix(100))
    request.holdKey = EventRow.holdKey(eventID: eventID, seq: seq)
    return try await call(idempotencyKey: request.holdKey) {
      try await client.reserveRoom(request, options: $0)
    }
  }

  func move(_ booking: BookingRef, room: String, start: Instant, end: Instant)
    async throws -> BookingRef
  {
    var request = Tongxin_Reception_MoveBookingRequest()
    request.id = booking.id
    request.version = booking.version
    request.roomCode = room
    request.start = start.timestamp
    request.end = end.timestamp
    return try await call(idempotencyKey: "move-\(booking.id)-v\(booking.version)") {
      try await client.moveBooking(request, options: $0)
    }
  }

  func release(_ bookingID: String, version: UInt64, reason: String) async throws {
    var request = Tongxin_Reception_ReleaseBookingRequest()
    request.id = bookingID
    request.version = version
    request.reason = reason
    _ = try await call(idempotencyKey: "release-\(bookingID)-v\(version)") {
      try await client.releaseBooking(request, options: $0)
    }
  }

  /// Every booking an event of this service holds now, from `start` on, with the event's id.
  func eventBookings(from start: Instant) async throws -> [(eventID: String, booking: BookingRef)]
  {
    var request = Tongxin_Reception_ListBookingsRequest()
    request.start = start.timestamp
    request.pageSize = 1000
    var found: [(eventID: String, booking: BookingRef)] = []
    do {
      repeat {
        let page = try await client.listBookings(request, options: CallOptions(timeout: timeout))
        for booking in page.bookings where booking.status == .booked {
          if case .eventID(let eventID)? = booking.holder?.holder {
            found.append((eventID, Self.ref(booking)))
          }
        }
        request.pageToken = page.nextPageToken
      } while !request.pageToken.isEmpty
    } catch {
      throw Failure.unknown(Self.unavailable(error))
    }
    return found
  }

  /// The bookings an event holds now (not cancelled).
  func bookings(heldBy eventID: String) async throws -> [BookingRef] {
    var request = Tongxin_Reception_ListBookingsRequest()
    var holder = Tongxin_Reception_Holder()
    holder.holder = .eventID(eventID)
    request.holder = holder
    request.pageSize = 1000
    do {
      let response = try await client.listBookings(request, options: CallOptions(timeout: timeout))
      return response.bookings.filter { $0.status == .booked }.map(Self.ref)
    } catch {
      throw Failure.unknown(Self.unavailable(error))
    }
  }

  private func call(
    idempotencyKey: String,
    _ body: (CallOptions) async throws -> Tongxin_Reception_Booking
  ) async throws -> BookingRef {
    do {
      return Self.ref(
        try await body(CallOptions(timeout: timeout, idempotencyKey: idempotencyKey)))
    } catch let error as RPCError {
      switch error.code {
      case .failedPrecondition, .alreadyExists:
        throw Failure.refused(
          RPCError(
            code: .failedPrecondition, message: "venue.room_code: \(error.message)",
            details: ["field": "venue.room_code"]))
      case .invalidArgument, .outOfRange:
        throw Failure.refused(
          RPCError(
            code: .invalidArgument, message: "venue.room_code: reception refused: \(error.message)",
            details: ["field": "venue.room_code"]))
      case .notFound, .aborted:
        throw Failure.refused(
          RPCError(code: .aborted, message: "reception: \(error.message); read the event again"))
      default:
        throw Failure.unknown(Self.unavailable(error))
      }
    } catch {
      throw Failure.unknown(Self.unavailable(error))
    }
  }

  static func unavailable(_ error: any Error) -> RPCError {
    let reason = (error as? RPCError)?.description ?? "\(error)"
    return RPCError(
      code: .unavailable,
      message: "the reception service could not confirm the room booking (\(reason)); "
        + "nothing was changed: try again later")
  }

  static func ref(_ booking: Tongxin_Reception_Booking) -> BookingRef {
    BookingRef(
      id: booking.id, version: booking.version, roomCode: booking.roomCode,
      start: Instant(seconds: booking.start?.seconds ?? 0),
      end: Instant(seconds: booking.end?.seconds ?? 0))
  }
}
