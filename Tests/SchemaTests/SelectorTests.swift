import Testing

@testable import Schema

@Suite struct SelectorTests {
    @Test func parsesKubectlSyntax() throws {
        let selector = try LabelSelectorParser.parse(
            "app=web,tier!=db,env in (a,b),!legacy,release,zone==eu, track notin (canary)")
        #expect(selector.matchLabels == ["app": "web", "zone": "eu"])
        let expressions = selector.matchExpressions ?? []
        #expect(expressions.count == 5)
        #expect(expressions.contains(LabelSelectorRequirement(key: "tier", operator: "NotIn", values: ["db"])))
        #expect(expressions.contains(LabelSelectorRequirement(key: "env", operator: "In", values: ["a", "b"])))
        #expect(expressions.contains(LabelSelectorRequirement(key: "legacy", operator: "DoesNotExist")))
        #expect(expressions.contains(LabelSelectorRequirement(key: "release", operator: "Exists")))
        #expect(expressions.contains(LabelSelectorRequirement(key: "track", operator: "NotIn", values: ["canary"])))

        #expect(selector.matches(["app": "web", "zone": "eu", "env": "a", "release": "1", "tier": "fe"]))
        #expect(!selector.matches(["app": "web", "zone": "eu", "env": "a", "release": "1", "legacy": "x"]))
        #expect(!selector.matches(["app": "web", "zone": "eu", "env": "c", "release": "1"]))
        #expect(!selector.matches(["app": "web", "zone": "eu", "env": "a"]))
        #expect(!selector.matches(["app": "web", "zone": "eu", "env": "a", "release": "1", "tier": "db"]))
    }

    @Test func emptySelectorMatchesEverything() throws {
        #expect(try LabelSelectorParser.parse("").matches(["a": "b"]))
        #expect(LabelSelector().matches([:]))
    }

    @Test(arguments: [
        ("app=web,,tier=db", "','"), ("env in (a,b", "end of string"), ("app=web tier=db", "tier"),
        ("=web", "'='"), ("env in a", "'a'"),
    ])
    func reportsTheBadToken(text: String, token: String) {
        do {
            _ = try LabelSelectorParser.parse(text)
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.message.contains(token), "\(error.message)")
        }
    }

    @Test func rejectsInvalidKeys() {
        #expect(throws: SchemaError.self) { try LabelSelectorParser.parse("-bad=x") }
    }

    @Test func roundTripsThroughSelectorString() throws {
        let selector = try LabelSelectorParser.parse("app=web,env in (b,a),!legacy")
        #expect(selector.selectorString == "app=web,env in (a,b),!legacy")
        #expect(try LabelSelectorParser.parse(selector.selectorString).matches(["app": "web", "env": "a"]))
    }

    @Test func fieldSelectorMatchesJSONPaths() throws {
        let pod: JSONValue = [
            "metadata": ["name": "x", "namespace": "default"], "status": ["phase": "Pending"],
            "spec": ["nodeName": "n1", "priority": 5],
        ]
        #expect(try FieldSelector.parse("metadata.name=x,status.phase!=Running").matches(pod))
        #expect(try !FieldSelector.parse("metadata.name==y").matches(pod))
        #expect(try FieldSelector.parse("spec.priority=5").matches(pod))
        #expect(try FieldSelector.parse("spec.missing=").matches(pod))
        #expect(try !FieldSelector.parse("spec.nodeName=").matches(pod))
        #expect(try FieldSelector.parse("").matches(pod))
        #expect(throws: SchemaError.self) { try FieldSelector.parse("metadata.name") }
    }
}
