import GRDB
import TongxinMessages

/// GetStatistics: the figures of each association, from the memberships as they are now.
enum StatisticsQuery {
  typealias Statistics = Tongxin_Membership_AssociationStatistics

  /// The statistics of association `code`, or of every association when `code` is empty.
  static func run(code: String, in db: Database) throws -> [Statistics] {
    let associations =
      code.isEmpty
      ? try AssociationStore.all(in: db)
      : [try AssociationStore.fetch(code, field: "association_code", in: db)]
    return try associations.map { try statistics(of: $0, in: db) }
  }

  private static func statistics(of association: Tongxin_Membership_Association, in db: Database)
    throws -> Statistics
  {
    func list(_ statuses: Set<MembershipLifecycle.Status>) -> String {
      statuses.map { String($0.rawValue) }.joined(separator: ",")
    }
    let current = list(MembershipLifecycle.current)
    let code = association.code
    var statistics = Statistics()
    statistics.association = association
    statistics.currentMembers = try count(
      "SELECT COUNT(*) FROM membership WHERE association_code = ? AND status IN (\(current))",
      code, in: db)
    statistics.formerMembers = try count(
      "SELECT COUNT(*) FROM membership WHERE association_code = ? AND status IN "
        + "(\(list(MembershipLifecycle.former)))", code, in: db)
    statistics.applicants = try count(
      "SELECT COUNT(*) FROM membership WHERE association_code = ? AND status = "
        + "\(MembershipLifecycle.Status.applied.rawValue)", code, in: db)
    let members = """
      FROM membership m JOIN person p ON p.id = m.person_id
      WHERE m.association_code = ? AND m.status IN (\(current))
      """
    statistics.byPost = try grouped("m.post", members, code, in: db).map { value, count in
      .with {
        $0.post = .init(rawValue: value)
        $0.count = count
      }
    }
    statistics.byTitleLevel = try grouped("p.title_level", members, code, in: db).map {
      value, count in
      .with {
        $0.titleLevel = .init(rawValue: value)
        $0.count = count
      }
    }
    statistics.byCategory = try grouped("p.category", members, code, in: db).map { value, count in
      .with {
        $0.category = .init(rawValue: value)
        $0.count = count
      }
    }
    return statistics
  }

  private static func count(_ sql: String, _ code: String, in db: Database) throws -> Int32 {
    Int32(try Int.fetchOne(db, sql: sql, arguments: [code]) ?? 0)
  }

  /// (value, count) pairs of `column` over `from`, in enum order, zero counts left out.
  private static func grouped(_ column: String, _ from: String, _ code: String, in db: Database)
    throws -> [(Int32, Int32)]
  {
    try Row.fetchAll(
      db,
      sql: "SELECT \(column) AS value, COUNT(*) AS n \(from) GROUP BY \(column) ORDER BY \(column)",
      arguments: [code]
    ).map { ($0["value"], $0["n"]) }
  }
}
