import Foundation
import Testing
import TongxinMessages

@testable import Reception

@Suite("The base's profile is seeded with the database")
struct BaseProfileTests {
  @Test("area, the four rooms, the six services and the honours timeline")
  func profile() async throws {
    let fixture = try ReceptionFixture()
    let profile = try await fixture.service.getBaseProfile(.init(), context: fixture.context())
    #expect(profile.areaSquareMetres == 1600)
    #expect(profile.rooms.map(\.code) == ["tongxin", "tongzhan", "dangqun", "ningxin"])
    #expect(profile.rooms.map(\.name) == ["同心活动室", "统一战线服务室", "党群服务室", "凝心聚力多功能室"])
    #expect(
      profile.services.map(\.purpose) == [
        .visit, .exhibition, .teaching, .meeting, .exchange, .cooperation,
      ])
    #expect(
      profile.honours.map { "\($0.year)-\($0.month)" } == [
        "2016-9", "2017-8", "2018-7", "2022-11", "2023-6", "0-0",
      ])
    #expect(profile.honours.last?.title.contains("十大") == true)
    let rooms = try await fixture.service.listRooms(.init(), context: fixture.context())
    #expect(rooms.rooms == profile.rooms)
  }

  @Test("opening the database again (a second instance) seeds nothing twice")
  func secondOpen() async throws {
    let first = try ReceptionFixture()
    let second = try ReceptionFixture(path: first.path)
    let rooms = try await second.service.listRooms(.init(), context: second.context())
    #expect(rooms.rooms.count == 4)
  }

  @Test("SHA-256 gives the FIPS 180-4 test vectors")
  func sha256() {
    func hex(_ text: String) -> String {
      SHA256.digest(Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }
}
