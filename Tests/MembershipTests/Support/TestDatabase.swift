import Foundation
import Logging
import Membership
import Testing
import TongxinRPC

/// A fresh database file in a temporary folder, removed when the test ends.
final class TestDatabase: Sendable {
  let folder: URL
  let path: String

  init() {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("tongxin-membership-\(UUID().uuidString)")
    path = folder.appendingPathComponent("membership.sqlite").path
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  /// A service on this file, as one instance would open it.
  func service() throws -> MembershipService {
    try MembershipService(databasePath: path, logger: quietLogger("membership"))
  }
}

func quietLogger(_ label: String) -> Logger {
  var logger = Logger(label: label)
  logger.logLevel = .critical
  return logger
}

/// The context of a call that did not come through a gateway.
func context(method: String = "test", key: String = "") -> ServerContext {
  ServerContext(
    service: "membership", method: method, idempotencyKey: key,
    deadline: .now + .seconds(30), instanceID: "membership-test")
}

/// Runs `operation` and returns the RPCError it threw; records an issue when it threw none or
/// another kind of error.
@discardableResult
func rpcError(
  _ operation: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async -> RPCError? {
  do {
    try await operation()
    Issue.record("expected an RPCError, the call succeeded", sourceLocation: sourceLocation)
  } catch let error as RPCError {
    return error
  } catch {
    Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

/// Expects `operation` to fail with `code`, naming `field` in the details and the message.
func expectFailure(
  _ code: StatusCode, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
  _ operation: () async throws -> Void
) async {
  guard let error = await rpcError(operation, sourceLocation: sourceLocation) else { return }
  #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
  if let field {
    #expect(error.details["field"] == field, "\(error)", sourceLocation: sourceLocation)
    // The message names the field too, as written or in words ("idempotency key").
    let named =
      error.message.contains(field)
      || error.message.contains(field.replacingOccurrences(of: "_", with: " "))
    #expect(named, "\(error)", sourceLocation: sourceLocation)
  }
}
