import Testing
import TongxinMessages
import TongxinRPC

@testable import Membership

@Suite("The recommendation workflow")
struct RecommendationWorkflowTests {
  typealias Status = Tongxin_Membership_RecommendationStatus

  @Test("the happy path draft → submitted → under review → approved → completed is legal")
  func happyPath() throws {
    let path: [Status] = [.draft, .submitted, .underReview, .approved, .completed]
    for (from, to) in zip(path, path.dropFirst()) {
      try RecommendationWorkflow.checkStep(from: from, to: to, reasons: "理由", note: "")
    }
  }

  @Test(
    "skipping or going back is FAILED_PRECONDITION naming to_status",
    arguments: [
      (Status.draft, Status.approved), (.submitted, .approved), (.underReview, .completed),
      (.approved, .rejected), (.rejected, .underReview), (.completed, .draft), (.submitted, .draft),
    ])
  func illegalSteps(from: Status, to: Status) {
    let error = #expect(throws: RPCError.self) {
      try RecommendationWorkflow.checkStep(from: from, to: to, reasons: "理由", note: "备注")
    }
    #expect(error?.code == .failedPrecondition)
    #expect(error?.details["field"] == "to_status")
  }

  @Test("a rejection without a written reason is INVALID_ARGUMENT naming note")
  func rejectionNeedsReason() throws {
    let error = #expect(throws: RPCError.self) {
      try RecommendationWorkflow.checkStep(
        from: .underReview, to: .rejected, reasons: "理由", note: "")
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.details["field"] == "note")
    try RecommendationWorkflow.checkStep(
      from: .underReview, to: .rejected, reasons: "理由", note: "名额已满")
  }

  @Test("a draft without reasons cannot be submitted")
  func submissionNeedsReasons() {
    let error = #expect(throws: RPCError.self) {
      try RecommendationWorkflow.checkStep(from: .draft, to: .submitted, reasons: "", note: "")
    }
    #expect(error?.code == .failedPrecondition)
    #expect(error?.details["field"] == "reasons")
  }

  @Test("joining the party is on the party track; democratic parties and associations are not")
  func tracks() throws {
    #expect(throws: RPCError.self) {
      try RecommendationWorkflow.checkTrack(.nonParty, target: .joinPartyOrganisation)
    }
    #expect(throws: RPCError.self) {
      try RecommendationWorkflow.checkTrack(.party, target: .joinAssociation)
    }
    try RecommendationWorkflow.checkTrack(.party, target: .cityCongressDeputy)
    try RecommendationWorkflow.checkTrack(.nonParty, target: .districtCppccMember)
  }
}
