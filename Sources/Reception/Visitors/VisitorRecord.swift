import GRDB
import TongxinMessages
import TongxinRPC

/// A row of `visitors`.
struct VisitorRecord: FetchableRecord, Sendable {
  var id: Int64
  var delegationID: Int64
  var name: String
  var organisation: String
  var post: String
  var phone: String
  var idNumber: String
  var checkedInAt: Int64?
  var checkedOutAt: Int64?
  var personalDataPurgedAt: Int64?

  init(row: Row) {
    id = row["id"]
    delegationID = row["delegation_id"]
    name = row["name"]
    organisation = row["organisation"]
    post = row["post"]
    phone = row["phone"]
    idNumber = row["id_number"]
    checkedInAt = row["checked_in_at"]
    checkedOutAt = row["checked_out_at"]
    personalDataPurgedAt = row["personal_data_purged_at"]
  }

  var wireID: String { RecordID.make(RecordID.visitor, id) }

  var message: Tongxin_Reception_Visitor {
    .with {
      $0.id = wireID
      $0.delegationID = RecordID.make(RecordID.delegation, delegationID)
      $0.name = name
      $0.organisation = organisation
      $0.post = post
      $0.phone = phone
      $0.idNumber = idNumber
      $0.checkedInAt = Timestamps.message(checkedInAt)
      $0.checkedOutAt = Timestamps.message(checkedOutAt)
      $0.personalDataPurgedAt = Timestamps.message(personalDataPurgedAt)
    }
  }
}

/// A visitor to add, validated.
struct NewVisitorDetails: Sendable {
  var name: String
  var organisation: String
  var post: String
  var phone: String
  var idNumber: String

  /// Validates `visitor`, the `index`th of the request, naming fields as `visitors[2].phone`.
  init(_ visitor: Tongxin_Reception_NewVisitor, index: Int) throws(RPCError) {
    let prefix = "visitors[\(index)]."
    name = try FieldRules.text(visitor.name, prefix + "name", required: true, limit: 50)
    organisation = try FieldRules.text(visitor.organisation, prefix + "organisation", limit: 200)
    post = try FieldRules.text(visitor.post, prefix + "post", limit: 100)
    phone = try FieldRules.phone(visitor.phone, prefix + "phone")
    idNumber = try FieldRules.idNumber(visitor.idNumber, prefix + "id_number")
  }
}
