import Membership
import Testing
import TongxinMessages
import TongxinRPC

@Suite("Paging through a directory that changes between pages")
struct PagingWhileWritingTests {
  @Test("rows added between pages make no row appear twice or go missing")
  func noSkipNoRepeat() async throws {
    let database = TestDatabase()
    // One handle pages, the other writes: as two instances would.
    let reader = try database.service()
    let writer = try database.service()
    var original: Set<String> = []
    for i in 0..<30 {
      // Shared surnames make runs of equal-prefix names; two exact duplicates test the id tie-break.
      let name =
        ["王", "李", "张"][i % 3] + ["伟", "敏", "静", "磊", "洋"][i % 5] + (i % 7 == 0 ? "" : "\(i % 4)")
      original.insert(try await writer.makePerson(name).id)
    }
    var seen: [String] = []
    var token = ""
    var pages = 0
    repeat {
      let page = try await reader.searchDirectory(
        .with {
          $0.pageSize = 7
          $0.pageToken = token
        }, context: context())
      #expect(page.people.count <= 7)
      seen += page.people.map(\.id)
      token = page.nextPageToken
      pages += 1
      // Before the cursor, after it, and the very name of the last row served.
      for name in ["阿" + String(pages), "龥" + String(pages), page.people.last?.name ?? "王伟"] {
        _ = try await writer.makePerson(name)
      }
    } while !token.isEmpty && pages < 50
    #expect(pages >= 5)
    #expect(Set(seen).count == seen.count, "a row was served twice")
    #expect(original.isSubset(of: Set(seen)), "a row that existed from the start was skipped")
  }

  @Test("a listing of members pages the same way, with a total")
  func membersPaging() async throws {
    let database = TestDatabase()
    let service = try database.service()
    for i in 0..<12 { _ = try await service.makeMember("成员\(i)", "xinlianhui") }
    var seen: [String] = []
    var token = ""
    repeat {
      let page = try await service.listMembers(
        .with {
          $0.associationCode = "xinlianhui"
          $0.pageSize = 5
          $0.pageToken = token
        }, context: context())
      #expect(page.total == 12)
      seen += page.members.compactMap { $0.person?.name }
      token = page.nextPageToken
    } while !token.isEmpty
    #expect(seen == (0..<12).map { "成员\($0)" }.sorted())
  }
}
