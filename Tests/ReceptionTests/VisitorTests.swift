import Foundation
import GRDB
import Testing
import TongxinMessages
import TongxinRPC

@testable import Reception

@Suite("Visitors of a delegation")
struct VisitorTests {
  @Test("no more visitors than the head count")
  func headCountLimitsVisitors() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation(headCount: 5)
    let added = try await fixture.addVisitors(delegation, count: 4)
    #expect(added.visitorIds.count == 4 && added.visitorCount == 4)
    await expectRefusal(.failedPrecondition, field: "visitors") {
      try await fixture.addVisitors(delegation, count: 2)
    }
    await expectRefusal(.failedPrecondition, field: "head_count") {
      _ = try await fixture.service.updateDelegation(
        DelegationLifecycleTests.update(delegation, headCount: 3), context: fixture.context())
    }
  }

  @Test("visitors check in once the delegation has, and check out after")
  func checkInAndOut() async throws {
    let fixture = try ReceptionFixture()
    var delegation = try await fixture.createDelegation()
    let ids = try await fixture.addVisitors(delegation, count: 3).visitorIds
    let request = Tongxin_Reception_CheckVisitorsRequest.with {
      $0.delegationID = delegation.id
      $0.visitorIds = [ids[0]]
    }
    await expectRefusal(.failedPrecondition, field: "delegation_id") {
      _ = try await fixture.service.checkInVisitors(request, context: fixture.context())
    }
    delegation = try await fixture.setStatus(delegation, .confirmed)
    delegation = try await fixture.setStatus(delegation, .checkedIn)
    let first = try await fixture.service.checkInVisitors(request, context: fixture.context())
    #expect(first.visitorIds == [ids[0]] && first.at?.seconds == fixture.clock.now)
    await expectRefusal(.failedPrecondition, field: "visitor_ids") {
      _ = try await fixture.service.checkInVisitors(request, context: fixture.context())
    }
    let rest = try await fixture.service.checkInVisitors(
      .with { $0.delegationID = delegation.id }, context: fixture.context())
    #expect(rest.visitorIds == [ids[1], ids[2]])
    let out = try await fixture.service.checkOutVisitors(
      .with { $0.delegationID = delegation.id }, context: fixture.context())
    #expect(out.visitorIds == ids)
    let listed = try await fixture.service.listVisitors(
      .with { $0.delegationID = delegation.id }, context: fixture.context())
    #expect(listed.visitors.allSatisfy { $0.checkedInAt != nil && $0.checkedOutAt != nil })
    #expect(listed.visitors.first?.phone == "13800130000")
  }

  @Test("a visitor of another delegation is NOT_FOUND")
  func otherDelegationsVisitor() async throws {
    let fixture = try ReceptionFixture()
    let one = try await fixture.createDelegation()
    let other = try await fixture.createDelegation()
    let stranger = try await fixture.addVisitors(other, count: 1).visitorIds[0]
    let checkedIn = try await fixture.setStatus(fixture.setStatus(one, .confirmed), .checkedIn)
    await expectRefusal(.notFound, field: "visitor_ids[0]") {
      _ = try await fixture.service.checkInVisitors(
        .with {
          $0.delegationID = checkedIn.id
          $0.visitorIds = [stranger]
        }, context: fixture.context())
    }
  }

  @Test("the store of answered writes keeps no phone or ID number")
  func retriesKeepNoPersonalData() async throws {
    let fixture = try ReceptionFixture()
    let delegation = try await fixture.createDelegation()
    let first = try await fixture.addVisitors(delegation, count: 2, key: "visitors-1")
    let retry = try await fixture.addVisitors(delegation, count: 2, key: "visitors-1")
    #expect(retry == first)
    let blobs = try await fixture.database.read { db in
      try Data.fetchAll(db, sql: "SELECT request || response FROM idempotency")
    }
    #expect(!blobs.isEmpty)
    for secret in ["13800130000", "44030519800101000X"] {
      #expect(!blobs.contains { $0.range(of: Data(secret.utf8)) != nil })
    }
  }
}
