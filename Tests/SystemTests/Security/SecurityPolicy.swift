import Gateway
import TongxinTesting

/// The departments the security tests call as.
enum SecurityPolicy {
  /// May read, not write, and sees no personal data.
  static let readOnly = "publicity"
  static let policy = AccessPolicy(departments: [
    LocalSystem.testDepartment: .init(allow: ["*"], personalData: true),
    readOnly: .init(
      allow: ["membership.Get*", "membership.List*", "echo.Echo", "system.Health"],
      personalData: false),
  ])
}
