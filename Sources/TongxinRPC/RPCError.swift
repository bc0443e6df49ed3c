import TongxinWire

/// gRPC's status codes, as they travel in `tongxin.rpc.ResponseHeader`.
public typealias StatusCode = Tongxin_Rpc_StatusCode

/// The error of a call: a gRPC status code and a message for people.
///
/// Clients see every failure as an `RPCError`. Handlers throw one (or an error conforming to
/// ``RPCErrorConvertible``) to choose the status; any other error becomes `INTERNAL` and its
/// text is logged, not sent.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
  public var code: StatusCode
  public var message: String
  /// Structured facts for programs, for example `["field": "name"]`.
  public var details: [String: String]

  public init(code: StatusCode, message: String, details: [String: String] = [:]) {
    self.code = code
    self.message = message
    self.details = details
  }

  public var description: String { "\(code.name): \(message)" }
}

/// An error that knows which status it should be answered with.
public protocol RPCErrorConvertible: Error {
  var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
  public var rpcError: RPCError { self }
}

extension RPCError {
  init(_ header: Tongxin_Rpc_ResponseHeader) {
    self.init(code: header.code, message: header.message, details: header.details)
  }
}
