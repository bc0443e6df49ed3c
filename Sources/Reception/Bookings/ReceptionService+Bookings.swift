import GRDB
import TongxinMessages
import TongxinRPC

extension ReceptionService {
  public func reserveRoom(_ request: Tongxin_Reception_ReserveRoomRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    let holder = try Self.holder(request.holder)
    let interval = try Timestamps.interval(request.start, request.end)
    let setup = try BookingRules.buffer(request.setupMinutes, field: "setup_minutes")
    let teardown = try BookingRules.buffer(request.teardownMinutes, field: "teardown_minutes")
    let title = try FieldRules.text(request.title, "title", limit: 200)
    let holdKey = try FieldRules.holdKey(request.holdKey)
    let roomCode = request.roomCode
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "ReserveRoom", request: request
    ) { db in
      let room = try RoomRecord.named(roomCode, field: "room_code", in: db)
      let plan = BookingStore.Plan(
        room: room, interval: interval, setupMinutes: setup, teardownMinutes: teardown,
        holder: holder)
      // A retry of a reservation that already happened answers with it, whatever became of it.
      if let held = try BookingStore.find(holdKey: holdKey, in: db) {
        guard held.roomCode == room.code, held.start..<held.end == interval,
          held.setupMinutes == setup, held.teardownMinutes == teardown, held.holder == holder
        else {
          throw RPCError(
            code: .alreadyExists,
            message: "hold_key \"\(holdKey)\" already holds \(held.summary) for another room, "
              + "time or holder; use a new key for a new booking",
            details: ["field": "hold_key", "booking_id": held.wireID])
        }
        return held.message
      }
      try BookingStore.check(plan, in: db)
      return try BookingStore.insert(plan, title: title, holdKey: holdKey, now: now, in: db)
        .message
    }
  }

  public func moveBooking(_ request: Tongxin_Reception_MoveBookingRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    guard !request.id.isEmpty else { throw Refusal.missing("id") }
    let version = try FieldRules.version(request.version)
    let interval = try Timestamps.interval(request.start, request.end)
    let setup = try request.setupMinutes.map { minutes throws(RPCError) in
      try BookingRules.buffer(minutes, field: "setup_minutes")
    }
    let teardown = try request.teardownMinutes.map { minutes throws(RPCError) in
      try BookingRules.buffer(minutes, field: "teardown_minutes")
    }
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "MoveBooking", request: request
    ) { db in
      let booking = try BookingStore.require(request.id, in: db)
      guard booking.version == version else {
        throw Refusal.staleVersion(
          "booking", booking.wireID, stored: booking.version, given: request.version)
      }
      guard booking.status == .booked else {
        throw Refusal.precondition(
          "booking \(booking.wireID) is cancelled and cannot move; reserve a new one",
          details: ["field": "id"])
      }
      let room = try RoomRecord.named(
        request.roomCode.isEmpty ? booking.roomCode : request.roomCode, field: "room_code", in: db)
      let plan = BookingStore.Plan(
        room: room, interval: interval, setupMinutes: setup ?? booking.setupMinutes,
        teardownMinutes: teardown ?? booking.teardownMinutes, holder: booking.holder)
      try BookingStore.check(plan, excluding: booking.id, in: db)
      return try BookingStore.move(booking, to: plan, now: now, in: db).message
    }
  }

  public func releaseBooking(
    _ request: Tongxin_Reception_ReleaseBookingRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_Booking {
    guard !request.id.isEmpty else { throw Refusal.missing("id") }
    let version = try FieldRules.version(request.version)
    let reason = try FieldRules.text(request.reason, "reason", limit: 500)
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "ReleaseBooking", request: request
    ) { db in
      let booking = try BookingStore.require(request.id, in: db)
      guard booking.version == version else {
        throw Refusal.staleVersion(
          "booking", booking.wireID, stored: booking.version, given: request.version)
      }
      guard booking.status == .booked else {
        throw Refusal.precondition(
          "booking \(booking.wireID) is already cancelled", details: ["field": "id"])
      }
      return try BookingStore.release(booking, reason: reason, now: now, in: db).message
    }
  }

  public func getBooking(_ request: Tongxin_Reception_GetBookingRequest, context: ServerContext)
    async throws -> Tongxin_Reception_Booking
  {
    try await database.read { db in try BookingStore.require(request.id, in: db).message }
  }

  /// The holder a request names: exactly one id, well formed.
  static func holder(_ holder: Tongxin_Reception_Holder?) throws(RPCError) -> BookingHolder {
    switch holder?.holder {
    case .eventID(let id)?:
      return .event(try FieldRules.foreignID(id, "holder.event_id", required: true))
    case .delegationID(let id)?:
      // Stored in its canonical form ("d-07" is d-7), so that lists by holder find it.
      let row = try RecordID.row(
        id, prefix: RecordID.delegation, kind: "delegation", field: "holder.delegation_id")
      return .delegation(RecordID.make(RecordID.delegation, row))
    case nil:
      throw Refusal.invalid("holder", "is required: an event_id or a delegation_id")
    }
  }
}
