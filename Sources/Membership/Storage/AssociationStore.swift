import GRDB
import TongxinMessages
import TongxinRPC

/// The fixed associations and branches (seeded by ``MembershipSchema``).
enum AssociationStore {
  typealias Association = Tongxin_Membership_Association

  static func all(in db: Database) throws -> [Association] {
    try Row.fetchAll(db, sql: "SELECT * FROM association ORDER BY position").map(association)
  }

  /// The association `code`; NOT_FOUND naming `field` and listing the codes when unknown.
  static func fetch(_ code: String, field: String, in db: Database) throws -> Association {
    if let row = try Row.fetchOne(
      db, sql: "SELECT * FROM association WHERE code = ?", arguments: [code])
    {
      return association(row)
    }
    let codes = try String.fetchAll(db, sql: "SELECT code FROM association ORDER BY position")
    throw FieldError.notFound(
      field,
      message:
        "no association or branch with code \"\(code)\"; known: \(codes.joined(separator: ", "))",
      id: code)
  }

  private static func association(_ row: Row) -> Association {
    var association = Association()
    association.code = row["code"]
    association.name = row["name"]
    association.description_p = row["description"]
    association.kind = .init(rawValue: row["kind"])
    return association
  }
}
