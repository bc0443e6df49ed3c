import Testing
import TongxinWire

@Suite("Trimming white space without Foundation")
struct WhitespaceTests {
  @Test(
    "Unicode white space goes at both ends, inner text stays",
    arguments: [
      ("  同心\u{3000}\n", "同心"),  // the ideographic space of Chinese text
      ("\t大石 楼\r\n", "大石 楼"),
      ("\u{00A0}a\u{2029}", "a"),
      ("   ", ""),
      ("", ""),
      ("x", "x"),
    ])
  func trims(text: String, expected: String) {
    #expect(text.trimmingWhitespace() == expected)
    #expect(text[...].trimmingWhitespace() == expected)
  }
}
