import FoundationEssentials
import TongxinMessages
import TongxinRPC
import TongxinWire

/// The aggregate views of the base (proto/tongxin/aggregates), served by an ordinary instance
/// that lives in the gateway process and calls the other services through an ordinary client:
/// the router never waits on an aggregate, and this can move to its own process.
public struct AggregatesService: Tongxin_Aggregates_Aggregates.ServiceProtocol {
  let membership: Tongxin_Membership_Membership.Client
  let events: Tongxin_Events_Events.Client
  let reception: Tongxin_Reception_Reception.Client
  /// The longest any one part may take, within the caller's deadline.
  let partTimeout: Duration

  public init(client: RPCClient, partTimeout: Duration = .seconds(2)) {
    membership = .init(wrapping: client)
    events = .init(wrapping: client)
    reception = .init(wrapping: client)
    self.partTimeout = partTimeout
  }

  /// Shenzhen keeps UTC+8 all year: "today" and "this year" are the base's, not the server's.
  static let baseTimeZone = TimeZone(secondsFromGMT: 8 * 3600)!

  public func getBaseOverview(
    _ request: Tongxin_Aggregates_GetBaseOverviewRequest, context: ServerContext
  ) async throws -> Tongxin_Aggregates_BaseOverview {
    let now = request.now.map(Date.init(timestamp:)) ?? Date()
    let limit = request.upcomingLimit == 0 ? 10 : min(Int(request.upcomingLimit), 50)
    let collector = PartCollector(
      Tongxin_Aggregates_BaseOverview(), deadline: context.deadline, partTimeout: partTimeout)
    let parts = OverviewParts(service: self, now: now, upcomingLimit: limit).all
    var (overview, missing) = await collector.collect(parts)
    overview.missing = missing
    return overview
  }

  public func getPersonProfile(
    _ request: Tongxin_Aggregates_GetPersonProfileRequest, context: ServerContext
  ) async throws -> Tongxin_Aggregates_PersonProfile {
    guard !request.personID.isEmpty else {
      throw RPCError(
        code: .invalidArgument, message: "person_id is required", details: ["field": "person_id"])
    }
    let collector = PartCollector(
      Tongxin_Aggregates_PersonProfile(), deadline: context.deadline, partTimeout: partTimeout)
    var (profile, missing) = await collector.collect(
      ProfileParts(service: self, personID: request.personID).all)
    // An unknown person is an answer in itself, not a missing part.
    if let notFound = missing.first(where: { $0.part == "person" && $0.code == .notFound }) {
      throw RPCError(code: .notFound, message: notFound.message, details: ["field": "person_id"])
    }
    profile.missing = missing
    return profile
  }

  public func getDelegationBriefing(
    _ request: Tongxin_Aggregates_GetDelegationBriefingRequest, context: ServerContext
  ) async throws -> Tongxin_Aggregates_DelegationBriefing {
    guard !request.delegationID.isEmpty else {
      throw RPCError(
        code: .invalidArgument, message: "delegation_id is required",
        details: ["field": "delegation_id"])
    }
    let collector = PartCollector(
      Tongxin_Aggregates_DelegationBriefing(), deadline: context.deadline,
      partTimeout: partTimeout)
    let id = request.delegationID
    var (briefing, missing) = await collector.collect([
      .init(name: "delegation") { options, collector in
        var get = Tongxin_Reception_GetDelegationRequest()
        get.id = id
        let delegation = try await reception.getDelegation(get, options: options)
        collector.update { $0.delegation = delegation }
        // The host is known only now: fetch it within what is left of this part's budget.
        guard !delegation.hostMemberID.isEmpty else { return }
        do {
          var person = Tongxin_Membership_GetPersonRequest()
          person.id = delegation.hostMemberID
          let host = try await membership.getPerson(
            person, options: CallOptions(timeout: collector.budget))
          collector.update { $0.host = host }
        } catch {
          collector.markMissing("host", error)
        }
      }
    ])
    if let notFound = missing.first(where: { $0.part == "delegation" && $0.code == .notFound }) {
      throw RPCError(
        code: .notFound, message: notFound.message, details: ["field": "delegation_id"])
    }
    briefing.missing = missing
    return briefing
  }
}
