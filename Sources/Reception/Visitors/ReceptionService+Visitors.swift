import GRDB
import TongxinMessages
import TongxinRPC

extension ReceptionService {
  /// Most visitors one AddVisitors call takes: a large delegation fits, a runaway loop does not.
  static let maxVisitorsPerCall = 500
  /// How far a check-in time may lie ahead of this instance's clock: clocks of callers drift.
  static let clockTolerance: Int64 = 300

  public func addVisitors(_ request: Tongxin_Reception_AddVisitorsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_AddVisitorsResponse
  {
    guard !request.delegationID.isEmpty else { throw Refusal.missing("delegation_id") }
    guard !request.visitors.isEmpty else { throw Refusal.missing("visitors") }
    guard request.visitors.count <= Self.maxVisitorsPerCall else {
      throw Refusal.invalid(
        "visitors",
        "has \(request.visitors.count) entries; at most \(Self.maxVisitorsPerCall) per call")
    }
    let visitors = try request.visitors.enumerated().map { index, visitor throws(RPCError) in
      try NewVisitorDetails(visitor, index: index)
    }
    // The store of answered writes keeps a digest, not the request: phone and ID numbers must
    // not outlive the purge there.
    let digest = Tongxin_Reception_AddVisitorsDigest.with {
      $0.delegationID = request.delegationID
      $0.sha256 = SHA256.digest(request.serializedBytes())
    }
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "AddVisitors", request: digest
    ) { db in
      let delegation = try DelegationStore.require(
        request.delegationID, field: "delegation_id", in: db)
      guard DelegationLifecycle.isOpen(delegation.status) else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) is \(DelegationLifecycle.name(delegation.status)); "
            + "visitors are added while it is requested, confirmed or checked in",
          details: ["field": "delegation_id"])
      }
      let recorded = try VisitorStore.count(ofDelegation: delegation.id, in: db)
      guard recorded + visitors.count <= delegation.headCount else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) has head count \(delegation.headCount) and "
            + "\(recorded) visitors recorded; \(visitors.count) more do not fit: raise its "
            + "head_count first", details: ["field": "visitors"])
      }
      let ids = try visitors.map {
        try VisitorStore.insert($0, delegation: delegation.id, now: now, in: db)
      }
      return .with {
        $0.visitorIds = ids.map { RecordID.make(RecordID.visitor, $0) }
        $0.visitorCount = UInt32(recorded + ids.count)
      }
    }
  }

  public func checkInVisitors(
    _ request: Tongxin_Reception_CheckVisitorsRequest, context: ServerContext
  )
    async throws -> Tongxin_Reception_CheckVisitorsResponse
  {
    try await checkVisitors(request, context: context, scope: "CheckInVisitors") {
      delegation, chosen, at, db in
      guard delegation.status == .checkedIn else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) is \(DelegationLifecycle.name(delegation.status)); "
            + "check the delegation in before its visitors", details: ["field": "delegation_id"])
      }
      let visitors = try chosen { $0.checkedInAt == nil }
      for visitor in visitors {
        guard visitor.checkedInAt == nil else {
          throw Refusal.precondition(
            "visitor \(visitor.wireID) already checked in at \(Timestamps.text(visitor.checkedInAt!))",
            details: ["field": "visitor_ids"])
        }
        try VisitorStore.setCheckedIn(visitor.id, at: at, in: db)
      }
      return visitors
    }
  }

  public func checkOutVisitors(
    _ request: Tongxin_Reception_CheckVisitorsRequest, context: ServerContext
  )
    async throws -> Tongxin_Reception_CheckVisitorsResponse
  {
    try await checkVisitors(request, context: context, scope: "CheckOutVisitors") {
      delegation, chosen, at, db in
      guard delegation.status == .checkedIn || delegation.status == .completed else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) is \(DelegationLifecycle.name(delegation.status)); "
            + "its visitors have not arrived", details: ["field": "delegation_id"])
      }
      let visitors = try chosen { $0.checkedInAt != nil && $0.checkedOutAt == nil }
      for visitor in visitors {
        guard let checkedIn = visitor.checkedInAt, visitor.checkedOutAt == nil else {
          let problem = visitor.checkedInAt == nil ? "has not checked in" : "already checked out"
          throw Refusal.precondition(
            "visitor \(visitor.wireID) \(problem)", details: ["field": "visitor_ids"])
        }
        guard checkedIn <= at else {
          throw Refusal.invalid(
            "at", "is before visitor \(visitor.wireID) checked in at \(Timestamps.text(checkedIn))")
        }
        try VisitorStore.setCheckedOut(visitor.id, at: at, in: db)
      }
      return visitors
    }
  }

  public func listVisitors(_ request: Tongxin_Reception_ListVisitorsRequest, context: ServerContext)
    async throws -> Tongxin_Reception_ListVisitorsResponse
  {
    try await database.read { db in
      let delegation = try DelegationStore.require(
        request.delegationID, field: "delegation_id", in: db)
      return try .with {
        $0.visitors = try VisitorStore.all(ofDelegation: delegation.id, in: db).map(\.message)
      }
    }
  }
}
