import TongxinMessages
import TongxinRPC
import TongxinWire

/// The parts of a person's profile and where each comes from.
struct ProfileParts {
  let service: AggregatesService
  let personID: String

  typealias Part = PartCollector<Tongxin_Aggregates_PersonProfile>.Part

  var all: [Part] {
    let membership = service.membership
    let events = service.events
    let reception = service.reception
    let id = personID
    return [
      Part(name: "person") { options, collector in
        var request = Tongxin_Membership_GetPersonRequest()
        request.id = id
        let person = try await membership.getPerson(request, options: options)
        collector.update { $0.person = person }
      },
      Part(name: "history") { options, collector in
        var request = Tongxin_Membership_GetPersonHistoryRequest()
        request.personID = id
        let history = try await membership.getPersonHistory(request, options: options)
        collector.update { $0.history = history.changes }
      },
      Part(name: "attendance") { options, collector in
        var request = Tongxin_Events_GetPersonAttendanceRequest()
        var attendee = Tongxin_Events_Attendee()
        attendee.attendee = .memberID(id)
        request.attendee = attendee
        let attendance = try await events.getPersonAttendance(request, options: options)
        collector.update { $0.attendance = attendance }
      },
      Part(name: "recommendations") { options, collector in
        var request = Tongxin_Membership_ListRecommendationsRequest()
        request.nomineePersonID = id
        request.pageSize = 100
        let found = try await membership.listRecommendations(request, options: options)
        collector.update { $0.recommendations = found.recommendations }
      },
      Part(name: "delegations_hosted") { options, collector in
        let hosted = try await Self.delegations(hostedBy: id, reception, options)
        collector.update { $0.delegationsHosted = hosted }
      },
    ]
  }

  /// Reception lists delegations by time, not by host: walk the pages and keep the host's.
  private static func delegations(
    hostedBy id: String, _ reception: Tongxin_Reception_Reception.Client, _ options: CallOptions
  ) async throws -> [Tongxin_Reception_Delegation] {
    let deadline = ContinuousClock.now + (options.timeout ?? .seconds(2))
    var request = Tongxin_Reception_ListDelegationsRequest()
    request.pageSize = 1000
    var hosted: [Tongxin_Reception_Delegation] = []
    repeat {
      let page = try await reception.listDelegations(
        request, options: CallOptions(timeout: ContinuousClock.now.duration(to: deadline)))
      hosted += page.delegations.filter { $0.hostMemberID == id }
      request.pageToken = page.nextPageToken
    } while !request.pageToken.isEmpty
    return hosted
  }
}
