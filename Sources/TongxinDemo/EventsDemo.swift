import TongxinMessages
import TongxinRPC
import TongxinWire

/// The events part of the demo data (DOMAIN.md): the monthly study and exchange sessions
/// (学习交流座谈) and the brand series 达实有约 as series, and the named events of the document.
///
/// Rooms are booked through reception for dates after its demo delegations (2017–2023), so the
/// two demos never compete for a room. Every write carries an idempotency key derived from
/// the record, so loading twice changes nothing.
public struct EventsDemo: DemoPart {
  public let service = "events"

  public init() {}

  public func load(through client: RPCClient) async throws -> String {
    let events = Tongxin_Events_Events.Client(wrapping: client)
    // Second Thursday of every month, 14:30–16:30 in Shenzhen.
    _ = try await events.createSeries(
      series(
        "学习交流座谈", .studySession, ["zhilianhui", "xinlianhui"], "tongxin",
        start: time(2027, 1, 14, 14, 30), hours: 2, rule: "FREQ=MONTHLY;BYDAY=2TH;COUNT=12",
        capacity: 40),
      options: CallOptions(idempotencyKey: "demo-events-series-study"))
    // The last Friday of every other month, an evening talk.
    _ = try await events.createSeries(
      series(
        "达实有约", .brandSeries, ["xinlianhui"], "ningxin", start: time(2027, 1, 29, 19, 0),
        hours: 2, rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;COUNT=6", capacity: 80),
      options: CallOptions(idempotencyKey: "demo-events-series-dashi"))
    let named: [(String, Tongxin_Events_CreateEventRequest)] = [
      (
        "founding",
        event(
          "南山区网络人士联谊会成立大会", .conference, ["xinlianhui"], .roomCode("ningxin"),
          start: time(2027, 3, 20, 9, 30), hours: 3, capacity: 120)
      ),
      (
        "warmth",
        event(
          "《温暖》摄影比赛", .contest, ["zhilianhui", "xinlianhui"], .outsidePlace("达实大厦一楼展厅"),
          start: time(2027, 4, 10, 9, 0), hours: 9 * 24, capacity: 500)
      ),
      (
        "forum",
        event(
          "“中国管理模式50+”春季论坛", .forum, ["zhilianhui"], .roomCode("ningxin"),
          start: time(2027, 4, 18, 14, 0), hours: 4, capacity: 60)
      ),
    ]
    for (key, request) in named {
      _ = try await events.createEvent(
        request, options: CallOptions(idempotencyKey: "demo-events-\(key)"))
    }
    let listed = try await events.listEvents(.with { $0.pageSize = 500 })
    let seats = listed.events.reduce(0) { $0 + Int($1.seatsLeft) }
    return "\(listed.events.count) events (2 series and 3 named events) with \(seats) seats left"
  }

  private func series(
    _ title: String, _ kind: Tongxin_Events_EventKind, _ associations: [String], _ room: String,
    start: Google_Protobuf_Timestamp, hours: Int64, rule: String, capacity: UInt32
  ) -> Tongxin_Events_CreateSeriesRequest {
    .with {
      $0.title = title
      $0.kind = kind
      $0.associationCodes = associations
      $0.firstStart = start
      $0.firstEnd = .with { $0.seconds = start.seconds + hours * 3600 }
      $0.rrule = rule
      $0.venue = .with { $0.venue = .roomCode(room) }
      $0.capacity = capacity
      $0.publish = true
    }
  }

  private func event(
    _ title: String, _ kind: Tongxin_Events_EventKind, _ associations: [String],
    _ venue: Tongxin_Events_Venue.OneOf_Venue, start: Google_Protobuf_Timestamp, hours: Int64,
    capacity: UInt32
  ) -> Tongxin_Events_CreateEventRequest {
    .with {
      $0.title = title
      $0.kind = kind
      $0.associationCodes = associations
      $0.start = start
      $0.end = .with { $0.seconds = start.seconds + hours * 3600 }
      $0.venue = .with { $0.venue = venue }
      $0.capacity = capacity
      $0.publish = true
    }
  }

  /// A wall-clock time in Shenzhen (UTC+08:00, no daylight saving) as a UTC instant.
  private func time(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int)
    -> Google_Protobuf_Timestamp
  {
    // Days since 1970-01-01 by H. Hinnant's days_from_civil.
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = y / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    return .with { $0.seconds = days * 86_400 + Int64(hour * 3600 + minute * 60) - 8 * 3600 }
  }
}
