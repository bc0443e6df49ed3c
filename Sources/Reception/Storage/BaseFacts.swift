import GRDB
import TongxinMessages

/// The facts of the base as the source document gives them (DOMAIN.md): its area, its four
/// rooms, the services it offers and its honours. They are seeded by a migration because they
/// are facts of the base, not demo data.
///
/// The document gives no capacities or opening hours: those below are our own plausible
/// figures. Changing a fact later takes a new migration, not an edit here, since databases
/// already seeded keep what this migration wrote.
enum BaseFacts {
  struct RoomFact {
    var code: String
    var name: String
    var englishName: String
    var capacity: Int
  }

  static let name = "达实大厦楼宇统战基地"
  static let englishName = "Dashi Tower building-based united-front work base"
  static let location = "深圳市南山区达实大厦"
  static let areaSquareMetres = 1600

  static let rooms = [
    RoomFact(code: "tongxin", name: "同心活动室", englishName: "Tongxin activity room", capacity: 40),
    RoomFact(
      code: "tongzhan", name: "统一战线服务室", englishName: "United-front service room", capacity: 20),
    RoomFact(
      code: "dangqun", name: "党群服务室", englishName: "Party–public service room", capacity: 30),
    RoomFact(
      code: "ningxin", name: "凝心聚力多功能室", englishName: "Multi-function hall", capacity: 120),
  ]
  /// Every room opens 08:00–22:00 local time, which fits daytime visits and evening sessions.
  static let opensMinute = 8 * 60
  static let closesMinute = 22 * 60

  static let services: [(Tongxin_Reception_Purpose, String, String)] = [
    (.visit, "参观", "Visits"), (.exhibition, "展示", "Exhibitions"), (.teaching, "教学", "Teaching"),
    (.meeting, "会议", "Meetings"), (.exchange, "交流", "Exchanges"),
    (.cooperation, "合作", "Cooperation"),
  ]

  /// (year, month, title, English title, awarded by); year and month 0 when undated.
  static let honours: [(Int, Int, String, String, String)] = [
    (
      2016, 9, "南山区首个“园区（楼宇）统战”试点单位",
      "Nanshan district's first park/building united-front pilot", "南山区委统战部"
    ),
    (
      2017, 8, "深圳市第一批园区（楼宇）统战工作试点单位",
      "Shenzhen city pilot of park/building united-front work, first batch", "深圳市委统战部"
    ),
    (
      2018, 7, "南山区新的社会阶层人士统战工作先进单位",
      "Nanshan district award for united-front work with new social strata", "南山区委统战部"
    ),
    (
      2022, 11, "南山区网络人士统战工作实践创新基地",
      "Nanshan district practice-innovation base for work with internet figures", "南山区委统战部"
    ),
    (
      2023, 6, "新的社会阶层人士统战工作实践创新基地",
      "Shenzhen city practice-innovation base for work with new social strata", "深圳市委统战部"
    ),
    (
      0, 0, "“十大深圳市统战示范基地”之一",
      "Listed among Shenzhen's ten united-front demonstration bases", "深圳市委统战部"
    ),
  ]

  /// Writes the facts into the tables of the first migration.
  static func seed(_ db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO base_profile (id, name, english_name, location, area_square_metres)
        VALUES (1, ?, ?, ?, ?)
        """, arguments: [name, englishName, location, areaSquareMetres])
    for (position, room) in rooms.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO rooms (code, position, name, english_name, capacity, opens_minute,
            closes_minute) VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          room.code, position, room.name, room.englishName, room.capacity, opensMinute,
          closesMinute,
        ])
    }
    for (position, service) in services.enumerated() {
      try db.execute(
        sql:
          "INSERT INTO base_services (position, purpose, name, english_name) VALUES (?, ?, ?, ?)",
        arguments: [position, service.0.rawValue, service.1, service.2])
    }
    for (position, honour) in honours.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO honours (position, year, month, title, english_title, awarded_by)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [position, honour.0, honour.1, honour.2, honour.3, honour.4])
    }
  }
}
