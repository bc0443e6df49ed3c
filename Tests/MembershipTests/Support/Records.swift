import Membership
import TongxinMessages
import TongxinProtobuf
import TongxinRPC
import TongxinWire

/// Builders of valid requests, for tests to change one field of.
enum Records {
  static func company(_ name: String = "深圳达实智能股份有限公司") -> Tongxin_Membership_Company {
    .with {
      $0.name = name
      $0.unit = "达实大厦 塔楼 18层"
      $0.stockCode = "002421"
    }
  }

  static func person(_ name: String = "王建华", companyID: String = "") -> Tongxin_Membership_Person {
    .with {
      $0.name = name
      $0.companyID = companyID
      $0.companyPost = "总工程师"
      $0.titleLevel = .senior
      $0.category = .nonPartyIntellectual
      $0.politicalAffiliation = .nonParty
      $0.tags = ["智慧建筑", "物联网"]
      $0.contact = .with {
        $0.phone = "138 0755 0001"
        $0.email = "wang@example.com"
      }
    }
  }

  static func join(
    _ personID: String, _ code: String = "zhilianhui", post: Tongxin_Membership_Post = .member
  )
    -> Tongxin_Membership_JoinAssociationRequest
  {
    .with {
      $0.personID = personID
      $0.associationCode = code
      $0.post = post
      $0.status = .active
      $0.joinedAt = at("2023-07-18")
      $0.changedBy = "测试员"
      $0.reason = "创会会员"
    }
  }

  /// Midnight UTC of `date` (YYYY-MM-DD).
  static func at(_ date: String) -> Google_Protobuf_Timestamp {
    let time = ProtoJSON.timestamp(parsing: "\(date)T00:00:00Z")!
    return .with {
      $0.seconds = time.seconds
      $0.nanos = time.nanos
    }
  }
}

extension MembershipService {
  /// Creates a person (and their company when `company` is given) and returns them.
  func makePerson(_ name: String = "王建华", companyID: String = "") async throws
    -> Tongxin_Membership_Person
  {
    try await createPerson(
      .with { $0.person = Records.person(name, companyID: companyID) }, context: context())
  }

  func makeMember(
    _ name: String, _ code: String = "zhilianhui", post: Tongxin_Membership_Post = .member
  )
    async throws -> Tongxin_Membership_MembershipRecord
  {
    let person = try await makePerson(name)
    return try await joinAssociation(Records.join(person.id, code, post: post), context: context())
  }
}
