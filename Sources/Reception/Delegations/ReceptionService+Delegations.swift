import GRDB
import TongxinMessages
import TongxinRPC

extension ReceptionService {
  public func createDelegation(
    _ request: Tongxin_Reception_CreateDelegationRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_Delegation {
    let details = try DelegationDetails(request)
    if !details.hostMemberID.isEmpty {
      try await hosts.verifyHost(details.hostMemberID, timeout: outgoingTimeout(context))
    }
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "CreateDelegation", request: request
    ) { db in
      try DelegationStore.message(DelegationStore.insert(details, now: now, in: db), in: db)
    }
  }

  public func updateDelegation(
    _ request: Tongxin_Reception_UpdateDelegationRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_Delegation {
    guard !request.id.isEmpty else { throw Refusal.missing("id") }
    let version = try FieldRules.version(request.version)
    let details = try DelegationDetails(request)
    // Only a new host is asked about: membership may be down, and an unchanged host was
    // checked when it was set.
    if !details.hostMemberID.isEmpty {
      let stored = try await database.read { db in
        try DelegationStore.require(request.id, in: db).hostMemberID
      }
      if stored != details.hostMemberID {
        try await hosts.verifyHost(details.hostMemberID, timeout: outgoingTimeout(context))
      }
    }
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "UpdateDelegation", request: request
    ) { db in
      let delegation = try DelegationStore.require(request.id, in: db)
      try Self.checkVersion(delegation, version, given: request.version)
      guard DelegationLifecycle.isOpen(delegation.status) else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) is \(DelegationLifecycle.name(delegation.status)) "
            + "and can no longer change", details: ["field": "id"])
      }
      let visitors = try VisitorStore.count(ofDelegation: delegation.id, in: db)
      guard details.headCount >= visitors else {
        throw Refusal.precondition(
          "delegation \(delegation.wireID) already has \(visitors) visitors recorded; "
            + "head_count \(details.headCount) is fewer", details: ["field": "head_count"])
      }
      for booking in try BookingStore.inForce(ofDelegation: delegation.wireID, in: db) {
        let room = try RoomRecord.named(booking.roomCode, field: "room_code", in: db)
        try delegation.checkFits(room, headCount: details.headCount)
        guard details.visit.lowerBound <= booking.start, booking.end <= details.visit.upperBound
        else {
          throw Refusal.precondition(
            "\(booking.summary) would lie outside the visit; move or release it first",
            details: ["field": "start", "booking_id": booking.wireID])
        }
      }
      let updated = try DelegationStore.update(delegation, with: details, now: now, in: db)
      return try DelegationStore.message(updated, in: db)
    }
  }

  public func setDelegationStatus(
    _ request: Tongxin_Reception_SetDelegationStatusRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_Delegation {
    guard !request.id.isEmpty else { throw Refusal.missing("id") }
    let version = try FieldRules.version(request.version)
    switch request.status {
    case .unspecified: throw Refusal.missing("status")
    case .unrecognized(let number):
      throw Refusal.invalid("status", "is \(number), which is not a delegation status")
    default: break
    }
    let releases = DelegationLifecycle.releasesRooms(request.status)
    let reason = try FieldRules.text(request.reason, "reason", required: releases, limit: 500)
    let now = clock()
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: "SetDelegationStatus", request: request
    ) { db in
      let delegation = try DelegationStore.require(request.id, in: db)
      try Self.checkVersion(delegation, version, given: request.version)
      try DelegationLifecycle.checkStep(
        delegation.wireID, from: delegation.status, to: request.status)
      let updated = try DelegationStore.setStatus(
        delegation, to: request.status, reason: reason, now: now, in: db)
      // A visit that will not happen gives its rooms back in the same transaction.
      if releases {
        let why =
          "delegation \(delegation.wireID) \(DelegationLifecycle.name(request.status)): \(reason)"
        for booking in try BookingStore.inForce(ofDelegation: delegation.wireID, in: db) {
          _ = try BookingStore.release(booking, reason: why, now: now, in: db)
        }
      }
      return try DelegationStore.message(updated, in: db)
    }
  }

  public func getDelegation(
    _ request: Tongxin_Reception_GetDelegationRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_Delegation {
    try await database.read { db in
      try DelegationStore.message(DelegationStore.require(request.id, in: db), in: db)
    }
  }

  public func listDelegations(
    _ request: Tongxin_Reception_ListDelegationsRequest, context: ServerContext
  ) async throws -> Tongxin_Reception_ListDelegationsResponse {
    let paging = try Paging(size: request.pageSize, token: request.pageToken)
    let from = try Timestamps.optional(request.start, "start")
    let until = try Timestamps.optional(request.end, "end")
    if let from, let until, from >= until { throw Refusal.invalid("end", "must be after start") }
    for (index, status) in request.statuses.enumerated() {
      if case .unrecognized(let number) = status {
        throw Refusal.invalid(
          "statuses[\(index)]", "is \(number), which is not a delegation status")
      }
    }
    return try await database.read { db in
      let rows = try DelegationStore.list(
        starting: (from, until), statuses: request.statuses, visitingBody: request.visitingBody,
        hostMemberID: request.hostMemberID, paging: paging, in: db)
      let page = paging.page(rows)
      return try .with {
        $0.delegations = try page.rows.map { try DelegationStore.message($0, in: db) }
        $0.nextPageToken = page.nextToken
      }
    }
  }

  static func checkVersion(_ delegation: DelegationRecord, _ version: Int64, given: UInt64)
    throws(RPCError)
  {
    guard delegation.version == version else {
      throw Refusal.staleVersion(
        "delegation", delegation.wireID, stored: delegation.version, given: given)
    }
  }
}
