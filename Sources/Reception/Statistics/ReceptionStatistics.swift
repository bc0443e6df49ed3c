import GRDB
import TongxinMessages

/// Reception figures computed from the rows as they are: every received delegation and every
/// visitor row counts, whether its personal data was purged or not.
enum ReceptionStatistics {
  /// One received delegation, as the figures need it.
  struct Visit {
    var start: Int64
    var visitingBody: String
    var seniorLed: Bool
    var visitors: Int
  }

  static func visits(startingIn window: (from: Int64?, until: Int64?), in db: Database) throws
    -> [Visit]
  {
    var sql = """
      SELECT d.start_at, d.visiting_body, d.senior_led,
        (SELECT count(*) FROM visitors v WHERE v.delegation_id = d.id) AS visitors
      FROM delegations d WHERE d.status IN (?, ?)
      """
    var arguments: StatementArguments = [
      Tongxin_Reception_DelegationStatus.checkedIn.rawValue,
      Tongxin_Reception_DelegationStatus.completed.rawValue,
    ]
    if let from = window.from {
      sql += " AND d.start_at >= ?"
      arguments += [from]
    }
    if let until = window.until {
      sql += " AND d.start_at < ?"
      arguments += [until]
    }
    return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
      Visit(
        start: row["start_at"], visitingBody: row["visiting_body"], seniorLed: row["senior_led"],
        visitors: row["visitors"])
    }
  }

  /// Totals and tallies by local year, local month and visiting body.
  static func summarise(_ visits: [Visit]) -> Tongxin_Reception_Statistics {
    func tally(_ key: String, _ group: [Visit]) -> Tongxin_Reception_Tally {
      .with {
        $0.key = key
        $0.delegations = UInt32(group.count)
        $0.visitors = UInt32(group.reduce(0) { $0 + $1.visitors })
        $0.seniorLed = UInt32(group.count(where: \.seniorLed))
      }
    }
    func tallies(by key: (Visit) -> String) -> [Tongxin_Reception_Tally] {
      Dictionary(grouping: visits, by: key).map { tally($0.key, $0.value) }
    }
    return .with {
      $0.total = tally("", visits)
      $0.byYear = tallies { "\(BaseCalendar.yearMonth(of: $0.start).year)" }.sorted {
        $0.key < $1.key
      }
      $0.byMonth = tallies {
        let (year, month) = BaseCalendar.yearMonth(of: $0.start)
        return "\(year)-" + (month < 10 ? "0\(month)" : "\(month)")
      }.sorted { $0.key < $1.key }
      $0.byVisitingBody = tallies(by: \.visitingBody).sorted {
        ($0.delegations, $1.key) > ($1.delegations, $0.key)
      }
    }
  }
}
