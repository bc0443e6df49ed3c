import Dispatch
import Foundation
import Membership
import Synchronization
import Testing

@Suite("Opening the database")
struct OpeningTests {
  /// Instances start together after a deploy: each must come up on a file none has created.
  @Test("instances opening a new database file at the same moment all start")
  func simultaneousFirstOpen() async throws {
    for _ in 0..<10 {
      let database = TestDatabase()
      let failures = Mutex<[String]>([])
      // Threads, not tasks: opening blocks, and the race needs the opens truly in parallel.
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        do {
          _ = try database.service()
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      #expect(failures.withLock { $0 } == [])
      let associations = try await database.service().listAssociations(.init(), context: context())
      #expect(associations.associations.count == 4)
    }
  }
}
