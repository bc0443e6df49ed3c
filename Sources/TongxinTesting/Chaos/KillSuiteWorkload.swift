import Foundation
import Synchronization
import TongxinMessages
import TongxinRPC
import TongxinWire

/// The requests of the kill suite's load: creates that carry their idempotency key in a text
/// field (the marker that finds them again), and reads of what was created.
final class KillSuiteWorkload: Sendable {
  /// Short and unique per run: in tags and keys.
  let run: String
  private let roomSlots = Atomic<Int>(0)

  init(run: String = String(UUID().uuidString.prefix(8)).lowercased()) {
    self.run = run
  }

  /// The key of the `sequence`-th write of `worker`; what the marker ends with.
  func key(worker: Int, sequence: Int) -> String { "ks-\(run)-\(worker)-\(sequence)" }

  /// Every record of the suite is visited or takes place in this window (UTC).
  static let windowStart: Int64 = 1_893_456_000  // 2030-01-01
  static let windowEnd: Int64 = 2_208_988_800  // 2040-01-01

  static let companyPrefix = "混沌测试公司 "
  static let personPrefix = "混沌"
  static let eventPrefix = "混沌测试活动 "
  static let delegationPrefix = "混沌测试团 "

  /// The key a marker ends with, when the record is one of this run's.
  func key(inMarker text: String, prefix: String) -> String? {
    guard text.hasPrefix(prefix) else { return nil }
    let key = String(text.dropFirst(prefix.count))
    return key.hasPrefix("ks-\(run)-") ? key : nil
  }

  var personTag: String { "ks-\(run)" }

  // MARK: Writes

  func createCompany(_ key: String) -> Tongxin_Membership_CreateCompanyRequest {
    var company = Tongxin_Membership_Company()
    company.name = Self.companyPrefix + key
    company.unit = "达实大厦 塔楼 9层"
    var request = Tongxin_Membership_CreateCompanyRequest()
    request.company = company
    return request
  }

  func createPerson(_ key: String) -> Tongxin_Membership_CreatePersonRequest {
    var person = Tongxin_Membership_Person()
    person.name = Self.personPrefix + key
    person.companyPost = "测试员"
    person.titleLevel = .junior
    person.category = .other
    person.tags = [personTag]
    var request = Tongxin_Membership_CreatePersonRequest()
    request.person = person
    return request
  }

  /// An event outside the base, starting `sequence` hours into 2031 (events may overlap).
  func createEvent(_ key: String, sequence: Int) -> Tongxin_Events_CreateEventRequest {
    let start = 1_924_992_000 + Int64(sequence % 8_000) * 3_600  // 2031-01-01
    var venue = Tongxin_Events_Venue()
    venue.venue = .outsidePlace("南山区文体中心")
    return event(key, start: start, venue: venue, capacity: 50)
  }

  /// An event in a base room, in a slot no other write of the run asks for: a room that is
  /// taken is a bug, not bad luck.
  func createRoomEvent(_ key: String) -> Tongxin_Events_CreateEventRequest {
    let slot = roomSlots.add(1, ordering: .relaxed).oldValue
    let rooms = ["tongxin", "tongzhan", "dangqun", "ningxin"]
    let perRoom = slot / rooms.count
    // 2032-01-05 09:00 in Shenzhen (01:00 UTC), eight one-hour slots a day.
    let day = Int64(perRoom / 8)
    let start = 1_956_877_200 + day * 86_400 + Int64(perRoom % 8) * 3_600
    var venue = Tongxin_Events_Venue()
    venue.venue = .roomCode(rooms[slot % rooms.count])
    return event(key, start: start, venue: venue, capacity: 10)
  }

  private func event(
    _ key: String, start: Int64, venue: Tongxin_Events_Venue, capacity: UInt32
  ) -> Tongxin_Events_CreateEventRequest {
    var request = Tongxin_Events_CreateEventRequest()
    request.title = Self.eventPrefix + key
    request.kind = .forum
    request.associationCodes = ["zhilianhui"]
    request.start = Self.timestamp(start)
    request.end = Self.timestamp(start + 3_600)
    request.venue = venue
    request.capacity = capacity
    request.publish = true
    return request
  }

  /// A delegation visiting `sequence` hours into 2033 (visits may overlap).
  func createDelegation(_ key: String, sequence: Int) -> Tongxin_Reception_CreateDelegationRequest {
    let start = 1_988_150_400 + Int64(sequence % 8_000) * 3_600  // 2033-01-01
    var request = Tongxin_Reception_CreateDelegationRequest()
    request.visitingBody = Self.delegationPrefix + key
    request.leadOfficial = "测试员"
    request.leadRank = "处长"
    request.headCount = 5
    request.purpose = .visit
    request.start = Self.timestamp(start)
    request.end = Self.timestamp(start + 7_200)
    request.notes = "kill suite"
    return request
  }

  static func timestamp(_ seconds: Int64) -> Google_Protobuf_Timestamp {
    var timestamp = Google_Protobuf_Timestamp()
    timestamp.seconds = seconds
    return timestamp
  }
}
