import TongxinMessages
import TongxinRPC

/// The legal status changes of an event: DRAFT → PUBLISHED → COMPLETED, and CANCELLED from
/// DRAFT or PUBLISHED.
enum EventLifecycle {
  typealias Status = Tongxin_Events_EventStatus

  /// Statuses an event can still change from: it may be edited, its room is held.
  static func isOpen(_ status: Status) -> Bool { status == .draft || status == .published }

  /// FAILED_PRECONDITION naming `status` when `from` cannot become `to`.
  static func check(from: Status, to: Status) throws {
    let allowed: Bool
    switch (from, to) {
    case (.draft, .published), (.published, .completed), (.draft, .cancelled),
      (.published, .cancelled):
      allowed = true
    default:
      allowed = false
    }
    guard allowed else {
      throw FieldError.precondition(
        "status", "an event that is \(from.protoName) cannot become \(to.protoName)")
    }
  }
}
