import Logging
import TongxinStorage

/// The scheduled job that clears visitors' phone and ID numbers once the retention period
/// after their visit's end has passed.
///
/// Every instance runs it; the purge is one UPDATE that only touches rows not yet purged, so
/// instances running it at once do no harm. Only the personal columns are cleared: the rows
/// stay, and the statistics (which count rows) stay exact.
public struct PersonalDataPurge: Sendable {
  public static let defaultRetentionDays = 365
  /// A century: longer is not a retention period, and it keeps the arithmetic in range.
  public static let maxRetentionDays = 36_500
  public static let defaultInterval: Duration = .seconds(3600)

  public var retentionDays: Int
  public var interval: Duration
  private let database: ServiceDatabase
  private let clock: ReceptionService.Clock
  private let logger: Logger

  public init(
    database: ServiceDatabase, retentionDays: Int = Self.defaultRetentionDays,
    interval: Duration = Self.defaultInterval,
    clock: @escaping ReceptionService.Clock = ReceptionService.systemClock,
    logger: Logger = Logger(label: "tongxin.reception.purge")
  ) {
    self.database = database
    self.retentionDays = min(max(0, retentionDays), Self.maxRetentionDays)
    self.interval = interval
    self.clock = clock
    self.logger = logger
  }

  /// Purges what is due now; returns how many visitors were purged.
  @discardableResult
  public func purgeDue() async throws -> Int {
    let now = clock()
    let cutoff = now - Int64(retentionDays) * BaseCalendar.secondsPerDay
    return try await database.write { db in
      try VisitorStore.purgePersonalData(endedBefore: cutoff, now: now, in: db)
    }
  }

  /// Purges at once and then every `interval` until the task is cancelled. A failed round is
  /// logged and tried again next time: the job must outlive a busy or briefly locked database.
  public func run() async {
    while !Task.isCancelled {
      do {
        let purged = try await purgeDue()
        if purged > 0 {
          logger.info(
            "purged personal data of visitors",
            metadata: ["visitors": "\(purged)", "retention_days": "\(retentionDays)"])
        }
      } catch {
        logger.error(
          "purging personal data failed; trying again later", metadata: ["error": "\(error)"])
      }
      do {
        try await Task.sleep(for: interval)
      } catch {
        return
      }
    }
  }
}
