import GRDB
import TongxinMessages
import TongxinRPC

extension ReceptionService {
  /// Picks the visitors a check-in or check-out names: every visitor in `defaultSelection`
  /// when the request names none, else exactly those named.
  typealias VisitorChooser = ((VisitorRecord) -> Bool) throws -> [VisitorRecord]

  /// What CheckInVisitors and CheckOutVisitors share: validation, the delegation, the choice
  /// of visitors and the answer; `apply` checks and writes each visitor.
  func checkVisitors(
    _ request: Tongxin_Reception_CheckVisitorsRequest, context: ServerContext, scope: String,
    apply:
      @escaping @Sendable (DelegationRecord, VisitorChooser, Int64, Database) throws
      -> [VisitorRecord]
  ) async throws -> Tongxin_Reception_CheckVisitorsResponse {
    guard !request.delegationID.isEmpty else { throw Refusal.missing("delegation_id") }
    let now = clock()
    let at = try Timestamps.optional(request.at, "at") ?? now
    guard at <= now + Self.clockTolerance else {
      throw Refusal.invalid("at", "is in the future (\(Timestamps.text(at)))")
    }
    var rows: [Int64] = []
    for (index, id) in request.visitorIds.enumerated() {
      let row = try RecordID.row(
        id, prefix: RecordID.visitor, kind: "visitor", field: "visitor_ids[\(index)]")
      guard !rows.contains(row) else {
        throw Refusal.invalid("visitor_ids[\(index)]", "names \(id) a second time")
      }
      rows.append(row)
    }
    let named = rows
    return try await database.idempotentWrite(
      key: context.idempotencyKey, scope: scope, request: request
    ) { db in
      let delegation = try DelegationStore.require(
        request.delegationID, field: "delegation_id", in: db)
      let all = try VisitorStore.all(ofDelegation: delegation.id, in: db)
      let chooser: VisitorChooser = { defaultSelection in
        if named.isEmpty { return all.filter(defaultSelection) }
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        return try named.enumerated().map { index, row in
          guard let visitor = byID[row] else {
            throw RPCError(
              code: .notFound,
              message: "visitor \(request.visitorIds[index]) is not a visitor of delegation "
                + "\(delegation.wireID)", details: ["field": "visitor_ids[\(index)]"])
          }
          return visitor
        }
      }
      let changed = try apply(delegation, chooser, at, db)
      return .with {
        $0.visitorIds = changed.map(\.wireID)
        $0.at = Timestamps.message(at)
      }
    }
  }
}
