import TongxinMessages
import TongxinRPC

/// Where the service checks that a delegation's host is a member of the base.
///
/// Membership owns people; reception only keeps their ids. The check runs before the write's
/// transaction (it is a call to another service) and is advisory: a person removed from
/// membership later keeps the delegations they hosted.
public protocol HostDirectory: Sendable {
  /// Returns when `memberID` (already well formed) names a person who can host; otherwise
  /// throws an `RPCError`: NOT_FOUND for an unknown person, UNAVAILABLE when the directory
  /// cannot answer.
  func verifyHost(_ memberID: String, timeout: Duration) async throws
}

/// Accepts every well-formed id: for tests, and for running reception without membership.
public struct UncheckedHostDirectory: HostDirectory {
  public init() {}
  public func verifyHost(_ memberID: String, timeout: Duration) async throws {}
}

/// Asks membership's `GetPerson` through the gateway.
public struct MembershipHostDirectory: HostDirectory {
  private let membership: Tongxin_Membership_Membership.Client

  /// `client` is connected to the gateway's frontend.
  public init(client: RPCClient) {
    membership = Tongxin_Membership_Membership.Client(wrapping: client)
  }

  public func verifyHost(_ memberID: String, timeout: Duration) async throws {
    var request = Tongxin_Membership_GetPersonRequest()
    request.id = memberID
    do {
      _ = try await membership.getPerson(request, options: CallOptions(timeout: timeout))
    } catch let error as RPCError where error.code == .notFound {
      throw RPCError(
        code: .notFound, message: "host_member_id \"\(memberID)\" is not a person in membership",
        details: ["field": "host_member_id"])
    } catch let error as RPCError {
      // Our caller did nothing wrong; say so, and that a retry may work.
      throw RPCError(
        code: .unavailable,
        message: "could not check host_member_id with membership (\(error.code.name): "
          + "\(error.message)); try again")
    }
  }
}
