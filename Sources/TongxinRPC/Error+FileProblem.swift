import FoundationEssentials
import Glibc

extension Error {
  /// Why a file could not be read or written, as the system says it ("No such file or
  /// directory"). FoundationEssentials has no `localizedDescription` text: its errors print as
  /// their raw fields (see ZeroMQ's DetachedThread for why these modules do without Foundation).
  package var fileProblem: String {
    let posix = (self as? CocoaError)?.underlying as? POSIXError ?? self as? POSIXError
    guard let posix else { return "\(self)" }
    return String(cString: strerror(posix.code.rawValue))
  }
}
