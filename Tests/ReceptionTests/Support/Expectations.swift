import Logging
import Testing
import TongxinRPC

/// Expects `body` to fail with `code` (and, when given, `details["field"] == field`); returns
/// the error for further checks.
@discardableResult
func expectRefusal(
  _ code: StatusCode, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> Void
) async -> RPCError? {
  do {
    try await body()
    Issue.record("expected \(code.name), but the call succeeded", sourceLocation: sourceLocation)
    return nil
  } catch let error as RPCError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    if let field {
      #expect(
        error.details["field"] == field, "\(error) \(error.details)", sourceLocation: sourceLocation
      )
    }
    return error
  } catch {
    Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

func quietLogger(_ label: String) -> Logger {
  var logger = Logger(label: label)
  logger.logLevel = .critical
  return logger
}
