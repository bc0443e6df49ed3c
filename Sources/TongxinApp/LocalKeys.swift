import FoundationEssentials
import TongxinRPC

/// The keys of a set-up on one machine, made once in a keys folder (see ``KeyLocations``):
/// the gateway's pair, one pair per service and one per department. Existing keys are kept,
/// so restarting never locks out a caller that already has its key.
public enum LocalKeys {
  public static func ensure(folder: String, services: [String], departments: [String]) throws {
    try ensurePair(at: KeyLocations.gatewayKeys(in: folder), comment: "Tongxin gateway")
    for service in services {
      try ensurePair(
        at: KeyLocations.service(service, in: folder), comment: "Tongxin service \(service)")
    }
    for department in departments {
      try ensurePair(
        at: KeyLocations.department(department, in: folder),
        comment: "Tongxin department \(department)")
    }
  }

  private static func ensurePair(at base: String, comment: String) throws {
    guard !FileManager.default.fileExists(atPath: base + ".key") else { return }
    try CurveKeyPair.generate().write(to: base, comment: comment)
  }
}
