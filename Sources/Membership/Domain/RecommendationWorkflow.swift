import TongxinMessages
import TongxinRPC

/// The workflow of a recommendation: draft → submitted → under review → approved or rejected,
/// approved → completed.
enum RecommendationWorkflow {
  typealias Status = Tongxin_Membership_RecommendationStatus
  typealias Track = Tongxin_Membership_RecommendationTrack
  typealias Target = Tongxin_Membership_RecommendationTarget

  static let transitions: [Status: Set<Status>] = [
    .draft: [.submitted],
    .submitted: [.underReview],
    .underReview: [.approved, .rejected],
    .approved: [.completed],
    .rejected: [],
    .completed: [],
  ]

  /// Checks one step: legal from the current status, reasons present before submitting, a
  /// written reason (`note`) for a rejection.
  static func checkStep(from: Status, to: Status, reasons: String, note: String) throws {
    let allowed = transitions[from] ?? []
    guard allowed.contains(to) else {
      let next = allowed.sorted { $0.rawValue < $1.rawValue }.map(\.protoName)
      let hint =
        next.isEmpty ? "\(from.protoName) is final" : "next: \(next.joined(separator: " or "))"
      throw FieldError.precondition(
        "to_status",
        "a recommendation cannot go from \(from.protoName) to \(to.protoName) (\(hint))")
    }
    if to == .rejected, note.isEmpty {
      throw FieldError.invalid("note", "a rejection needs a written reason")
    }
    if to == .submitted, reasons.isEmpty {
      throw FieldError.precondition(
        "reasons", "a recommendation needs reasons before it is submitted")
    }
  }

  /// The track a target belongs to, or nil when it may be on either track (public office).
  static func requiredTrack(for target: Target) -> Track? {
    switch target {
    case .joinPartyOrganisation: .party
    case .joinDemocraticParty, .joinAssociation: .nonParty
    default: nil
    }
  }

  /// Throws INVALID_ARGUMENT naming `track` when `target` does not belong to it.
  static func checkTrack(_ track: Track, target: Target) throws {
    if let required = requiredTrack(for: target), required != track {
      throw FieldError.invalid(
        "track",
        "\(target.protoName) belongs to the \(required.protoName) track, not \(track.protoName)")
    }
  }
}
