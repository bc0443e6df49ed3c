import GRDB
import TongxinMessages
import TongxinRPC

// Reading the rooms' calendar: bookings by filter, and free slots.
extension ReceptionService {
  public func listBookings(_ request: Tongxin_Reception_ListBookingsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_ListBookingsResponse
  {
    let paging = try Paging(size: request.pageSize, token: request.pageToken)
    let from = try Timestamps.optional(request.start, "start")
    let until = try Timestamps.optional(request.end, "end")
    if let from, let until, from >= until { throw Refusal.invalid("end", "must be after start") }
    let holder = try request.holder.map { holder throws(RPCError) in try Self.holder(holder) }
    return try await database.read { db in
      var conditions: [String] = []
      var arguments: StatementArguments = []
      if !request.roomCode.isEmpty {
        conditions.append("room_code = ?")
        arguments += [try RoomRecord.named(request.roomCode, field: "room_code", in: db).code]
      }
      // Bookings that overlap [from, until): those that end after it starts and start before
      // it ends.
      if let from {
        conditions.append("end_at > ?")
        arguments += [from]
      }
      if let until {
        conditions.append("start_at < ?")
        arguments += [until]
      }
      if let holder {
        conditions.append("holder_kind = ? AND holder_id = ?")
        arguments += [holder.kind, holder.id]
      }
      if !request.includeCancelled {
        conditions.append("status = ?")
        arguments += [Tongxin_Reception_BookingStatus.booked.rawValue]
      }
      let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      arguments += [paging.fetchLimit, paging.offset]
      let rows = try BookingRecord.fetchAll(
        db, sql: "SELECT * FROM bookings \(filter) ORDER BY start_at, id LIMIT ? OFFSET ?",
        arguments: arguments)
      let page = paging.page(rows)
      return .with {
        $0.bookings = page.rows.map(\.message)
        $0.nextPageToken = page.nextToken
      }
    }
  }

  public func getAvailability(
    _ request: Tongxin_Reception_GetAvailabilityRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_GetAvailabilityResponse {
    let window = try Timestamps.interval(request.start, request.end)
    guard
      window.upperBound - window.lowerBound
        <= Availability.maxWindowDays * BaseCalendar.secondsPerDay
    else {
      throw Refusal.invalid("end", "is more than \(Availability.maxWindowDays) days after start")
    }
    let minSeconds = Int64(request.minMinutes) * 60
    return try await database.read { db in
      let rooms =
        request.roomCode.isEmpty
        ? try RoomRecord.all(db)
        : [try RoomRecord.named(request.roomCode, field: "room_code", in: db)]
      let busy = try BookingRecord.fetchAll(
        db,
        sql: """
          SELECT * FROM bookings
          WHERE status = ? AND occupied_from < ? AND occupied_until > ?
          """,
        arguments: [
          Tongxin_Reception_BookingStatus.booked.rawValue, window.upperBound, window.lowerBound,
        ])
      let occupiedByRoom = Dictionary(grouping: busy, by: \.roomCode).mapValues {
        $0.map(\.occupied)
      }
      return .with {
        $0.rooms = rooms.map { room in
          let free = Availability.freeSlots(
            in: window, room: room, occupied: occupiedByRoom[room.code] ?? [],
            minSeconds: minSeconds)
          return .with {
            $0.roomCode = room.code
            $0.free = free.map { slot in
              .with {
                $0.start = Timestamps.message(slot.lowerBound)
                $0.end = Timestamps.message(slot.upperBound)
              }
            }
          }
        }
      }
    }
  }
}
