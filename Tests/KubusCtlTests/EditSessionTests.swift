import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct EditSessionTests {
    let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "namespace": "default", "resourceVersion": "7"],
        "spec": ["replicas": 1],
    ]

    func text(_ action: EditSession.Action) -> String {
        if case .edit(let text) = action { return text }
        Issue.record("expected .edit, got \(action)")
        return ""
    }

    @Test func opensTheObjectUnderKubectlsHeader() {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        #expect(first.hasPrefix("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"))
        #expect(first.contains("kind: Deployment\n"))
        #expect(first.contains("resourceVersion: \"7\"\n"))
    }

    @Test func savesTheEditedObjectWithItsVersion() throws {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        let action = session.edited(first.replacingOccurrences(of: "replicas: 1", with: "replicas: 3"))
        guard case .save(let objects) = action else {
            Issue.record("\(action)")
            return
        }
        #expect(objects.count == 1)
        #expect(objects[0][path: ["spec", "replicas"]] == 3)
        #expect(objects[0][path: ["metadata", "resourceVersion"]] == "7")
        #expect(session.saved([.saved(objects[0])]) == .done(["deployment.apps/web edited"]))
    }

    @Test func unchangedOrEmptyCancels() {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        #expect(session.edited(first) == .done(["Edit cancelled, no changes made."]))
        var empty = EditSession(objects: [deployment])
        _ = empty.start()
        #expect(empty.edited("# only comments\n\n") == .done(["Edit cancelled, no changes made."]))
    }

    @Test func aFailedSaveReopensWithTheErrorsAndGivingUpFails() {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        guard
            case .save(let objects) = session.edited(
                first.replacingOccurrences(of: "replicas: 1", with: "replicas: -1"))
        else {
            Issue.record("expected a save")
            return
        }
        let error = APIError.invalid(
            .deployment, "web", [.invalid("spec.replicas", -1, "must be greater than or equal to 0")])
        let lines = EditSession.failureLines(objects[0], error)
        #expect(
            lines == [
                "deployments.apps \"web\" was not valid:",
                "* spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ])
        let reopened = text(session.saved([.failed(objects[0], lines)]))
        #expect(reopened.contains("#\n# deployments.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1"))
        #expect(reopened.contains("replicas: -1"))
        // Saving it again unchanged gives up, keeping a copy.
        guard case .fail(let message, let kept) = session.edited(reopened) else {
            Issue.record("expected a failure")
            return
        }
        #expect(message == "Edit cancelled, no valid changes were saved.")
        #expect(kept == reopened)
    }

    @Test func aFixAfterAnErrorIsSaved() {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        guard
            case .save(let objects) = session.edited(
                first.replacingOccurrences(of: "replicas: 1", with: "replicas: -1"))
        else {
            Issue.record("expected a save")
            return
        }
        let reopened = text(session.saved([.failed(objects[0], ["conflict"])]))
        guard
            case .save(let fixed) = session.edited(
                reopened.replacingOccurrences(of: "replicas: -1", with: "replicas: 2"))
        else {
            Issue.record("expected a save")
            return
        }
        #expect(fixed[0][path: ["spec", "replicas"]] == 2)
    }

    @Test func syntaxErrorsAndRenamesReopen() {
        var session = EditSession(objects: [deployment])
        let first = text(session.start())
        let broken = text(session.edited(first + "\n  : : [\n"))
        #expect(broken.contains("# The edited file had a syntax error: "))
        var renamed = EditSession(objects: [deployment])
        let again = text(renamed.start())
        let rename = text(renamed.edited(again.replacingOccurrences(of: "name: web", with: "name: other")))
        #expect(rename.contains("# At least one of apiVersion, kind and name was changed"))
    }

    @Test func severalObjectsAreEditedAsAList() {
        var other = deployment
        other[path: ["metadata", "name"]] = "api"
        var session = EditSession(objects: [deployment, other])
        let first = text(session.start())
        #expect(first.contains("kind: List"))
        guard
            case .save(let objects) = session.edited(first.replacingOccurrences(of: "replicas: 1", with: "replicas: 4"))
        else {
            Issue.record("expected a save")
            return
        }
        #expect(objects.count == 2)
    }

    @Test func editorCommandLines() {
        #expect(EditorLauncher.command(for: "/tmp/f.yaml", environment: [:]) == ["vi", "/tmp/f.yaml"])
        #expect(
            EditorLauncher.command(for: "/tmp/f.yaml", environment: ["EDITOR": "nano", "KUBE_EDITOR": "vim"])
                == ["vim", "/tmp/f.yaml"])
        #expect(
            EditorLauncher.command(for: "/tmp/f.yaml", environment: ["EDITOR": "code --wait"])
                == ["/bin/sh", "-c", "code --wait '/tmp/f.yaml'"])
    }

    @Test func theEditorIsRunOnTheFile() throws {
        let folder = NSTemporaryDirectory() + "kubusctl-edit-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/editor.sh"
        try Data("#!/bin/sh\nsed -i 's/replicas: 1/replicas: 5/' \"$1\"\n".utf8).write(to: URL(fileURLWithPath: script))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let file = folder + "/object.yaml"
        try Data("spec:\n  replicas: 1\n".utf8).write(to: URL(fileURLWithPath: file))
        try EditorLauncher.launch(file, environment: ["EDITOR": script, "PATH": "/usr/bin:/bin"])
        #expect(
            String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
                == "spec:\n  replicas: 5\n")
        #expect(throws: CtlError.self) { try EditorLauncher.launch(file, environment: ["EDITOR": "/bin/false"]) }
    }
}
