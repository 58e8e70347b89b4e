import Testing

@testable import Schema

/// RFC 6902's own examples (appendix A) and RFC 6901's pointers.
@Suite struct JSONPatchTests {
    func apply(_ document: String, _ patch: String) throws -> JSONValue {
        try JSONPatch(JSONValue.parse(patch)).apply(to: JSONValue.parse(document))
    }

    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func a1AddingAnObjectMember() throws {
        #expect(
            try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#)
                == json(#"{"baz":"qux","foo":"bar"}"#))
    }

    @Test func a2AddingAnArrayElement() throws {
        #expect(
            try apply(#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#)
                == json(#"{"foo":["bar","qux","baz"]}"#))
    }

    @Test func a3RemovingAnObjectMember() throws {
        #expect(
            try apply(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#) == json(#"{"foo":"bar"}"#))
    }

    @Test func a4RemovingAnArrayElement() throws {
        #expect(
            try apply(#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#)
                == json(#"{"foo":["bar","baz"]}"#))
    }

    @Test func a5ReplacingAValue() throws {
        #expect(
            try apply(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#)
                == json(#"{"baz":"boo","foo":"bar"}"#))
    }

    @Test func a6MovingAValue() throws {
        #expect(
            try apply(
                #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#)
                == json(#"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#))
    }

    @Test func a7MovingAnArrayElement() throws {
        #expect(
            try apply(#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#)
                == json(#"{"foo":["all","cows","eat","grass"]}"#))
    }

    @Test func a8TestingAValueSuccess() throws {
        let document = #"{"baz":"qux","foo":["a",2,"c"]}"#
        #expect(
            try apply(document, #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#)
                == json(document))
    }

    @Test func a9TestingAValueError() throws {
        #expect(throws: PatchError.self) {
            try apply(#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#)
        }
        do {
            _ = try apply(#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#)
        } catch let error as PatchError {
            #expect(!error.isMalformed)
            #expect(error.fieldErrors.first?.field == "baz")
        }
    }

    @Test func a10AddingANestedMemberObject() throws {
        #expect(
            try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#)
                == json(#"{"foo":"bar","child":{"grandchild":{}}}"#))
    }

    @Test func a11IgnoringUnrecognizedElements() throws {
        #expect(
            try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#)
                == json(#"{"foo":"bar","baz":"qux"}"#))
    }

    @Test func a12AddingToANonexistentTarget() {
        #expect(throws: PatchError.self) {
            try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#)
        }
    }

    @Test func a14EscapeOrdering() throws {
        let document = #"{"/":9,"~1":10}"#
        #expect(try apply(document, #"[{"op":"test","path":"/~01","value":10}]"#) == json(document))
    }

    @Test func a15ComparingStringsAndNumbers() {
        #expect(throws: PatchError.self) {
            try apply(#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#)
        }
    }

    @Test func a16AddingAnArrayValue() throws {
        #expect(
            try apply(#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#)
                == json(#"{"foo":["bar",["abc","def"]]}"#))
    }

    @Test func copyAndRootReplacement() throws {
        #expect(
            try apply(#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#)
                == json(#"{"a":{"b":1},"c":{"b":1}}"#))
        #expect(try apply(#"{"a":1}"#, #"[{"op":"replace","path":"","value":{"z":2}}]"#) == json(#"{"z":2}"#))
        // Numbers compare by value.
        #expect(try apply(#"{"a":10}"#, #"[{"op":"test","path":"/a","value":10.0}]"#) == json(#"{"a":10}"#))
    }

    @Test func operationsThatDoNotApplyNameTheField() throws {
        let pod = #"{"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#
        do {
            _ = try apply(pod, #"[{"op":"remove","path":"/spec/containers/0/livenessProbe"}]"#)
            Issue.record("expected an error")
        } catch let error as PatchError {
            #expect(!error.isMalformed)
            #expect(
                error.message.hasPrefix(
                    "spec.containers[0].livenessProbe: Invalid value: \"/spec/containers/0/livenessProbe\""))
        }
        #expect(throws: PatchError.self) {
            try apply(pod, #"[{"op":"replace","path":"/spec/containers/3/image","value":"x"}]"#)
        }
        #expect(throws: PatchError.self) { try apply(pod, #"[{"op":"add","path":"/spec/containers/5","value":{}}]"#) }
        #expect(throws: PatchError.self) {
            try apply(#"{"a":{"b":1}}"#, #"[{"op":"move","from":"/a","path":"/a/b/c"}]"#)
        }
        // The failed patch changes nothing: operations apply to a copy.
        #expect(
            try apply(pod, #"[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"}]"#)
                == json(#"{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}"#))
    }

    @Test func malformedPatchesAreMalformed() {
        for patch in [
            #"{"op":"add"}"#, #"[{"path":"/a","value":1}]"#, #"[{"op":"jump","path":"/a"}]"#,
            #"[{"op":"add","path":"a","value":1}]"#, #"[{"op":"add","path":"/a"}]"#, #"[{"op":"move","path":"/a"}]"#,
            #"[{"op":"remove","path":"/a~2"}]"#,
        ] {
            do {
                _ = try JSONPatch(JSONValue.parse(patch))
                Issue.record("accepted \(patch)")
            } catch let error as PatchError {
                #expect(error.isMalformed, "\(patch)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func rfc6901Pointers() throws {
        let document = try json(
            #"{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}"#)
        #expect(try JSONPointer("").value(in: document) == document)
        #expect(try JSONPointer("/foo").value(in: document) == ["bar", "baz"])
        #expect(try JSONPointer("/foo/0").value(in: document) == "bar")
        #expect(try JSONPointer("/").value(in: document) == 0)
        #expect(try JSONPointer("/a~1b").value(in: document) == 1)
        #expect(try JSONPointer("/c%d").value(in: document) == 2)
        #expect(try JSONPointer("/e^f").value(in: document) == 3)
        #expect(try JSONPointer("/g|h").value(in: document) == 4)
        #expect(try JSONPointer(#"/i\j"#).value(in: document) == 5)
        #expect(try JSONPointer(#"/k"l"#).value(in: document) == 6)
        #expect(try JSONPointer("/ ").value(in: document) == 7)
        #expect(try JSONPointer("/m~0n").value(in: document) == 8)
        #expect(try JSONPointer("/foo/01").value(in: document) == nil)
        #expect(JSONPointer(tokens: ["a/b", "m~n"]).description == "/a~1b/m~0n")
        #expect(
            try JSONPointer("/spec/containers/0/image").fieldPath(in: ["spec": ["containers": [["image": "x"]]]])
                == "spec.containers[0].image")
    }
}
