import Testing
@testable import Schema

@Suite struct JSONValueTests {
    @Test func parsesAndEncodesCompactly() throws {
        let value = try JSONValue.parse(#"{"a": [1, 2.5, "x\n", true, null], "b": {"c": -9007199254740993}}"#)
        #expect(value["a"]?[0] == .int(1))
        #expect(value["a"]?[1] == .double(2.5))
        #expect(value["b"]?["c"] == .int(-9_007_199_254_740_993))
        #expect(value.encodedString(sortedKeys: true) == #"{"a":[1,2.5,"x\n",true,null],"b":{"c":-9007199254740993}}"#)
    }
}
