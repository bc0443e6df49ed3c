import Testing
import TongxinRPC

@testable import Membership

@Suite("Page tokens and page sizes")
struct PagingTests {
  @Test("a token survives encoding, including Chinese sort keys")
  func roundTrip() throws {
    let token = PageToken(
      query: QueryHash.of(["ListMembers", "zhilianhui"]), key: "王建华", id: "mem_1")
    let decoded = try PageToken.decode(token.encoded, query: token.query)
    #expect(decoded == token)
    #expect(!token.encoded.contains("="))
    #expect(!token.encoded.contains("/"))
  }

  @Test("no token means the first page")
  func emptyToken() throws {
    #expect(try PageToken.decode("", query: 1) == nil)
  }

  @Test("garbage and tokens of another query are INVALID_ARGUMENT naming page_token")
  func refused() {
    let token = PageToken(query: QueryHash.of(["a"]), key: "k", id: "i").encoded
    for (text, query) in [("not a token!", QueryHash.of(["a"])), (token, QueryHash.of(["b"]))] {
      let error = #expect(throws: RPCError.self) { try PageToken.decode(text, query: query) }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details["field"] == "page_token")
    }
  }

  @Test("the query hash is the same in every process and tells filters apart")
  func stableHash() {
    // FNV-1a of the empty string: a constant, unlike Swift's seeded Hasher.
    #expect(QueryHash.of([""]) == 0xcbf2_9ce4_8422_2325)
    #expect(QueryHash.of(["a", "bc"]) != QueryHash.of(["ab", "c"]))
  }

  @Test("page sizes: 0 is the default, too large is capped, negative is refused")
  func sizes() throws {
    #expect(try PageSize.resolve(0) == 50)
    #expect(try PageSize.resolve(7) == 7)
    #expect(try PageSize.resolve(10_000) == 200)
    let error = #expect(throws: RPCError.self) { try PageSize.resolve(-1) }
    #expect(error?.details["field"] == "page_size")
  }
}
