import Testing
import TongxinMessages
import TongxinRPC

@testable import Membership

@Suite("The membership lifecycle")
struct MembershipLifecycleTests {
  typealias Status = Tongxin_Membership_MembershipStatus

  static let legal: [(Status, Status)] = [
    (.applied, .active), (.applied, .left), (.active, .suspended), (.active, .lapsed),
    (.active, .left), (.suspended, .active), (.suspended, .lapsed), (.suspended, .left),
    (.lapsed, .active), (.lapsed, .left),
  ]

  @Test("legal transitions are accepted", arguments: legal)
  func legalTransitions(from: Status, to: Status) throws {
    try MembershipLifecycle.checkTransition(from: from, to: to)
  }

  @Test("every other transition is FAILED_PRECONDITION naming status")
  func illegalTransitions() {
    let statuses = Status.allCases.filter { $0 != .unspecified }
    var refused = 0
    for from in statuses {
      for to in statuses where !Self.legal.contains(where: { $0 == (from, to) }) {
        let error = #expect(throws: RPCError.self) {
          try MembershipLifecycle.checkTransition(from: from, to: to)
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.details["field"] == "status")
        if error != nil { refused += 1 }
      }
    }
    #expect(refused == statuses.count * statuses.count - Self.legal.count)
  }

  @Test("LEFT is final and says so")
  func leftIsFinal() throws {
    let error = #expect(throws: RPCError.self) {
      try MembershipLifecycle.checkTransition(from: .left, to: .active)
    }
    #expect(error?.message.contains("MEMBERSHIP_STATUS_LEFT is final") == true)
  }

  @Test("scopes: current is active and suspended, former is lapsed and left, all is every status")
  func scopes() {
    #expect(MembershipLifecycle.statuses(in: .unspecified) == [.active, .suspended])
    #expect(MembershipLifecycle.statuses(in: .current) == [.active, .suspended])
    #expect(MembershipLifecycle.statuses(in: .former) == [.lapsed, .left])
    #expect(
      MembershipLifecycle.statuses(in: .all) == [.applied, .active, .suspended, .lapsed, .left])
  }
}
