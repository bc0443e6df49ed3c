import Testing
import TongxinMessages
import TongxinRPC

@Suite("Changing occurrences of a series", .serialized)
struct OccurrenceTests {
  /// A weekly series of four occurrences in ningxin.
  static func weekly(_ api: Tongxin_Events_Events.Client) async throws -> Tongxin_Events_Series {
    let first = future(days: 30)
    return try await api.createSeries(
      .with {
        $0.title = "达实有约"
        $0.kind = .brandSeries
        $0.associationCodes = ["xinlianhui"]
        $0.firstStart = .with { $0.seconds = first }
        $0.firstEnd = .with { $0.seconds = first + 7200 }
        $0.rrule = "FREQ=WEEKLY;COUNT=4"
        $0.venue = .with { $0.venue = .roomCode("ningxin") }
        $0.capacity = 30
        $0.publish = true
      })
  }

  static func versions(_ series: Tongxin_Events_Series) -> [String: Int64] {
    Dictionary(uniqueKeysWithValues: series.occurrences.map { ($0.id, $0.version) })
  }

  @Test("this and following moves exactly the later occurrences and their bookings, once")
  func thisAndFollowing() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let series = try await Self.weekly(api)
    let before = series.occurrences
    let request = Tongxin_Events_UpdateOccurrencesRequest.with {
      $0.seriesID = series.id
      $0.fromEventID = before[1].id
      $0.scope = .thisAndFollowing
      $0.versions = Self.versions(series)
      $0.title = "达实有约（晚场）"
      $0.shiftMinutes = 60
    }
    let options = CallOptions(idempotencyKey: "later-by-an-hour")
    let changed = try await api.updateOccurrences(request, options: options)
    let after = changed.occurrences
    #expect(after[0].start == before[0].start && after[0].title == before[0].title)
    for index in 1...3 {
      #expect(after[index].start?.seconds == before[index].start!.seconds + 3600)
      #expect(after[index].end?.seconds == before[index].end!.seconds + 3600)
      #expect(after[index].title == "达实有约（晚场）")
    }
    let booked = cluster.reception.active.map { $0.start?.seconds ?? 0 }.sorted()
    #expect(booked == after.map { $0.start?.seconds ?? 0 }, "the bookings moved with them")
    // A retry with the same key is applied once: no second hour.
    let again = try await api.updateOccurrences(request, options: options)
    #expect(again.occurrences.map(\.start) == after.map(\.start))
    await cluster.shutdown()
  }

  @Test("this only changes one occurrence and leaves the others; bad input names its field")
  func thisOnly() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let series = try await Self.weekly(api)
    let target = series.occurrences[2]
    var request = Tongxin_Events_UpdateOccurrencesRequest.with {
      $0.seriesID = series.id
      $0.fromEventID = target.id
      $0.scope = .thisOnly
      $0.versions = [target.id: target.version]
      $0.capacity = 50
      $0.venue = .with { $0.venue = .roomCode("tongxin") }
    }
    let changed = try await api.updateOccurrences(request)
    for (index, occurrence) in changed.occurrences.enumerated() {
      let old = series.occurrences[index]
      if index == 2 {
        #expect(occurrence.capacity == 50 && occurrence.venue?.venue == .roomCode("tongxin"))
        #expect(occurrence.version == old.version + 1)
      } else {
        #expect(occurrence == old)
      }
    }
    #expect(cluster.reception.active.filter { $0.roomCode == "tongxin" }.count == 1)
    #expect(cluster.reception.active.count == 4)

    var nothing = request
    nothing.capacity = 0
    nothing.venue = nil
    #expect(await rpcError { _ = try await api.updateOccurrences(nothing) }?.code == .invalidArgument)
    request.versions = [:]
    request.capacity = 60
    let unversioned = await rpcError { _ = try await api.updateOccurrences(request) }
    #expect(unversioned?.details["field"] == "versions")
    request.versions = [target.id: target.version]
    let stale = await rpcError { _ = try await api.updateOccurrences(request) }
    #expect(stale?.code == .aborted)
    request.scope = .unspecified
    #expect(await rpcError { _ = try await api.updateOccurrences(request) }?.details["field"] == "scope")
    request.scope = .thisOnly
    request.shiftMinutes = 721
    let shift = await rpcError { _ = try await api.updateOccurrences(request) }
    #expect(shift?.details["field"] == "shift_minutes")
    await cluster.shutdown()
  }

  @Test("a room taken on one date fails there and names that occurrence")
  func roomConflict() async throws {
    let cluster = try await EventsCluster()
    let api = cluster.api
    let series = try await Self.weekly(api)
    let third = series.occurrences[2]
    var blocker = eventRequest(room: "tongxin")
    blocker.start = third.start
    blocker.end = third.end
    _ = try await api.createEvent(blocker)
    let clash = await rpcError {
      _ = try await api.updateOccurrences(
        .with {
          $0.seriesID = series.id
          $0.fromEventID = series.occurrences[0].id
          $0.scope = .thisAndFollowing
          $0.versions = Self.versions(series)
          $0.venue = .with { $0.venue = .roomCode("tongxin") }
        })
    }
    #expect(clash?.code == .failedPrecondition)
    #expect(clash?.details["event_id"] == third.id)
    #expect(clash?.message.contains(third.id) == true)
    let now = try await api.getSeries(.with { $0.id = series.id })
    #expect(
      now.occurrences.map { $0.venue?.venue }
        == [.roomCode("tongxin"), .roomCode("tongxin"), .roomCode("ningxin"), .roomCode("ningxin")])
    #expect(cluster.reception.active.count == 5, "four occurrences and the blocker, no more")
    await cluster.shutdown()
  }
}
