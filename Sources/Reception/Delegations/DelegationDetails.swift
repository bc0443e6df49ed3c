import TongxinMessages
import TongxinRPC
import TongxinWire

/// The validated details of a delegation, as CreateDelegation and UpdateDelegation give them.
struct DelegationDetails: Sendable, Equatable {
  static let maxHeadCount: UInt32 = 10_000
  static let maxVisitDays: Int64 = 14

  var visitingBody: String
  var leadOfficial: String
  var leadRank: String
  var seniorLed: Bool
  var headCount: Int64
  var purpose: Tongxin_Reception_Purpose
  var visit: Range<Int64>
  var hostMemberID: String
  var notes: String

  init(_ request: Tongxin_Reception_CreateDelegationRequest) throws(RPCError) {
    try self.init(
      visitingBody: request.visitingBody, leadOfficial: request.leadOfficial,
      leadRank: request.leadRank, seniorLed: request.seniorLed, headCount: request.headCount,
      purpose: request.purpose, start: request.start, end: request.end,
      hostMemberID: request.hostMemberID, notes: request.notes)
  }

  init(_ request: Tongxin_Reception_UpdateDelegationRequest) throws(RPCError) {
    try self.init(
      visitingBody: request.visitingBody, leadOfficial: request.leadOfficial,
      leadRank: request.leadRank, seniorLed: request.seniorLed, headCount: request.headCount,
      purpose: request.purpose, start: request.start, end: request.end,
      hostMemberID: request.hostMemberID, notes: request.notes)
  }

  private init(
    visitingBody: String, leadOfficial: String, leadRank: String, seniorLed: Bool,
    headCount: UInt32, purpose: Tongxin_Reception_Purpose, start: Google_Protobuf_Timestamp?,
    end: Google_Protobuf_Timestamp?, hostMemberID: String, notes: String
  ) throws(RPCError) {
    self.visitingBody = try FieldRules.text(
      visitingBody, "visiting_body", required: true, limit: 200)
    self.leadOfficial = try FieldRules.text(
      leadOfficial, "lead_official", required: true, limit: 100)
    self.leadRank = try FieldRules.text(leadRank, "lead_rank", limit: 100)
    self.seniorLed = seniorLed
    guard (1...Self.maxHeadCount).contains(headCount) else {
      throw Refusal.invalid("head_count", "is \(headCount); it must be 1 to \(Self.maxHeadCount)")
    }
    self.headCount = Int64(headCount)
    self.purpose = try Self.purpose(purpose)
    visit = try Timestamps.interval(start, end)
    guard visit.upperBound - visit.lowerBound <= Self.maxVisitDays * BaseCalendar.secondsPerDay
    else {
      throw Refusal.invalid("end", "is more than \(Self.maxVisitDays) days after start")
    }
    self.hostMemberID = try FieldRules.foreignID(hostMemberID, "host_member_id", required: false)
    self.notes = try FieldRules.text(notes, "notes", limit: 2000, multiline: true)
  }

  private static func purpose(_ purpose: Tongxin_Reception_Purpose) throws(RPCError)
    -> Tongxin_Reception_Purpose
  {
    switch purpose {
    case .unspecified: throw Refusal.missing("purpose")
    case .unrecognized(let number):
      throw Refusal.invalid("purpose", "is \(number), which is not a purpose of this service")
    default: return purpose
    }
  }
}
