/// The embedded defaults of a local set-up: every process finds the others without options.
public enum Defaults {
  public static let frontendEndpoint = "tcp://127.0.0.1:7700"
  public static let backendEndpoint = "tcp://127.0.0.1:7701"
  public static let version = "0.1.0"
  /// The policy of a local set-up, relative to the repository (`deploy/up` runs there).
  public static let policyFile = "deploy/policy.json"
}

extension Defaults {
  /// The services a local set-up runs; `tongxin health` waits for these.
  public static let services = ["membership", "events", "reception"]
  /// Services `tongxin up` runs only when asked (`--scale echo=1`).
  public static let optionalServices = ["echo"]
}
