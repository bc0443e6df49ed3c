import Testing
import TongxinMessages
import TongxinRPC

@Suite("Room bookings with reception", .serialized)
struct RoomSagaTests {
  @Test("an event books its room, and a second event cannot take the same room")
  func roomTaken() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let first = try await api.createEvent(eventRequest(room: "tongxin"))
    #expect(!first.bookingID.isEmpty)
    #expect(cluster.reception.active.map(\.id) == [first.bookingID])
    let clash = await rpcError { _ = try await api.createEvent(eventRequest(room: "tongxin")) }
    #expect(clash?.code == .failedPrecondition)
    #expect(clash?.details["field"] == "venue.room_code")
    let listed = try await api.listEvents(Tongxin_Events_ListEventsRequest())
    #expect(listed.events.map(\.id) == [first.id], "the refused event left nothing behind")
    #expect(cluster.reception.active.count == 1)
    // Moving the first event to another room frees tongxin for the second.
    var move = Tongxin_Events_UpdateEventRequest.with {
      $0.id = first.id
      $0.version = first.version
      $0.title = first.title
      $0.kind = first.kind
      $0.associationCodes = first.associationCodes
      $0.start = first.start
      $0.end = first.end
      $0.venue = .with { $0.venue = .roomCode("ningxin") }
      $0.capacity = first.capacity
    }
    let moved = try await api.updateEvent(move)
    #expect(moved.venue?.venue == .roomCode("ningxin"))
    #expect(cluster.reception.active.first?.roomCode == "ningxin")
    move.version = moved.version - 1
    let stale = await rpcError { _ = try await api.updateEvent(move) }
    #expect(stale?.code == .aborted)
    let second = try await api.createEvent(eventRequest(room: "tongxin"))
    #expect(cluster.reception.active.count == 2)
    // Cancelling releases the booking.
    _ = try await api.setEventStatus(
      .with { $0.id = second.id; $0.version = second.version; $0.status = .cancelled; $0.reason = "改期" })
    #expect(cluster.reception.active.map(\.roomCode) == ["ningxin"])
    await cluster.shutdown()
  }

  @Test("a retried create with the same idempotency key books the room once")
  func idempotentCreate() async throws {
    let cluster = try await EventsCluster()
    let options = CallOptions(idempotencyKey: "create-forum")
    let first = try await cluster.api.createEvent(eventRequest(), options: options)
    let again = try await cluster.api.createEvent(eventRequest(), options: options)
    #expect(first.id == again.id)
    #expect(cluster.reception.active.count == 1)
    await cluster.shutdown()
  }

  @Test("with reception down, creating in a room fails UNAVAILABLE and leaves no event or booking")
  func receptionDown() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let outside = try await api.createEvent(eventRequest(room: "tongzhan", days: 20))
    try await cluster.stopReception()
    let down = await rpcError { _ = try await api.createEvent(eventRequest(room: "tongxin")) }
    #expect(down?.code == .unavailable)
    let listed = try await api.listEvents(Tongxin_Events_ListEventsRequest())
    #expect(listed.events.map(\.id) == [outside.id])
    // Cancelling while reception is down commits; the release waits for reconciliation.
    _ = try await api.setEventStatus(
      .with { $0.id = outside.id; $0.version = outside.version; $0.status = .cancelled; $0.reason = "取消" })
    #expect(cluster.reception.active.count == 1)
    // Events outside the base need no reception.
    _ = try await api.createEvent(eventRequest(room: nil))
    let receptionTask = EventsCluster.serve(cluster.reception, id: "reception-2", broker: cluster.broker)
    try await cluster.waitForServices(["reception": 1])
    await cluster.events[0].reconcileRooms()
    #expect(cluster.reception.active.isEmpty, "reconciliation released the cancelled event's room")
    let pending = try await cluster.database.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE room_state NOT IN ('none', 'held')")
    }
    #expect(pending == 0)
    receptionTask.cancel()
    await cluster.shutdown()
  }

  @Test("a series books every occurrence, or none when one date is taken")
  func seriesBooking() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let first = future(days: 30)
    func request(_ rule: String) -> Tongxin_Events_CreateSeriesRequest {
      .with {
        $0.title = "达实有约"
        $0.kind = .brandSeries
        $0.associationCodes = ["xinlianhui"]
        $0.firstStart = .with { $0.seconds = first }
        $0.firstEnd = .with { $0.seconds = first + 7200 }
        $0.rrule = rule
        $0.venue = .with { $0.venue = .roomCode("ningxin") }
        $0.capacity = 30
        $0.publish = true
      }
    }
    let series = try await api.createSeries(request("FREQ=WEEKLY;COUNT=4"))
    #expect(series.occurrences.count == 4)
    #expect(cluster.reception.active.count == 4)
    let clash = await rpcError { _ = try await api.createSeries(request("FREQ=WEEKLY;INTERVAL=2;COUNT=3")) }
    #expect(clash?.code == .failedPrecondition)
    #expect(cluster.reception.active.count == 4, "the refused series released what it had booked")
    let registered = try await api.registerForSeries(
      .with { $0.seriesID = series.id; $0.attendee = guest("甲") })
    #expect(registered.registrations.count == 4)
    let cancelled = try await api.cancelOccurrences(
      .with { $0.seriesID = series.id; $0.eventID = series.occurrences[2].id; $0.andFollowing = true; $0.reason = "暂停" })
    #expect(cancelled.occurrences.map(\.status) == [.published, .published, .cancelled, .cancelled])
    #expect(cluster.reception.active.count == 2)
    await cluster.shutdown()
  }
}
