import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct ApplyPlannerTests {
    let config: JSONValue = [
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg", "namespace": "default"],
        "data": ["a": "1", "b": "2"],
    ]

    func live(from config: JSONValue) -> JSONValue {
        var live = ApplyPlanner.withLastApplied(config)
        live[path: ["metadata", "resourceVersion"]] = "42"
        live[path: ["metadata", "uid"]] = "u-1"
        live[path: ["metadata", "creationTimestamp"]] = "2026-01-01T00:00:00Z"
        return live
    }

    @Test func createsWhenAbsentWithLastApplied() throws {
        guard case .create(let object) = ApplyPlanner.plan(desired: config, live: nil) else {
            Issue.record("expected create")
            return
        }
        let stored = try #require(object[path: ["metadata", "annotations", ApplyPlanner.lastAppliedKey]]?.stringValue)
        #expect(try JSONValue.parse(stored) == config)
    }

    @Test func aSecretsValuesAreNotKeptInTheAnnotationYetARemovedKeyIsStillRemoved() throws {
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s", "namespace": "default"],
            "data": ["password": "czNjcjN0", "user": "YWRtaW4="], "stringData": ["token": "plain-token"],
        ]
        guard case .create(let created) = ApplyPlanner.plan(desired: secret, live: nil) else {
            Issue.record("expected create")
            return
        }
        let stored = try #require(created[path: ["metadata", "annotations", ApplyPlanner.lastAppliedKey]]?.stringValue)
        #expect(!stored.contains("czNjcjN0") && !stored.contains("YWRtaW4=") && !stored.contains("plain-token"))
        #expect(stored.contains("password") && stored.contains("token"))
        #expect(created["data"] == secret["data"])  // the object itself is as given
        // Dropping `user` from the configuration removes it from the live Secret, as a three-way merge should.
        var live = created
        live[path: ["metadata", "resourceVersion"]] = "7"
        var next = secret
        next["data"] = ["password": "bmV3"]
        guard case .update(let merged) = ApplyPlanner.plan(desired: next, live: live) else {
            Issue.record("expected update")
            return
        }
        #expect(merged["data"] == ["password": "bmV3"])
    }

    @Test func unchangedWhenTheSameConfigIsApplied() {
        #expect(ApplyPlanner.plan(desired: config, live: live(from: config)) == .unchanged)
    }

    @Test func unchangedIgnoresStatusAndServerMetadata() {
        var current = live(from: config)
        current["status"] = ["phase": "whatever"]
        current[path: ["metadata", "generation"]] = 7
        #expect(ApplyPlanner.plan(desired: config, live: current) == .unchanged)
    }

    @Test func configuredKeepsLiveVersionAndOtherFields() throws {
        var current = live(from: config)
        current[path: ["metadata", "labels"]] = ["added-by": "someone-else"]
        var changed = config
        changed[path: ["data", "a"]] = "10"
        guard case .update(let merged) = ApplyPlanner.plan(desired: changed, live: current) else {
            Issue.record("expected update")
            return
        }
        #expect(merged[path: ["data", "a"]] == "10")
        #expect(merged[path: ["metadata", "resourceVersion"]] == "42")
        #expect(merged[path: ["metadata", "labels", "added-by"]] == "someone-else")
    }

    @Test func fieldsDroppedFromTheConfigAreRemoved() {
        var smaller = config
        smaller["data"] = ["a": "1"]
        guard case .update(let merged) = ApplyPlanner.plan(desired: smaller, live: live(from: config)) else {
            Issue.record("expected update")
            return
        }
        #expect(merged["data"] == ["a": "1"])
    }

    @Test func normalizationHidesFieldsTheServerDrops() {
        // The config carries a field the schema does not know; the server drops it, so normalizing both
        // sides (as apply does with the kind's codec) makes the objects equal.
        var withUnknown = config
        withUnknown["extra"] = "ignored"
        var current = live(from: withUnknown)
        current["extra"] = nil
        let normalize: (JSONValue) -> JSONValue? = { object in
            var copy = object
            copy["extra"] = nil
            return copy
        }
        #expect(ApplyPlanner.plan(desired: withUnknown, live: current, normalize: normalize) == .unchanged)
        #expect(ApplyPlanner.plan(desired: withUnknown, live: current) != .unchanged)
    }

    @Test func threeWayPatchDeletesOnlyWhatWasApplied() {
        let patch = ApplyPlanner.threeWayPatch(
            original: ["spec": ["replicas": 2, "paused": false]], modified: ["spec": ["replicas": 3]])
        #expect(patch == ["spec": ["replicas": 3, "paused": nil]])
    }
}

@Suite struct MetadataEditTests {
    @Test func parsesSetsAndRemovals() throws {
        let edit = try MetadataEdit.parse(["app=web", "tier-", "empty="])
        #expect(edit.set == ["app": "web", "empty": ""])
        #expect(edit.remove == ["tier"])
    }

    @Test func rejectsBadArguments() {
        #expect(throws: CtlError.self) { try MetadataEdit.parse(["justakey"]) }
        #expect(throws: CtlError.self) { try MetadataEdit.parse([]) }
        #expect(throws: CtlError.self) { try MetadataEdit.parse(["a=1", "a-"]) }
    }

    @Test func patchNeedsOverwriteToChangeAValue() throws {
        let edit = try MetadataEdit.parse(["app=api", "old-"])
        #expect(throws: CtlError.self) {
            try edit.patch(field: "labels", current: ["app": "web"], overwrite: false)
        }
        let patch = try edit.patch(field: "labels", current: ["app": "web", "old": "x"], overwrite: true)
        #expect(patch == ["metadata": ["labels": ["app": "api", "old": nil]]])
    }

    @Test func patchIsNilWhenNothingChanges() throws {
        let edit = try MetadataEdit.parse(["app=web", "gone-"])
        #expect(try edit.patch(field: "annotations", current: ["app": "web"], overwrite: false) == nil)
    }

    @Test func splitsResourcesFromEdits() throws {
        let split = try MetadataEditRunner.split(["pods", "web", "app=x", "tier-"])
        #expect(split.resources == ["pods", "web"])
        #expect(split.edits == ["app=x", "tier-"])
        #expect(throws: CtlError.self) { try MetadataEditRunner.split(["app=x"]) }
    }
}

@Suite struct ManifestFilesTests {
    func withFolder(_ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubusctl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["b.yaml", "a.yml", "c.json", "notes.txt", "sub/d.yaml"] {
            _ = FileManager.default.createFile(atPath: root + "/" + name, contents: Data("kind: ConfigMap\n".utf8))
        }
        try body(root)
    }

    @Test func folderIsSortedAndFiltered() throws {
        try withFolder { root in
            let sources = try ManifestFiles.collect([root], recursive: false)
            #expect(sources == [.file(root + "/a.yml"), .file(root + "/b.yaml"), .file(root + "/c.json")])
        }
    }

    @Test func recursiveAndStdin() throws {
        try withFolder { root in
            let sources = try ManifestFiles.collect([root, "-"], recursive: true)
            #expect(sources.contains(.file(root + "/sub/d.yaml")))
            #expect(sources.last == .stdin)
            #expect(sources.count == 5)
        }
    }

    @Test func missingPath() {
        #expect(throws: CtlError.self) { try ManifestFiles.collect(["/no/such/kubus/path"], recursive: false) }
    }

    @Test func stdinDocuments() throws {
        let objects = try ManifestFiles.read(.stdin) {
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
        }
        #expect(objects.map { $0.object[path: ["metadata", "name"]] } == ["a", "b"])
        #expect(objects.allSatisfy { $0.source == "STDIN" })
    }

    @Test func malformedYAMLNamesDocumentAndLine() {
        do {
            _ = try ManifestFiles.parse(
                "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: [\n", source: "f.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("f.yaml"))
            #expect(error.message.contains("document 2"))
            #expect(error.message.contains("line"))
        }
    }

    @Test func unknownKindMessage() throws {
        let preparer = ManifestPreparer(namespace: "default", explicitNamespace: false)
        let item = ManifestObject(
            object: ["apiVersion": "v1", "kind": "Foo", "metadata": ["name": "x"]], source: "f.yaml")
        do {
            _ = try preparer.prepare(item)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.message.hasPrefix(
                    #"resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for kind "Foo" in version "v1""#
                ))
        }
    }

    @Test func namespaceDefaultsAndUnknownFields() throws {
        let preparer = ManifestPreparer(namespace: "dev", explicitNamespace: false)
        let item = ManifestObject(
            object: [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                "spec": [
                    "replicass": 3, "selector": ["matchLabels": ["app": "web"]],
                    "template": [
                        "metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "x"]]],
                    ],
                ],
            ],
            source: "d.yaml")
        let prepared = try preparer.prepare(item)
        #expect(prepared.namespace == "dev")
        #expect(prepared.object[path: ["metadata", "namespace"]] == "dev")
        #expect(prepared.unknownFields == ["spec.replicass"])
        #expect(WarningPrinter.unknownFields(prepared.unknownFields) == [#"unknown field "spec.replicass""#])
    }

    @Test func createBuilders() throws {
        let cm = try CreateBuilder.configMap("cfg", namespace: "default", literals: ["a=1", "b=x=y"], files: ["k=/f"]) {
            _ in
            Data("file".utf8)
        }
        #expect(cm["data"] == ["a": "1", "b": "x=y", "k": "file"])
        let secret = try CreateBuilder.secret("s", namespace: "default", type: nil, literals: ["p=pw"], files: [])
        #expect(secret[path: ["data", "p"]] == "cHc=")
        #expect(secret["type"] == "Opaque")
        let deploy = try CreateBuilder.deployment(
            "web", namespace: "default", images: ["docker.io/nginx:1.25"], replicas: 2, port: nil)
        #expect(deploy[path: ["spec", "template", "spec", "containers", "0", "name"]] == "nginx")
        #expect(deploy[path: ["spec", "selector", "matchLabels"]] == ["app": "web"])
        #expect(throws: CtlError.self) { try CreateBuilder.literal("novalue") }
    }
}
