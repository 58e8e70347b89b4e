import Schema
import Testing

@testable import KubusCtl

@Suite struct TaintEditTests {
    @Test func parsesAddsAndRemovals() throws {
        let edit = try TaintEdit.parse(["dedicated=db:NoSchedule", "gpu:NoExecute", "old-", "spot:PreferNoSchedule-"])
        #expect(
            edit.add == [
                Taint(key: "dedicated", value: "db", effect: "NoSchedule"), Taint(key: "gpu", effect: "NoExecute"),
            ])
        #expect(edit.remove == [Taint(key: "old", effect: ""), Taint(key: "spot", effect: "PreferNoSchedule")])
    }

    @Test(arguments: [
        (["k=v"], "unknown taint spec: k=v"),
        (
            ["k=v:Sometimes"],
            "invalid taint effect: Sometimes, unsupported taint effect, must be one of: NoSchedule, PreferNoSchedule, NoExecute"
        ),
        (["a=b=c:NoSchedule"], "invalid taint spec: a=b=c:NoSchedule"),
        (["a:b:NoSchedule"], "invalid taint spec: a:b:NoSchedule"),
        (["k=v:NoSchedule", "k=w:NoSchedule"], "duplicated taints with the same key and effect: k=w:NoSchedule"),
        (["k:NoSchedule", "k-"], "can not both modify and remove the following taint(s) in the same command: k"),
        ([], "at least one taint update is required"),
    ])
    func rejectsWithKubectlsMessages(specs: [String], message: String) {
        #expect(throws: CtlError(message)) { try TaintEdit.parse(specs) }
    }

    @Test func rejectsInvalidKeysAndValues() {
        #expect(throws: CtlError.self) { try TaintEdit.parse(["-bad:NoSchedule"]) }
        #expect(throws: CtlError.self) { try TaintEdit.parse(["k=bad value:NoSchedule"]) }
        #expect(throws: Never.self) { try TaintEdit.parse(["example.com/gpu=a-1.b_2:NoSchedule"]) }
    }

    @Test func appliesAndReportsTheOperation() throws {
        let current = [Taint(key: "a", value: "1", effect: "NoSchedule"), Taint(key: "b", effect: "NoExecute")]
        let now = Time(rawValue: "2026-11-25T12:00:00Z")
        let added = try TaintEdit.parse(["c=3:NoExecute"]).apply(to: current, node: "n", overwrite: false, now: now)
        #expect(added.operation == .tainted)
        #expect(added.taints.last == Taint(key: "c", value: "3", effect: "NoExecute", timeAdded: now))
        let removed = try TaintEdit.parse(["a-"]).apply(to: current, node: "n", overwrite: false)
        #expect(removed.operation == .untainted && removed.taints == [current[1]])
        let both = try TaintEdit.parse(["a=2:NoSchedule", "b:NoExecute-"]).apply(
            to: current, node: "n", overwrite: true)
        #expect(both.operation == .modified && both.taints == [Taint(key: "a", value: "2", effect: "NoSchedule")])
    }

    @Test func refusesExistingWithoutOverwriteAndMissingRemovals() {
        let current = [Taint(key: "a", value: "1", effect: "NoSchedule")]
        #expect(throws: CtlError("node n already has a taint(s) with same effect(s) and --overwrite is false")) {
            try TaintEdit.parse(["a=2:NoSchedule"]).apply(to: current, node: "n", overwrite: false)
        }
        #expect(throws: CtlError("taint \"a:NoExecute\" not found")) {
            try TaintEdit.parse(["a:NoExecute-"]).apply(to: current, node: "n", overwrite: false)
        }
    }

    @Test func splitsNodesFromTaints() throws {
        let (names, specs) = try TaintCommand.split(["nodes", "n1", "n2", "k=v:NoSchedule", "x-"], all: false)
        #expect(names == ["n1", "n2"] && specs == ["k=v:NoSchedule", "x-"])
        #expect(try TaintCommand.split(["node/n1", "k:NoSchedule"], all: false).names == ["n1"])
        #expect(throws: CtlError("invalid resource type pods, only node types are supported")) {
            try TaintCommand.split(["pods", "p", "k:NoSchedule"], all: false)
        }
        #expect(throws: CtlError.self) { try TaintCommand.split(["nodes", "k:NoSchedule"], all: false) }
    }
}
