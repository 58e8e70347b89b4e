import Testing

@testable import Schema

@Suite struct JSONValueTests {
    @Test func parsesAndEncodesCompactly() throws {
        let value = try JSONValue.parse(#"{"a": [1, 2.5, "x\n\u00e9", true, null], "b": {"c": -9007199254740993}}"#)
        #expect(value["a"]?[0] == .int(1))
        #expect(value["a"]?[1] == .double(2.5))
        #expect(value["a"]?[2] == .string("x\né"))
        #expect(value["b"]?["c"] == .int(-9_007_199_254_740_993))
        #expect(value[path: ["b", "c"]] == .int(-9_007_199_254_740_993))
        #expect(value.encodedString(sortedKeys: true) == #"{"a":[1,2.5,"x\né",true,null],"b":{"c":-9007199254740993}}"#)
        #expect(try JSONValue.parse(value.encoded()) == value)
    }

    @Test func rejectsMalformedJSON() {
        #expect(throws: SchemaError.self) { try JSONValue.parse(#"{"a": }"#) }
        #expect(throws: SchemaError.self) { try JSONValue.parse("[1, 2") }
        #expect(throws: SchemaError.self) { try JSONValue.parse("{} x") }
    }

    @Test func putsTypeMetaFirstWhenUnsorted() {
        let value: JSONValue = ["spec": [:], "metadata": ["name": "a"], "kind": "Pod", "apiVersion": "v1"]
        #expect(value.encodedString().hasPrefix(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}"#))
    }

    // RFC 7386 appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergePatchFollowsRFC7386(original: String, patch: String, expected: String) throws {
        let result = try JSONValue.parse(original).mergePatched(with: JSONValue.parse(patch))
        #expect(result == (try JSONValue.parse(expected)))
    }

    @Test func pathSetterCreatesIntermediateObjects() {
        var value: JSONValue = [:]
        value[path: ["metadata", "labels", "app"]] = "web"
        #expect(value.encodedString(sortedKeys: true) == #"{"metadata":{"labels":{"app":"web"}}}"#)
        #expect(value["metadata"]?["labels"]?["app"]?.stringValue == "web")
    }
}
