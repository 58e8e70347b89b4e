import ArgumentParser
import Foundation
import Schema
import Testing

@testable import KubusCtl

@Suite struct CustomColumnsTests {
    func pod(_ name: String, image: String, restarts: Int64, created: String, labels: JSONValue = [:]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": "default", "creationTimestamp": .string(created), "labels": labels,
            ],
            "spec": ["containers": [["name": "app", "image": .string(image)], ["name": "side", "image": "busybox"]]],
            "status": ["phase": "Running", "containerStatuses": [["name": "app", "restartCount": .int(restarts)]]],
        ]
    }

    var pods: [JSONValue] {
        [
            pod(
                "web-10", image: "nginx", restarts: 3, created: "2024-01-03T00:00:00Z",
                labels: ["app": "web", "tier": "front"]),
            pod("web-2", image: "nginx:1.27", restarts: 0, created: "2024-01-01T00:00:00Z", labels: ["app": "web"]),
            pod("api-1", image: "python", restarts: 12, created: "2024-01-02T00:00:00Z"),
        ]
    }

    func render(_ output: String?, sortBy: String? = nil, options: TableOptions = TableOptions()) throws -> String {
        try GetRenderer.render(
            [.init(info: .pod, objects: pods, named: false)], output: output, options: options, sortBy: sortBy)
    }

    @Test func customColumnsFromASpec() throws {
        let text = try render("custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:.spec.nodeName")
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "NAME     IMAGES               NODE")
        #expect(lines[1] == "web-10   nginx,busybox        <none>")
        #expect(lines[2] == "web-2    nginx:1.27,busybox   <none>")
        // Braces and a missing leading dot are accepted; --no-headers drops the header.
        let bare = try render("custom-columns=N:{.metadata.name}", options: TableOptions(headers: false))
        #expect(bare == "web-10\nweb-2\napi-1\n")
        #expect(try render("custom-columns=N:metadata.name").hasPrefix("N\nweb-10\n"))
        // Maps and lists print as Go prints them.
        let labels = try render("custom-columns=L:.metadata.labels")
        #expect(labels.split(separator: "\n")[1] == "map[app:web tier:front]")
    }

    @Test func customColumnsErrorsAreKubectls() {
        #expect(throws: CtlError("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>")) {
            try render("custom-columns=NAME")
        }
        #expect(throws: CtlError("custom-columns format specified but no custom columns given")) {
            try render("custom-columns=")
        }
        #expect(throws: CtlError("number of headers (2) and field specifications (1) don't match")) {
            try CustomColumns(template: "NAME IMAGE\n.metadata.name\n")
        }
    }

    @Test func customColumnsFromAFile() throws {
        let template = "NAME          RESTARTS\nmetadata.name .status.containerStatuses[0].restartCount\n"
        let format = try OutputFormat("custom-columns-file=cols.txt", read: { _ in Data(template.utf8) })
        #expect(format == .customColumnsTemplate(template))
        let text = try CustomColumns(template: template).table(pods).render()
        #expect(text.split(separator: "\n")[3] == "api-1    12")
        #expect(throws: CtlError.self) { try OutputFormat("custom-columns-file=missing", read: { _ in nil }) }
    }

    @Test func sortByNamesInNaturalOrderAndNumbersByValue() throws {
        let byName = try SortBy.sort(pods, by: ".metadata.name").map(\.name)
        #expect(byName == ["api-1", "web-2", "web-10"])
        let byRestarts = try SortBy.sort(pods, by: "{.status.containerStatuses[0].restartCount}").map(\.name)
        #expect(byRestarts == ["web-2", "web-10", "api-1"])
        let byAge = try SortBy.sort(pods, by: "metadata.creationTimestamp").map(\.name)
        #expect(byAge == ["web-2", "api-1", "web-10"])
        // Objects without the field come first; no object with it is an error.
        let byTier = try SortBy.sort(pods, by: ".metadata.labels.tier").map(\.name)
        #expect(byTier.last == "web-10")
        #expect(throws: CtlError("couldn't find any field with path \"{.spec.nope}\" in the list of objects")) {
            try SortBy.sort(pods, by: ".spec.nope")
        }
        let table = try render(nil, sortBy: ".metadata.name")
        #expect(
            table.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first! } == [
                "api-1", "web-2", "web-10",
            ])
    }

    @Test func naturalOrder() {
        #expect(SortBy.naturalLess("web-2", "web-10"))
        #expect(!SortBy.naturalLess("web-10", "web-2"))
        #expect(SortBy.naturalLess("a", "b"))
        #expect(SortBy.naturalLess("a1", "a01"))
        #expect(SortBy.naturalLess("1a", "a"))
        #expect(SortBy.naturalLess("abc", "abcd"))
    }

    @Test func labelColumns() throws {
        let options = TableOptions(showLabels: true, labelColumns: ["app", "app.kubernetes.io/tier", "tier"])
        let table = ResourceTable.table(
            pods, info: .pod, options: options, now: Date(timeIntervalSince1970: 1_704_326_400))
        #expect(table.columns == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "APP", "TIER", "TIER", "LABELS"])
        #expect(Array(table.rows[0].suffix(4)) == ["web", "", "front", "app=web,tier=front"])
        #expect(Array(table.rows[2].suffix(4)) == ["", "", "", "<none>"])
        let parsed = try GetCommand.parse(["pods", "-L", "app,tier", "-L", "zone", "--sort-by", ".metadata.name"])
        #expect(parsed.tableOptions.labelColumns == ["app", "tier", "zone"])
        #expect(parsed.sortBy == ".metadata.name")
    }
}

@Suite struct DeleteOptionsTests {
    @Test func gracePeriodAsKubectlCompletesIt() throws {
        #expect(try DeleteCommand.effectiveGracePeriod(-1, force: false, now: false).seconds == nil)
        #expect(try DeleteCommand.effectiveGracePeriod(0, force: false, now: false).seconds == 1)
        #expect(try DeleteCommand.effectiveGracePeriod(5, force: false, now: false).seconds == 5)
        #expect(try DeleteCommand.effectiveGracePeriod(-1, force: false, now: true).seconds == 1)
        let forced = try DeleteCommand.effectiveGracePeriod(-1, force: true, now: false)
        #expect(forced.seconds == 0)
        #expect(
            forced.warning == "Immediate deletion does not wait for confirmation that the running resource has "
                + "been terminated. The resource may continue to run on the cluster indefinitely.")
        #expect(try DeleteCommand.effectiveGracePeriod(0, force: true, now: false).seconds == 0)
        #expect(throws: CtlError("--force and --grace-period greater than 0 cannot be specified together")) {
            try DeleteCommand.effectiveGracePeriod(5, force: true, now: false)
        }
        #expect(throws: CtlError("--now and --grace-period cannot be specified together")) {
            try DeleteCommand.effectiveGracePeriod(3, force: false, now: true)
        }
        let parsed = try DeleteCommand.parse(["pod", "web", "--grace-period", "0", "--force", "-l", "a=b"])
        #expect(parsed.force && parsed.gracePeriod == 0 && parsed.selector == "a=b")
    }
}
