import TongxinMessages
import TongxinRPC

extension ReceptionService {
  public func getStatistics(
    _ request: Tongxin_Reception_GetStatisticsRequest, context: ServerContext
  )
    async throws -> Tongxin_Reception_Statistics
  {
    let from = try Timestamps.optional(request.start, "start")
    let until = try Timestamps.optional(request.end, "end")
    if let from, let until, from >= until { throw Refusal.invalid("end", "must be after start") }
    let visits = try await database.read { db in
      try ReceptionStatistics.visits(startingIn: (from, until), in: db)
    }
    return ReceptionStatistics.summarise(visits)
  }
}
