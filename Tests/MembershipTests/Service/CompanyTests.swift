import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Companies")
struct CompanyTests {
  @Test("an update at the current version applies and bumps it; the old version is ABORTED")
  func versionedUpdate() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let created = try await service.createCompany(
      .with { $0.company = Records.company() }, context: context())
    #expect(created.version == 1)
    var change = created
    change.unit = "达实大厦 塔楼 19层"
    change.stockCode = nil
    let updated = try await service.updateCompany(.with { $0.company = change }, context: context())
    #expect(updated.version == 2)
    #expect(updated.unit == "达实大厦 塔楼 19层")
    #expect(updated.stockCode == nil)
    #expect(
      try await service.getCompany(.with { $0.id = created.id }, context: context()) == updated)
    await expectFailure(.aborted, field: "company.version") {
      _ = try await service.updateCompany(.with { $0.company = change }, context: context())
    }
  }

  @Test("renaming onto another company's name is ALREADY_EXISTS")
  func renameClash() async throws {
    let database = TestDatabase()
    let service = try database.service()
    _ = try await service.createCompany(
      .with { $0.company = Records.company("甲") }, context: context())
    var second = try await service.createCompany(
      .with { $0.company = Records.company("乙") }, context: context())
    second.name = "甲"
    await expectFailure(.alreadyExists, field: "company.name") {
      _ = try await service.updateCompany(.with { $0.company = second }, context: context())
    }
  }

  @Test("companies list by name, a page at a time")
  func listing() async throws {
    let database = TestDatabase()
    let service = try database.service()
    let names = ["丙公司", "甲公司", "乙公司", "丁公司", "戊公司"]
    for name in names {
      _ = try await service.createCompany(
        .with { $0.company = Records.company(name) }, context: context())
    }
    var listed: [String] = []
    var token = ""
    repeat {
      let page = try await service.listCompanies(
        .with {
          $0.pageSize = 2
          $0.pageToken = token
        }, context: context())
      #expect(page.companies.count <= 2)
      listed += page.companies.map(\.name)
      token = page.nextPageToken
    } while !token.isEmpty
    #expect(listed == names.sorted())
  }
}
