import TongxinMessages
import TongxinRPC

/// The statuses of a delegation and the steps allowed between them:
///
///     REQUESTED → CONFIRMED → CHECKED_IN → COMPLETED
///         ↓           ↓ ↘
///     CANCELLED   CANCELLED NO_SHOW
///
/// COMPLETED, CANCELLED and NO_SHOW are final: nothing about the delegation changes after.
enum DelegationLifecycle {
  typealias Status = Tongxin_Reception_DelegationStatus

  static func allowed(from status: Status) -> [Status] {
    switch status {
    case .requested: [.confirmed, .cancelled]
    case .confirmed: [.checkedIn, .cancelled, .noShow]
    case .checkedIn: [.completed]
    default: []
    }
  }

  /// Whether the delegation is still expected or under way: it may change and hold rooms.
  static func isOpen(_ status: Status) -> Bool {
    !allowed(from: status).isEmpty
  }

  /// Whether the base received the delegation: what statistics count.
  static func isReceived(_ status: Status) -> Bool {
    status == .checkedIn || status == .completed
  }

  /// Statuses that end a visit that never happened: its rooms are released.
  static func releasesRooms(_ status: Status) -> Bool {
    status == .cancelled || status == .noShow
  }

  /// Refuses a step the lifecycle does not have, saying which steps there are.
  static func checkStep(_ id: String, from: Status, to: Status) throws(RPCError) {
    let next = allowed(from: from)
    guard next.contains(to) else {
      let options =
        next.isEmpty
        ? "it is final"
        : "from \(name(from)) it can go to \(next.map(name).joined(separator: " or "))"
      throw Refusal.precondition(
        "delegation \(id) cannot go from \(name(from)) to \(name(to)): \(options)",
        details: ["field": "status", "current_status": name(from)])
    }
  }

  /// The status as written in the .proto without its prefix, e.g. CHECKED_IN.
  static func name(_ status: Status) -> String {
    let full = Status.protoValueNames.first { $0.number == status.rawValue }?.name
    return full.map { String($0.dropFirst("DELEGATION_STATUS_".count)) } ?? "\(status.rawValue)"
  }
}
