/// Builds Swift source text with two-space indentation.
final class CodeWriter {
  private(set) var text = ""
  private var level = 0

  func line(_ s: String = "") {
    if s.isEmpty {
      text += "\n"
    } else {
      text += String(repeating: "  ", count: level) + s + "\n"
    }
  }

  /// `opener`, then `body` indented one level, then `closer`.
  func block(_ opener: String, closer: String = "}", _ body: () throws -> Void) rethrows {
    line(opener)
    level += 1
    try body()
    level -= 1
    line(closer)
  }

  /// A `switch` in swift-format's style: the `case` lines at the level of `switch`.
  func switchBlock(_ header: String, _ body: () throws -> Void) rethrows {
    line(header)
    try body()
    line("}")
  }

  /// `///` lines for a comment from the .proto file.
  func docComment(_ comment: String) {
    guard !comment.isEmpty else { return }
    for l in comment.split(separator: "\n", omittingEmptySubsequences: false) {
      line(l.isEmpty ? "///" : "/// \(l)")
    }
  }
}

/// `s` as a Swift string literal.
func swiftLiteral(_ s: String) -> String {
  var result = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\\": result += "\\\\"
    case "\"": result += "\\\""
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7F {
        result += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  return result + "\""
}
