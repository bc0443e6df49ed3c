import GRDB
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Reception lost in the middle of the create saga", .serialized)
struct WorstMomentTests {
  /// The worst moment: reception has reserved the room, the event is not confirmed yet, and
  /// then reception goes away. Confirming is a local write and would succeed on its own, so
  /// the hook also lets the other instance's reconciliation act at that moment (as it may
  /// when the creating instance stalls): it takes the unconfirmed event for abandoned, and
  /// cannot release the booking while reception is down.
  @Test("stopped after reserve, before confirm: no event claims the room, the booking is released later")
  func stoppedBetweenReserveAndConfirm() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    cluster.afterReserve.set {
      try? await cluster.stopReception()
      await cluster.events[1].reconcileRooms()
    }
    let failed = await rpcError { _ = try await api.createEvent(eventRequest(room: "tongxin")) }
    #expect(failed?.code == .unavailable)
    let listed = try await api.listEvents(Tongxin_Events_ListEventsRequest())
    #expect(listed.events.isEmpty, "no visible event claims the room")
    #expect(cluster.reception.active.count == 1, "reception still holds the orphan booking")
    let states = try await cluster.database.read { db in
      try String.fetchAll(db, sql: "SELECT room_state FROM events")
    }
    #expect(states == ["releasing"], "the event is hidden, waiting to release its booking")

    // Reception is back: one round of reconciliation releases the booking and drops the event.
    let receptionTask = EventsCluster.serve(cluster.reception, id: "reception-2", broker: cluster.broker)
    try await cluster.waitForServices(["reception": 1])
    await cluster.events[0].reconcileRooms()
    #expect(cluster.reception.active.isEmpty, "the orphan booking was released")
    let left = try await cluster.database.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events")
    }
    #expect(left == 0)
    // The room is free again for a new event.
    let again = try await api.createEvent(eventRequest(room: "tongxin"))
    #expect(!again.bookingID.isEmpty)
    receptionTask.cancel()
    await cluster.shutdown()
  }
}
