import TongxinRPC

/// The refusals this service answers, built in one place so that their messages read alike.
///
/// Messages start with what was refused and end with what the caller can do about it; details
/// carry the same facts for programs (`field`, `current_version`, `conflicting_booking_id`).
enum Refusal {
  /// INVALID_ARGUMENT: `field` (as named in the .proto, e.g. `visitors[2].phone`) is wrong.
  static func invalid(_ field: String, _ problem: String) -> RPCError {
    RPCError(code: .invalidArgument, message: "\(field) \(problem)", details: ["field": field])
  }

  /// INVALID_ARGUMENT for a required field left empty.
  static func missing(_ field: String) -> RPCError {
    invalid(field, "is required")
  }

  /// NOT_FOUND for an id given in `field`.
  static func notFound(_ kind: String, _ id: String, field: String) -> RPCError {
    RPCError(
      code: .notFound, message: "\(kind) \"\(id)\" does not exist", details: ["field": field])
  }

  /// FAILED_PRECONDITION: the request is well formed but the stored state does not allow it.
  static func precondition(_ message: String, details: [String: String] = [:]) -> RPCError {
    RPCError(code: .failedPrecondition, message: message, details: details)
  }

  /// ABORTED: the caller read an older version of the record than the stored one.
  static func staleVersion(_ kind: String, _ id: String, stored: Int64, given: UInt64)
    -> RPCError
  {
    RPCError(
      code: .aborted,
      message: "\(kind) \(id) is at version \(stored), not \(given): read it again and retry",
      details: ["field": "version", "current_version": "\(stored)"])
  }
}
