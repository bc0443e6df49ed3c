import FoundationEssentials

/// What each department may do, from a JSON policy file (see `deploy/policy.json`):
///
/// ```json
/// {"departments": {"front-desk": {"allow": ["reception.*", "membership.Get*"],
///                                 "personalData": false}}}
/// ```
/// `allow` lists `service.Method` patterns where `*` matches any characters. A department
/// not in the policy is not admitted, whatever keys it holds.
public struct AccessPolicy: Sendable, Equatable, Codable {
  public struct Department: Sendable, Equatable, Codable {
    public var allow: [String]
    /// Whether the department sees personal data (phone, e-mail, ID numbers, affiliation).
    public var personalData: Bool

    public init(allow: [String], personalData: Bool) {
      self.allow = allow
      self.personalData = personalData
    }

    public func allows(service: String, method: String) -> Bool {
      let name = service + "." + method
      return allow.contains { Self.matches(name[...], pattern: $0[...]) }
    }

    /// Glob match with `*` only; patterns are short, so plain recursion is fine.
    static func matches(_ name: Substring, pattern: Substring) -> Bool {
      guard let first = pattern.first else { return name.isEmpty }
      if first == "*" {
        let rest = pattern.dropFirst()
        var tail = name[...]
        while true {
          if matches(tail, pattern: rest) { return true }
          if tail.isEmpty { return false }
          tail = tail.dropFirst()
        }
      }
      guard name.first == first else { return false }
      return matches(name.dropFirst(), pattern: pattern.dropFirst())
    }
  }

  public var departments: [String: Department]

  public init(departments: [String: Department]) {
    self.departments = departments
  }

  public static func load(file path: String) throws -> AccessPolicy {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw PolicyError("cannot read the policy file \(path): \(error.fileProblem)")
    }
    do {
      return try JSONDecoder().decode(AccessPolicy.self, from: data)
    } catch {
      throw PolicyError("the policy file \(path) is not valid: \(error)")
    }
  }
}

public struct PolicyError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
