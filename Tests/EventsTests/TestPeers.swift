import Synchronization
import TongxinMessages
import TongxinRPC

/// A membership service with four associations and people whose ids start with "per_".
final class TestMembership: Tongxin_Membership_Membership.ServiceProtocol {
  func listAssociations(
    _ request: Tongxin_Membership_ListAssociationsRequest, context: ServerContext
  ) async throws -> Tongxin_Membership_ListAssociationsResponse {
    .with {
      $0.associations = ["zhilianhui", "xinlianhui", "zhigong", "jiusan"].map { code in
        .with { $0.code = code }
      }
    }
  }

  func getPerson(_ request: Tongxin_Membership_GetPersonRequest, context: ServerContext)
    async throws -> Tongxin_Membership_GetPersonResponse
  {
    guard request.id.hasPrefix("per_") else {
      throw RPCError(code: .notFound, message: "no person \(request.id)")
    }
    return .with { $0.person = .with { $0.id = request.id } }
  }
}

/// Reception's room bookings, kept in memory: one room never has two overlapping bookings,
/// hold keys make reservations idempotent.
final class TestReception: Tongxin_Reception_Reception.ServiceProtocol {
  private let bookings = Mutex<[Tongxin_Reception_Booking]>([])

  /// Bookings that hold their room now.
  var active: [Tongxin_Reception_Booking] {
    bookings.withLock { $0.filter { $0.status == .booked } }
  }

  func reserveRoom(_ request: Tongxin_Reception_ReserveRoomRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    try bookings.withLock { bookings in
      if let held = bookings.first(where: { $0.holdKey == request.holdKey && $0.status == .booked }) {
        return held
      }
      try Self.checkFree(
        request.roomCode, request.start?.seconds ?? 0, request.end?.seconds ?? 0, except: "",
        in: bookings)
      let booking = Tongxin_Reception_Booking.with {
        $0.id = "b-\(bookings.count + 1)"
        $0.roomCode = request.roomCode
        $0.start = request.start
        $0.end = request.end
        $0.holder = request.holder
        $0.holdKey = request.holdKey
        $0.status = .booked
        $0.version = 1
      }
      bookings.append(booking)
      return booking
    }
  }

  func moveBooking(_ request: Tongxin_Reception_MoveBookingRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    try bookings.withLock { bookings in
      guard let index = bookings.firstIndex(where: { $0.id == request.id }) else {
        throw RPCError(code: .notFound, message: "no booking \(request.id)")
      }
      guard bookings[index].version == request.version else {
        throw RPCError(code: .aborted, message: "stale version")
      }
      let room = request.roomCode.isEmpty ? bookings[index].roomCode : request.roomCode
      try Self.checkFree(
        room, request.start?.seconds ?? 0, request.end?.seconds ?? 0, except: request.id,
        in: bookings)
      bookings[index].roomCode = room
      bookings[index].start = request.start
      bookings[index].end = request.end
      bookings[index].version += 1
      return bookings[index]
    }
  }

  func releaseBooking(_ request: Tongxin_Reception_ReleaseBookingRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    try bookings.withLock { bookings in
      guard let index = bookings.firstIndex(where: { $0.id == request.id }) else {
        throw RPCError(code: .notFound, message: "no booking \(request.id)")
      }
      bookings[index].status = .cancelled
      bookings[index].version += 1
      return bookings[index]
    }
  }

  func listBookings(_ request: Tongxin_Reception_ListBookingsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_ListBookingsResponse
  {
    let all = bookings.withLock { $0 }
    return .with {
      $0.bookings = all.filter {
        (request.holder == nil || $0.holder == request.holder)
          && (request.includeCancelled || $0.status == .booked)
      }
    }
  }

  private static func checkFree(
    _ room: String, _ start: Int64, _ end: Int64,
    except id: String, in bookings: [Tongxin_Reception_Booking]
  ) throws {
    if let clash = bookings.first(where: {
      $0.status == .booked && $0.id != id && $0.roomCode == room
        && ($0.start?.seconds ?? 0) < end && start < ($0.end?.seconds ?? 0)
    }) {
      throw RPCError(code: .failedPrecondition, message: "room \(room) is taken by \(clash.id)")
    }
  }
}
