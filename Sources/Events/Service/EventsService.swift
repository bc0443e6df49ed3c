import Logging
import TongxinMessages
import TongxinRPC
import TongxinStorage

/// The events service: events and series, registrations with a waitlist, check-in and
/// attendance, and room bookings through reception.
///
/// Instances share one SQLite database (``EventsSchema``); the membership and reception
/// services are called through the gateway with `gateway`.
public final class EventsService: Tongxin_Events_Events.ServiceProtocol {
  public struct Configuration: Sendable {
    /// How long a call to reception or membership may take before the write fails UNAVAILABLE.
    public var peerTimeout: Duration = .seconds(3)
    /// A room saga left unfinished this long is settled by reconciliation.
    public var staleSagaAfter: Duration = .seconds(60)
    /// For tests only: runs when a create's rooms are reserved and before the event is shown,
    /// the moment where a failure leaves most behind. Nothing in production.
    public var afterReserve: (@Sendable () async -> Void)? = nil

    public init() {}
  }

  let database: ServiceDatabase
  let saga: RoomSaga
  let directory: MembershipDirectory
  let reconciler: RoomReconciler
  let logger: Logger

  public init(
    database: ServiceDatabase, gateway: RPCClient, configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "tongxin.events")
  ) {
    self.database = database
    self.logger = logger
    let rooms = ReceptionRooms(
      client: Tongxin_Reception_Reception.Client(wrapping: gateway),
      timeout: configuration.peerTimeout)
    saga = RoomSaga(
      database: database, rooms: rooms, logger: logger,
      afterReserve: configuration.afterReserve)
    directory = MembershipDirectory(
      client: Tongxin_Membership_Membership.Client(wrapping: gateway),
      timeout: configuration.peerTimeout)
    reconciler = RoomReconciler(saga: saga, staleAfter: configuration.staleSagaAfter)
  }

  /// One round of room reconciliation (see ``runReconciliation(every:)``).
  public func reconcileRooms() async {
    await reconciler.reconcile()
  }

  /// Settles unfinished room sagas every `interval` until the task is cancelled.
  public func runReconciliation(every interval: Duration) async {
    while !Task.isCancelled {
      await reconciler.reconcile()
      try? await Task.sleep(for: interval)
    }
  }
}
