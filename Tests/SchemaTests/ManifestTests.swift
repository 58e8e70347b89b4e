import Testing

@testable import Schema

@Suite struct ManifestTests {
    @Test func parsesMultipleDocumentsAndLists() throws {
        let yaml = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              enabled: "true"
              version: "1.0"
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Namespace
              metadata: {name: a}
            - apiVersion: v1
              kind: Namespace
              metadata: {name: b}
            """
        let documents = try Manifest.parse(yaml: yaml, source: "all.yaml")
        #expect(documents.count == 3)
        #expect(documents[0]["data"]?["enabled"] == .string("true"))
        #expect(documents[0]["data"]?["version"] == .string("1.0"))
        #expect(documents[2][path: ["metadata", "name"]] == .string("b"))
    }

    @Test func convertsScalarsLikeKubernetes() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              creationTimestamp: 2026-11-25T10:00:00Z
            spec:
              hostNetwork: true
              priority: 10
              ratio: 0.25
              quoted: "10"
              mode: 0644
              empty:
              word: yes
            """
        let pod = try #require(try Manifest.parse(yaml: yaml, source: "pod.yaml").first)
        #expect(pod[path: ["spec", "hostNetwork"]] == .bool(true))
        #expect(pod[path: ["spec", "priority"]] == .int(10))
        #expect(pod[path: ["spec", "ratio"]] == .double(0.25))
        #expect(pod[path: ["spec", "quoted"]] == .string("10"))
        #expect(pod[path: ["spec", "mode"]] == .int(420))
        #expect(pod[path: ["spec", "empty"]] == .null)
        #expect(pod[path: ["spec", "word"]] == .bool(true))
        #expect(pod[path: ["metadata", "creationTimestamp"]] == .string("2026-11-25T10:00:00Z"))
    }

    @Test func acceptsJSON() throws {
        let documents = try Manifest.parse(
            yaml: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}"#, source: "ns.json")
        #expect(documents.first?["kind"] == .string("Namespace"))
    }

    @Test func malformedYAMLNamesSourceDocumentAndLine() {
        let yaml = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: app: web
            """
        do {
            _ = try Manifest.parse(yaml: yaml, source: "deploy.yaml")
            Issue.record("should fail")
        } catch {
            #expect(
                error.message.hasPrefix("error parsing deploy.yaml: document 2: line 10, column "), "\(error.message)")
            #expect(error.message.contains("mapping values are not allowed"), "\(error.message)")
        }
    }

    @Test func missingKindIsNamed() {
        do {
            _ = try Manifest.parse(yaml: "apiVersion: v1\nmetadata:\n  name: x\n", source: "x.yaml")
            Issue.record("should fail")
        } catch {
            #expect(error.message == #"error parsing x.yaml: document 1: "kind" is not set"#)
        }
        do {
            _ = try Manifest.parse(yaml: "kind: Pod\n", source: "x.yaml")
            Issue.record("should fail")
        } catch {
            #expect(error.message == #"error parsing x.yaml: document 1: "apiVersion" is not set"#)
        }
    }

    @Test func printsYAMLInKubectlOrderAndReadsItBack() throws {
        let object: JSONValue = [
            "status": ["phase": "Active"], "zeta": "last",
            "data": ["a": "true", "b": "1.0", "c": "line1\nline2\n", "d": ""],
            "metadata": ["name": "x", "labels": ["app": "web"]], "kind": "ConfigMap", "apiVersion": "v1",
            "list": [["name": "a", "port": 80], "plain", [1, 2], []], "empty": [:],
        ]
        let yaml = Manifest.yaml(from: object)
        #expect(yaml.hasPrefix("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"))
        #expect(yaml.contains("a: \"true\""))
        #expect(yaml.contains("b: \"1.0\""))
        let lines = yaml.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map {
            String($0.split(separator: ":")[0])
        }
        #expect(lines == ["apiVersion", "kind", "metadata", "status", "data", "empty", "list", "zeta"])
        let back = try Manifest.parse(yaml: yaml, source: "printed")
        #expect(back == [object])
    }
}

@Suite struct ManifestDocumentTests {
    @Test func oneDocumentAsItIs() throws {
        #expect(try Manifest.document(yaml: "spec:\n  replicas: 3\n", source: "p") == ["spec": ["replicas": 3]])
        #expect(
            try Manifest.document(yaml: #"[{"op":"remove","path":"/a"}]"#, source: "p") == [
                ["op": "remove", "path": "/a"]
            ])
        #expect(
            try Manifest.document(yaml: "- op: add\n  path: /a\n  value: 1\n", source: "p")
                == [["op": "add", "path": "/a", "value": 1]])
        #expect(try Manifest.document(yaml: "", source: "p") == .null)
        #expect(throws: SchemaError.self) { try Manifest.document(yaml: "a: [", source: "p") }
    }
}

/// What the `yaml` fuzz target found (docs/fuzzing.md): YAML that a manifest cannot hold and that would make
/// parsing unbounded is refused before Yams composes it, naming the line.
@Suite struct ManifestLimitsTests {
    static func refusal(_ yaml: String) -> String? {
        do {
            _ = try Manifest.parse(yaml: yaml, source: "m.yaml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func complexKeysAreRefused() {
        #expect(
            Self.refusal("? [a, b]\n: c\n")
                == "error parsing m.yaml: line 1: a mapping key must be a string, not a mapping or a sequence")
        #expect(Self.refusal("x:\n  {a: 1}: b\n")?.contains("line 2: a mapping key must be a string") == true)
        #expect(Self.refusal("x: &k [1]\n*k : 2\n")?.contains("line 2: a mapping key must be a string") == true)
        // Nested explicit keys with duplicates, the input that hung Yams' duplicate check.
        let hostile = String(repeating: "? - ", count: 40) + "a\n: b\n"
        #expect(Self.refusal(hostile + hostile)?.contains("a mapping key must be a string") == true)
    }

    @Test func aliasesThatExplodeAndDeepNestingAreRefused() {
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let items = Array(repeating: "*\(level == 1 ? "a" : "l\(level - 1)")", count: 10).joined(separator: ", ")
            laughs += "l\(level): &l\(level) [\(items)]\n"
        }
        #expect(Self.refusal(laughs)?.contains("aliases expand the document to more than 4000000 nodes") == true)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(Self.refusal("a: " + deep + "\n")?.contains("nested deeper than 256 levels") == true)
    }

    @Test func ordinaryAnchorsAndKeysStillWork() throws {
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: &m {name: a, labels: {"app": web}}
            data:
              ? plain
              : "explicit scalar keys are strings"
              copy: *m
            """
        let parsed = try Manifest.parse(yaml: yaml, source: "m")
        #expect(parsed.first?[path: ["data", "plain"]] == "explicit scalar keys are strings")
        #expect(parsed.first?[path: ["data", "copy", "name"]] == "a")
    }
}
