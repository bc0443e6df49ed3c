import Synchronization
import TongxinMessages
import TongxinRPC

/// What events checks with the membership service: association codes and member ids.
final class MembershipDirectory: Sendable {
  private let client: Tongxin_Membership_Membership.Client
  private let timeout: Duration
  /// The associations are fixed by membership's first migration: cached once read.
  private let associations = Mutex<Set<String>?>(nil)

  init(client: Tongxin_Membership_Membership.Client, timeout: Duration) {
    self.client = client
    self.timeout = timeout
  }

  /// FAILED_PRECONDITION naming association_codes when one is not an association.
  func checkAssociations(_ codes: [String]) async throws {
    let known = try await knownAssociations()
    if let unknown = codes.first(where: { !known.contains($0) }) {
      throw FieldError.precondition(
        "association_codes",
        "\"\(unknown)\" is not an association; one of \(known.sorted().joined(separator: ", "))")
    }
  }

  /// NOT_FOUND naming `field` when membership knows no such person.
  func checkMember(_ id: String, field: String) async throws {
    var request = Tongxin_Membership_GetPersonRequest()
    request.id = id
    do {
      _ = try await client.getPerson(request, options: CallOptions(timeout: timeout))
    } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
      throw FieldError.notFound(field, "member", id)
    } catch {
      throw Self.unavailable(error)
    }
  }

  private func knownAssociations() async throws -> Set<String> {
    if let cached = associations.withLock({ $0 }) { return cached }
    do {
      let response = try await client.listAssociations(
        Tongxin_Membership_ListAssociationsRequest(), options: CallOptions(timeout: timeout))
      let codes = Set(response.associations.map(\.code))
      if !codes.isEmpty { associations.withLock { $0 = codes } }
      return codes
    } catch {
      throw Self.unavailable(error)
    }
  }

  private static func unavailable(_ error: any Error) -> RPCError {
    let reason = (error as? RPCError)?.description ?? "\(error)"
    return RPCError(
      code: .unavailable,
      message: "the membership service could not be asked (\(reason)); try again later")
  }
}
