import Foundation
import JSONCore
import Testing

/// The one JSON string escaper: what it writes is JSON that Foundation reads back to the same string.
@Suite struct JSONTextTests {
    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        JSONText.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        #expect(Self.quoted("") == #""""#)
        #expect(Self.quoted("plain text/with slash") == #""plain text/with slash""#)
        #expect(Self.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(Self.quoted("line\nfeed\rret\ttab") == #""line\nfeed\rret\ttab""#)
        #expect(Self.quoted("\u{0}\u{1f}x\u{7f}") == "\"\\u0000\\u001fx\u{7f}\"")
        #expect(Self.quoted("\"") == #""\"""#)
        #expect(Self.quoted("ends with \\") == #""ends with \\""#)
    }

    @Test func multiByteTextPassesThroughAndRoundTrips() throws {
        for s in ["héllo wörld", "日本語\n\"引用\"", "emoji 🚀 and \u{1}", String(repeating: "x", count: 100_000) + "\""] {
            let text = Self.quoted(s)
            let back = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
            #expect(back as? String == s)
        }
    }

    @Test func integersAreWrittenInDecimalAcrossTheirWholeRange() {
        for value: Int64 in [
            0, 7, -7, 9, 10, -10, 1_000_000, 1_765_000_000_123_456_789, .max, .min, .max - 1, .min + 1,
        ] {
            var out: [UInt8] = []
            JSONText.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}
