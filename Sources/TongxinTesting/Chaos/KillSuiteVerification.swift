import TongxinMessages
import TongxinRPC

/// Reads back every record the run made, through the services' list RPCs, once the system is
/// quiet: the ids stored under each idempotency key (found by the marker in the record).
struct KillSuiteVerification {
  let workload: KillSuiteWorkload
  let client: RPCClient
  let options = CallOptions(timeout: .seconds(30))

  /// What is stored: key → ids of the records that carry it, over every kind; and for rooms,
  /// the room bookings each event holds in reception.
  struct Stored {
    var records: [String: [String]] = [:]
    /// Event id → the booking id the event names (empty: none).
    var eventBookings: [String: String] = [:]
    /// Event id → the ids of the active bookings reception has for that event.
    var bookingsHeld: [String: [String]] = [:]

    /// Active bookings held for events that are not (or no longer) shown.
    var orphanBookings: [String] {
      bookingsHeld.filter { eventBookings[$0.key] == nil }.flatMap(\.value).sorted()
    }
  }

  func stored() async throws -> Stored {
    var stored = Stored()
    stored.records = try await storedRecords(eventBookings: &stored.eventBookings)
    for booking in try await bookings() where booking.status == .booked {
      if case .eventID(let event)? = booking.holder?.holder {
        stored.bookingsHeld[event, default: []].append(booking.id)
      }
    }
    return stored
  }

  /// Key → ids of the records that carry it, over every kind.
  private func storedRecords(eventBookings: inout [String: String]) async throws
    -> [String: [String]]
  {
    var stored: [String: [String]] = [:]
    func add(_ key: String?, _ id: String) {
      if let key { stored[key, default: []].append(id) }
    }
    for company in try await companies() {
      add(workload.key(inMarker: company.name, prefix: KillSuiteWorkload.companyPrefix), company.id)
    }
    for person in try await people() {
      add(workload.key(inMarker: person.name, prefix: KillSuiteWorkload.personPrefix), person.id)
    }
    for event in try await events() {
      add(workload.key(inMarker: event.title, prefix: KillSuiteWorkload.eventPrefix), event.id)
      eventBookings[event.id] = event.bookingID
    }
    for delegation in try await delegations() {
      add(
        workload.key(inMarker: delegation.visitingBody, prefix: KillSuiteWorkload.delegationPrefix),
        delegation.id)
    }
    return stored
  }

  private func companies() async throws -> [Tongxin_Membership_Company] {
    let membership = Tongxin_Membership_Membership.Client(wrapping: client)
    return try await pages { token in
      var request = Tongxin_Membership_ListCompaniesRequest()
      request.pageSize = 200
      request.pageToken = token
      let page = try await membership.listCompanies(request, options: options)
      return (page.companies, page.nextPageToken)
    }
  }

  private func people() async throws -> [Tongxin_Membership_Person] {
    let membership = Tongxin_Membership_Membership.Client(wrapping: client)
    return try await pages { token in
      var request = Tongxin_Membership_SearchDirectoryRequest()
      request.tag = workload.personTag
      request.pageSize = 200
      request.pageToken = token
      let page = try await membership.searchDirectory(request, options: options)
      return (page.people, page.nextPageToken)
    }
  }

  private func events() async throws -> [Tongxin_Events_Event] {
    let events = Tongxin_Events_Events.Client(wrapping: client)
    return try await pages { token in
      var request = Tongxin_Events_ListEventsRequest()
      request.start = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowStart)
      request.end = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowEnd)
      request.pageSize = 500
      request.pageToken = token
      let page = try await events.listEvents(request, options: options)
      return (page.events, page.nextPageToken)
    }
  }

  private func delegations() async throws -> [Tongxin_Reception_Delegation] {
    let reception = Tongxin_Reception_Reception.Client(wrapping: client)
    return try await pages { token in
      var request = Tongxin_Reception_ListDelegationsRequest()
      request.start = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowStart)
      request.end = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowEnd)
      request.pageSize = 1000
      request.pageToken = token
      let page = try await reception.listDelegations(request, options: options)
      return (page.delegations, page.nextPageToken)
    }
  }

  private func bookings() async throws -> [Tongxin_Reception_Booking] {
    let reception = Tongxin_Reception_Reception.Client(wrapping: client)
    return try await pages { token in
      var request = Tongxin_Reception_ListBookingsRequest()
      request.start = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowStart)
      request.end = KillSuiteWorkload.timestamp(KillSuiteWorkload.windowEnd)
      request.pageSize = 1000
      request.pageToken = token
      let page = try await reception.listBookings(request, options: options)
      return (page.bookings, page.nextPageToken)
    }
  }

  /// Every page of a listing, each page retried a few times.
  private func pages<Item>(_ fetch: (String) async throws -> ([Item], String)) async throws
    -> [Item]
  {
    var items: [Item] = []
    var token = ""
    repeat {
      var attempt = 0
      while true {
        attempt += 1
        do {
          let (page, next) = try await fetch(token)
          items += page
          token = next
          break
        } catch let error as RPCError where attempt < 5 {
          _ = error
          try await Task.sleep(for: .seconds(1))
        }
      }
    } while !token.isEmpty
    return items
  }
}
