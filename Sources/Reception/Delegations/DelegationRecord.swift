import GRDB
import TongxinMessages
import TongxinRPC

/// A row of `delegations`.
struct DelegationRecord: FetchableRecord, Sendable {
  var id: Int64
  var visitingBody: String
  var leadOfficial: String
  var leadRank: String
  var seniorLed: Bool
  var headCount: Int64
  var purpose: Tongxin_Reception_Purpose
  var start: Int64
  var end: Int64
  var hostMemberID: String
  var status: Tongxin_Reception_DelegationStatus
  var statusReason: String
  var notes: String
  var version: Int64
  var createdAt: Int64
  var updatedAt: Int64

  init(row: Row) {
    id = row["id"]
    visitingBody = row["visiting_body"]
    leadOfficial = row["lead_official"]
    leadRank = row["lead_rank"]
    seniorLed = row["senior_led"]
    headCount = row["head_count"]
    purpose = Tongxin_Reception_Purpose(rawValue: row["purpose"])
    start = row["start_at"]
    end = row["end_at"]
    hostMemberID = row["host_member_id"]
    status = Tongxin_Reception_DelegationStatus(rawValue: row["status"])
    statusReason = row["status_reason"]
    notes = row["notes"]
    version = row["version"]
    createdAt = row["created_at"]
    updatedAt = row["updated_at"]
  }

  var wireID: String { RecordID.make(RecordID.delegation, id) }

  /// The wire form; bookings and the visitor count come from other tables.
  func message(bookings: [BookingRecord], visitorCount: Int) -> Tongxin_Reception_Delegation {
    .with {
      $0.id = wireID
      $0.visitingBody = visitingBody
      $0.leadOfficial = leadOfficial
      $0.leadRank = leadRank
      $0.seniorLed = seniorLed
      $0.headCount = UInt32(clamping: headCount)
      $0.purpose = purpose
      $0.start = Timestamps.message(start)
      $0.end = Timestamps.message(end)
      $0.hostMemberID = hostMemberID
      $0.status = status
      $0.statusReason = statusReason
      $0.notes = notes
      $0.bookings = bookings.map(\.message)
      $0.visitorCount = UInt32(clamping: visitorCount)
      $0.version = UInt64(version)
      $0.createdAt = Timestamps.message(createdAt)
      $0.updatedAt = Timestamps.message(updatedAt)
    }
  }

  /// Refuses a booking of `room` for `interval` that this delegation cannot hold: it must be
  /// still expected, the booking must lie within the visit, and the room must seat everyone.
  func checkCanHold(_ room: RoomRecord, for interval: Range<Int64>) throws(RPCError) {
    guard DelegationLifecycle.isOpen(status) else {
      throw Refusal.precondition(
        "delegation \(wireID) is \(DelegationLifecycle.name(status)): only a requested, "
          + "confirmed or checked-in delegation holds rooms",
        details: ["field": "holder.delegation_id"])
    }
    guard start <= interval.lowerBound, interval.upperBound <= end else {
      throw Refusal.precondition(
        "the booking must lie within the visit of delegation \(wireID), "
          + "\(Timestamps.text(start)) to \(Timestamps.text(end))",
        details: ["field": "start"])
    }
    try checkFits(room)
  }

  /// Refuses a room that does not seat the delegation's head count.
  func checkFits(_ room: RoomRecord, headCount: Int64? = nil) throws(RPCError) {
    let people = headCount ?? self.headCount
    guard people <= room.capacity else {
      throw Refusal.precondition(
        "delegation \(wireID) brings \(people) people; room \(room.code) (\(room.name)) seats "
          + "\(room.capacity)",
        details: ["field": headCount == nil ? "room_code" : "head_count"])
    }
  }
}
