import TongxinRPC

/// One service's share of the demo data (DOMAIN.md), loaded through its RPCs.
///
/// Loading twice changes nothing: every write carries an idempotency key derived from the
/// demo record, so a second run is answered from the first.
public protocol DemoPart: Sendable {
  /// The service whose data this is, e.g. `membership`.
  var service: String { get }
  /// Loads the data and returns a one-line summary, e.g. "81 people in 2 associations".
  func load(through client: RPCClient) async throws -> String
}
