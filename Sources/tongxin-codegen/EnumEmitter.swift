// Proto enums → open Swift enums: one case per value plus `unrecognized(Int32)`, with the
// proto names that ProtoEnum's Codable (proto3 JSON) reads and writes.

struct EnumEmitter {
  let w: CodeWriter

  /// `name` is the Swift name as declared (unqualified when nested).
  func emit(_ e: ProtoEnumType, name: String) throws {
    var cases: [(name: String, number: Int32, comment: String)] = []
    var aliases: [(name: String, target: String)] = []
    for value in e.values {
      let caseName = SwiftNaming.enumCaseName(enumName: e.name, valueName: value.name)
      if cases.contains(where: { $0.name == caseName })
        || aliases.contains(where: { $0.name == caseName })
      {
        throw CodegenError("\(e.fullName).\(value.name): Swift name \(caseName) is taken")
      }
      if let first = cases.first(where: { $0.number == value.number }) {
        aliases.append((caseName, first.name))  // allow_alias: same number, second name
      } else {
        cases.append((caseName, value.number, value.comment))
      }
    }
    guard let zero = cases.first else { throw CodegenError("\(e.fullName) has no values") }

    w.docComment(e.comment)
    w.block("public enum \(name): ProtoEnum, RawRepresentable {") {
      for c in cases {
        w.docComment(c.comment)
        w.line("case \(c.name)  // = \(c.number)")
      }
      w.line("/// A number this code does not know, kept as it came.")
      w.line("case unrecognized(Int32)")
      w.line()
      w.line("public init() { self = .\(zero.name) }")
      w.line()
      w.block("public init(rawValue: Int32) {") {
        w.switchBlock("switch rawValue {") {
          for c in cases { w.line("case \(c.number): self = .\(c.name)") }
          w.line("default: self = .unrecognized(rawValue)")
        }
      }
      w.line()
      w.block("public var rawValue: Int32 {") {
        w.switchBlock("switch self {") {
          for c in cases { w.line("case .\(c.name): \(c.number)") }
          w.line("case .unrecognized(let number): number")
        }
      }
      w.line()
      w.line("public static let allCases: [Self] = [")
      for c in cases { w.line("  .\(c.name),") }
      w.line("]")
      w.line()
      w.line("public static let protoEnumName = \(swiftLiteral(e.fullName))")
      w.line()
      w.line("public static let protoValueNames: [(name: String, number: Int32)] = [")
      for value in e.values { w.line("  (\(swiftLiteral(value.name)), \(value.number)),") }
      w.line("]")
      w.line()
      // Written out: Swift would otherwise synthesize Codable for the enum's cases rather than
      // use ProtoEnum's JSON form.
      w.line("/// Proto3 JSON: the value's proto name, or its number when unrecognized.")
      w.block("public func encode(to encoder: any Encoder) throws {") {
        w.line("try encodeProtoJSON(to: encoder)")
      }
      w.line()
      w.block("public init(from decoder: any Decoder) throws {") {
        w.line("self = try ProtoJSON.decodeTopLevel(from: decoder)")
      }
      for a in aliases {
        w.line()
        w.line("public static let \(a.name): Self = .\(a.target)")
      }
    }
  }
}
