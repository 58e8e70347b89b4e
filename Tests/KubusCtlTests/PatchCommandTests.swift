import ArgumentParser
import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct PatchCommandTests {
    @Test func patchDocumentsAreJSONOrYAML() throws {
        #expect(
            try PatchCommand.patchDocument(patch: #"{"spec":{"replicas":3}}"#, patchFile: nil, type: "strategic")
                == ["spec": ["replicas": 3]])
        #expect(
            try PatchCommand.patchDocument(patch: "spec:\n  replicas: 3", patchFile: nil, type: "merge")
                == ["spec": ["replicas": 3]])
        let file = try PatchCommand.patchDocument(
            patch: nil, patchFile: "p.yaml", type: "JSON", read: { _ in Data("- op: remove\n  path: /spec/x\n".utf8) })
        #expect(file == [["op": "remove", "path": "/spec/x"]])
    }

    @Test func kubectlsValidationMessages() {
        #expect(throws: CtlError("cannot specify --patch and --patch-file together")) {
            try PatchCommand.patchDocument(patch: "{}", patchFile: "f", type: "merge")
        }
        #expect(throws: CtlError("must specify --patch or --patch-file containing the contents of the patch")) {
            try PatchCommand.patchDocument(patch: nil, patchFile: nil, type: "merge")
        }
        #expect(throws: CtlError("--type must be one of [json merge strategic], not \"apply\"")) {
            try PatchCommand.patchDocument(patch: "{}", patchFile: nil, type: "apply")
        }
        #expect(throws: CtlError("unable to read patch file: open nope.yaml: no such file or directory")) {
            try PatchCommand.patchDocument(patch: nil, patchFile: "nope.yaml", type: "merge", read: { _ in nil })
        }
        #expect(throws: CtlError.self) { try PatchCommand.patchDocument(patch: "a: [", patchFile: nil, type: "merge") }
    }

    @Test func clientDryRunAppliesEachTypeLocally() throws {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": [
                "template": ["spec": ["containers": [["name": "a", "image": "x"], ["name": "b", "image": "y"]]]]
            ],
        ]
        let strategic = try PatchCommand.applyLocally(
            ["spec": ["template": ["spec": ["containers": [["name": "b", "image": "z"]]]]]], type: "strategic",
            to: deployment, kind: "Deployment")
        #expect(strategic[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 2)
        let merge = try PatchCommand.applyLocally(
            ["spec": ["template": ["spec": ["containers": [["name": "b", "image": "z"]]]]]], type: "merge",
            to: deployment, kind: "Deployment")
        #expect(merge[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        let json = try PatchCommand.applyLocally(
            [["op": "replace", "path": "/spec/template/spec/containers/1/image", "value": "z"]], type: "json",
            to: deployment, kind: "Deployment")
        #expect(json[path: ["spec", "template", "spec", "containers", "1", "image"]] == "z")
        #expect(throws: CtlError.self) {
            try PatchCommand.applyLocally(
                [["op": "remove", "path": "/nope"]], type: "json", to: deployment, kind: "Deployment")
        }
    }

    @Test func printsPatchedOrNoChange() throws {
        let object: JSONValue = ["kind": "Deployment", "metadata": ["name": "web", "resourceVersion": "5"]]
        #expect(PatchCommand.operation(before: object, after: object) == "patched (no change)")
        var changed = object
        changed[path: ["metadata", "resourceVersion"]] = "6"
        #expect(PatchCommand.operation(before: object, after: changed) == "patched")
        #expect(
            try ObjectPrinter.print(changed, info: .deployment, operation: "patched", output: nil)
                == "deployment.apps/web patched\n")
        #expect(
            try ObjectPrinter.print(changed, info: .deployment, operation: "patched", output: "name")
                == "deployment.apps/web\n")
        #expect(
            try ObjectPrinter.print(changed, info: .deployment, operation: "patched", output: "yaml")
                .hasPrefix("kind: Deployment\n"))
        #expect(throws: CtlError.self) {
            try ObjectPrinter.print(changed, info: .deployment, operation: "x", output: "wide")
        }
    }

    @Test func parsesKubectlsFlags() throws {
        let command = try PatchCommand.parse([
            "deploy", "web", "-p", "{}", "--type", "merge", "--dry-run=client", "-o", "yaml",
        ])
        #expect(command.patch == "{}")
        #expect(command.type == "merge")
        #expect(command.dryRun == .client)
        #expect(command.arguments == ["deploy", "web"])
    }

    @Test func versionPrintsClientAndServer() throws {
        let server: JSONValue = ["major": "1", "minor": "31", "gitVersion": "v1.31.0-kubus"]
        let text = VersionCommand.render(client: VersionCommand.clientInfo, server: server, output: nil)
        #expect(text == "Client Version: v1.31.0-kubus\nServer Version: v1.31.0-kubus\n")
        #expect(
            VersionCommand.render(client: VersionCommand.clientInfo, server: nil, output: nil)
                == "Client Version: v1.31.0-kubus\n")
        let json = try JSONValue.parse(
            VersionCommand.render(client: VersionCommand.clientInfo, server: server, output: "json"))
        #expect(json[path: ["clientVersion", "major"]] == "1")
        #expect(json[path: ["serverVersion", "gitVersion"]] == "v1.31.0-kubus")
    }
}
