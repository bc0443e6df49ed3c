/// The errors a service answers about a request, each naming the field at fault.
///
/// The field travels in the message (for people) and in `details["field"]` (for programs that
/// highlight the field in a form), so a caller never has to parse the text.
public enum FieldError {
  /// The request itself is wrong, whatever the stored data: INVALID_ARGUMENT.
  public static func invalid(_ field: String, _ message: String) -> RPCError {
    RPCError(code: .invalidArgument, message: "\(field): \(message)", details: ["field": field])
  }

  /// The request is well formed but the stored data forbids it now: FAILED_PRECONDITION.
  public static func precondition(_ field: String, _ message: String) -> RPCError {
    RPCError(
      code: .failedPrecondition, message: "\(field): \(message)", details: ["field": field])
  }

  /// An id or code that names nothing: NOT_FOUND.
  public static func notFound(_ field: String, _ what: String, _ id: String) -> RPCError {
    notFound(field, message: "no \(what) with id \"\(id)\"", id: id)
  }

  public static func notFound(_ field: String, message: String, id: String) -> RPCError {
    RPCError(code: .notFound, message: "\(field): \(message)", details: ["field": field, "id": id])
  }

  /// The record already exists: ALREADY_EXISTS.
  public static func alreadyExists(_ field: String, _ message: String) -> RPCError {
    RPCError(code: .alreadyExists, message: "\(field): \(message)", details: ["field": field])
  }

  /// Somebody changed the record since the caller read it: ABORTED, so the caller reads again
  /// and decides, instead of overwriting a change it never saw.
  public static func staleVersion(
    _ what: String, id: String, sent: Int64, current: Int64, field: String = "version"
  ) -> RPCError {
    RPCError(
      code: .aborted,
      message:
        "\(field): \(what) \"\(id)\" is at version \(current), not \(sent); it was changed "
        + "since you read it: read it again and retry",
      details: ["field": field, "current_version": String(current)])
  }
}
