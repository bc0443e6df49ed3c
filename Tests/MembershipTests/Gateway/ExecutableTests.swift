import Foundation
import Testing
import TongxinMessages
import TongxinRPC
import TongxinTesting

@Suite("The tongxin-membership executable", .serialized)
struct ExecutableTests {
  @Test("two processes behind a gateway process share $TONGXIN_DATA/membership.sqlite")
  func twoProcesses() async throws {
    let system = try await LocalSystem.start(services: ["membership": 2])
    do {
      let membership = Tongxin_Membership_Membership.Client(wrapping: system.client)
      let options = CallOptions(timeout: .seconds(10))
      for i in 0..<6 {
        let person = try await membership.createPerson(
          .with { $0.person = Records.person("进程\(i)") }, options: options)
        _ = try await membership.joinAssociation(
          Records.join(person.id, "jiusan"), options: options)
      }
      let members = try await membership.listMembers(
        .with { $0.associationCode = "jiusan" }, options: options)
      #expect(members.total == 6)
      let file = system.dataFolder.appendingPathComponent("membership.sqlite").path
      #expect(FileManager.default.fileExists(atPath: file))
    } catch {
      await system.stop()
      throw error
    }
    await system.stop()
  }
}
