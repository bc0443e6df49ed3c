import TongxinMessages
import TongxinRPC

/// The lifecycle of a membership: applied → active → suspended/lapsed → left, and the rules
/// about posts that depend on it.
enum MembershipLifecycle {
  typealias Status = Tongxin_Membership_MembershipStatus
  typealias Post = Tongxin_Membership_Post

  /// The statuses each status may move to. LEFT is final: a person who comes back joins
  /// again, so the old membership and its history stay as they were.
  static let transitions: [Status: Set<Status>] = [
    .applied: [.active, .left],
    .active: [.suspended, .lapsed, .left],
    .suspended: [.active, .lapsed, .left],
    .lapsed: [.active, .left],
    .left: [],
  ]

  /// The statuses a new membership may start in.
  static let initialStatuses: Set<Status> = [.applied, .active]

  /// Statuses of members on the roll now: they count in statistics and hold their posts.
  static let current: Set<Status> = [.active, .suspended]
  /// Statuses of people who were members and are no longer on the roll.
  static let former: Set<Status> = [.lapsed, .left]

  /// Posts that at most one current member of an association holds at a time.
  static let singleHolderPosts: Set<Post> = [.president, .secretaryGeneral]

  /// Throws FAILED_PRECONDITION naming `status` unless `from` may move to `to`.
  static func checkTransition(from: Status, to: Status) throws {
    let allowed = transitions[from] ?? []
    guard allowed.contains(to) else {
      let next = allowed.sorted { $0.rawValue < $1.rawValue }.map(\.protoName)
      let hint =
        next.isEmpty ? "\(from.protoName) is final" : "allowed: \(next.joined(separator: ", "))"
      throw FieldError.precondition(
        "status", "a membership cannot go from \(from.protoName) to \(to.protoName) (\(hint))")
    }
  }

  /// The statuses a listing scope covers (CURRENT when unspecified).
  static func statuses(in scope: Tongxin_Membership_MemberScope) -> Set<Status> {
    switch scope {
    case .former: former
    case .all: Set(Status.allCases.filter { $0 != .unspecified })
    default: current
    }
  }
}
