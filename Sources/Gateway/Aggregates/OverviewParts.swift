import FoundationEssentials
import TongxinMessages
import TongxinRPC
import TongxinWire

/// The parts of the base overview and where each comes from.
struct OverviewParts {
  let service: AggregatesService
  let now: Date
  let upcomingLimit: Int

  typealias Part = PartCollector<Tongxin_Aggregates_BaseOverview>.Part

  var all: [Part] {
    let membership = service.membership
    let events = service.events
    let reception = service.reception
    let now = self.now
    let limit = upcomingLimit
    let (yearStart, dayStart, dayEnd) = Self.calendarBounds(of: now)
    return [
      Part(name: "members") { options, collector in
        let statistics = try await membership.getStatistics(.init(), options: options)
        collector.update { $0.members = statistics }
      },
      Part(name: "upcoming_events") { options, collector in
        var request = Tongxin_Events_ListEventsRequest()
        request.start = Google_Protobuf_Timestamp(date: now)
        request.statuses = [.published]
        request.pageSize = UInt32(limit)
        let upcoming = try await events.listEvents(request, options: options).events
        collector.update { $0.upcomingEvents = Array(upcoming.prefix(limit)) }
      },
      Part(name: "reception_this_year") { options, collector in
        var request = Tongxin_Reception_GetStatisticsRequest()
        request.start = Google_Protobuf_Timestamp(date: yearStart)
        request.end = Google_Protobuf_Timestamp(date: now)
        let statistics = try await reception.getStatistics(request, options: options)
        collector.update { $0.receptionThisYear = statistics }
      },
      Part(name: "reception_all_time") { options, collector in
        let statistics = try await reception.getStatistics(.init(), options: options)
        collector.update { $0.receptionAllTime = statistics }
      },
      Part(name: "rooms_today") { options, collector in
        var request = Tongxin_Reception_ListBookingsRequest()
        request.start = Google_Protobuf_Timestamp(date: dayStart)
        request.end = Google_Protobuf_Timestamp(date: dayEnd)
        request.pageSize = 1000
        let bookings = try await reception.listBookings(request, options: options).bookings
        collector.update { $0.roomsToday = bookings }
      },
      Part(name: "profile") { options, collector in
        let profile = try await reception.getBaseProfile(.init(), options: options)
        collector.update { $0.profile = profile }
      },
    ]
  }

  /// The start of the year, and the start and end of the day, of `date` at the base.
  static func calendarBounds(of date: Date) -> (year: Date, day: Date, dayEnd: Date) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = AggregatesService.baseTimeZone
    let day = calendar.startOfDay(for: date)
    let year = calendar.date(from: calendar.dateComponents([.year], from: date)) ?? day
    let dayEnd = calendar.date(byAdding: .day, value: 1, to: day) ?? date
    return (year, day, dayEnd)
  }
}
