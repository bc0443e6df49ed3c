import TongxinRPC

/// Loads every service's demo data, in an order that respects their references.
public enum DemoLoader {
  /// Membership first: events and reception refer to its people and associations.
  public static let parts: [any DemoPart] = [MembershipDemo(), EventsDemo(), ReceptionDemo()]

  /// Loads every part and returns one summary line per service.
  public static func loadAll(through client: RPCClient) async throws -> [String] {
    var summaries: [String] = []
    for part in parts {
      summaries.append("\(part.service): \(try await part.load(through: client))")
    }
    return summaries
  }
}
