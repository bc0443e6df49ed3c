import Foundation
import GRDB
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

/// The gateway's record of write calls: complete, filtered on request, append-only, durable.
@Suite("The audit log of write calls", .timeLimit(.minutes(3)))
struct AuditTests {
  @Test("writes are recorded with department, method, target and outcome; reads are not")
  func recordsWrites() async throws {
    try await LocalSystem.with(services: ["membership": 1]) { system in
      let membership = Tongxin_Membership_Membership.Client(wrapping: system.client)
      let company = try await membership.createCompany(
        .with { $0.company = .with { $0.name = "审计公司" } },
        options: CallOptions(idempotencyKey: "audit-create"))
      _ = try await membership.getCompany(.with { $0.id = company.id })
      _ = await #expect(throws: RPCError.self) {
        _ = try await membership.createCompany(
          .with { $0.company = .with { $0.name = "审计公司" } })  // the name is taken
      }
      let audit = Tongxin_Audit_Audit.Client(wrapping: system.client)
      let all = try await audit.listRecords(.init()).records
      #expect(all.map(\.method) == ["CreateCompany", "CreateCompany"], "reads are not audited")
      let created = try #require(all.last)
      #expect(created.department == LocalSystem.testDepartment)
      #expect(created.service == "membership")
      #expect(created.targetID == company.id)
      #expect(created.code == .ok)
      #expect(created.idempotencyKey == "audit-create")
      #expect(all.first?.code == .alreadyExists)

      let failures = try await audit.listRecords(.with { $0.codes = [.alreadyExists] }).records
      #expect(failures.count == 1)
      let byTarget = try await audit.listRecords(.with { $0.targetID = company.id }).records
      #expect(byTarget.map(\.sequence) == [created.sequence])
      let page = try await audit.listRecords(.with { $0.limit = 1 })
      #expect(page.records.count == 1)
      let next = try await audit.listRecords(.with {
        $0.limit = 1
        $0.beforeSequence = page.nextBeforeSequence
      })
      #expect(next.records.map(\.sequence) == [created.sequence])
      #expect(next.nextBeforeSequence == 0)
    }
  }

  @Test("the log survives a gateway crash and refuses to be changed")
  func durableAndAppendOnly() async throws {
    try await LocalSystem.with(services: ["membership": 1]) { system in
      let membership = Tongxin_Membership_Membership.Client(wrapping: system.client)
      _ = try await membership.createCompany(
        .with { $0.company = .with { $0.name = "持久公司" } },
        options: CallOptions(idempotencyKey: "audit-durable"))
      try await system.restartGateway(signal: SIGKILL)
      try await system.waitUntilServing(["membership": 1])
      let records = try await Tongxin_Audit_Audit.Client(wrapping: system.client)
        .listRecords(.init(), options: CallOptions(timeout: .seconds(10))).records
      #expect(records.map(\.idempotencyKey) == ["audit-durable"])

      let file = system.dataFolder.appendingPathComponent("audit.sqlite").path
      let database = try DatabaseQueue(path: file)
      // Spelled out rather than in #expect(throws:) closures, which Swift 6.3 has been seen
      // to mix up within one test.
      for statement in ["UPDATE audit_record SET code = 0", "DELETE FROM audit_record"] {
        var refused = false
        do {
          try await database.write { try $0.execute(sql: statement) }
        } catch {
          refused = "\(error)".contains("append-only")
        }
        #expect(refused, "\(statement) was not refused")
      }
    }
  }
}
