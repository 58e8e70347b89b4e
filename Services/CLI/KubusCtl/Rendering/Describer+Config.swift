import Foundation
import Schema

extension Describer {
    /// Sizes of the values, never the values (kubectl's secret describer).
    static func secret(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.line("")
        w.line("Type:  \(o.str("type") ?? "Opaque")")
        w.line("")
        w.line("Data")
        w.line("====")
        var sizes: [String: Int] = [:]
        for (key, value) in o.at("data")?.objectValue ?? [:] {
            sizes[key] = Data(base64Encoded: value.stringValue ?? "")?.count ?? (value.stringValue ?? "").utf8.count
        }
        for (key, value) in o.at("stringData")?.objectValue ?? [:] { sizes[key] = (value.stringValue ?? "").utf8.count }
        let width = (sizes.keys.map(\.count).max() ?? 0) + 3
        for key in sizes.keys.sorted() {
            w.line((key + ":").padding(toLength: width, withPad: " ", startingAt: 0) + "\(sizes[key]!) bytes")
        }
    }

    static func serviceAccount(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        let pullSecrets = o.list("imagePullSecrets").map(\.name)
        w.list("Image pull secrets", pullSecrets)
        w.list("Mountable secrets", o.list("secrets").map(\.name))
        w.field("Tokens", "<none>")
    }

    /// kubectl's namespace layout: status, then the namespace's quotas and limit ranges (`related`).
    static func namespace(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        metadata(o, &w)
        w.field("Status", o.str("status.phase") ?? "Active")
        w.line("")
        if related.quotas.isEmpty {
            w.line("No resource quota.")
        } else {
            w.line("Resource Quotas")
            for quota in related.quotas {
                w.line("  Name:\t\(quota.name)")
                for line in quotaTable(quota).lines(padding: 2, minWidth: 0) { w.line("  " + line) }
            }
        }
        w.line("")
        if related.limitRanges.isEmpty {
            w.line("No LimitRange resource.")
        } else {
            w.line("Resource Limits")
            for range in related.limitRanges {
                for line in limitTable(range).lines(padding: 2, minWidth: 0) { w.line(" " + line) }
            }
        }
    }

    /// kubectl's quota layout: each resource's use against its hard limit.
    static func resourceQuota(_ o: JSONValue, _ w: inout Writer) {
        for line in quotaTable(o).lines(padding: 2, minWidth: 0) { w.line(line) }
    }

    static func quotaTable(_ o: JSONValue) -> Table {
        let hard = o.at("status.hard")?.objectValue ?? o.at("spec.hard")?.objectValue ?? [:]
        let used = o.at("status.used")?.objectValue ?? [:]
        var table = Table(columns: ["Resource", "Used", "Hard"])
        table.rows = [["--------", "----", "----"]]
        for key in hard.keys.sorted() {
            table.rows.append([key, used[key]?.plainText ?? "0", hard[key]?.plainText ?? ""])
        }
        return table
    }

    /// kubectl's LimitRange layout: one row per item type and resource.
    static func limitRange(_ o: JSONValue, _ w: inout Writer) {
        for line in limitTable(o).lines(padding: 2, minWidth: 0) { w.line(line) }
    }

    static func limitTable(_ o: JSONValue) -> Table {
        var table = Table(columns: [
            "Type", "Resource", "Min", "Max", "Default Request", "Default Limit", "Max Limit/Request Ratio",
        ])
        table.rows = [
            ["----", "--------", "---", "---", "---------------", "-------------", "-----------------------"]
        ]
        for item in o.list("spec.limits") {
            let fields = ["min", "max", "defaultRequest", "default", "maxLimitRequestRatio"]
            let lists = fields.map { item.at($0)?.objectValue ?? [:] }
            let resources = Set(lists.flatMap(\.keys)).sorted()
            for resource in resources {
                table.rows.append(
                    [item.str("type") ?? "", resource] + lists.map { $0[resource]?.plainText ?? "-" })
            }
        }
        return table
    }

    static func role(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.line("PolicyRule:")
        var table = Table(columns: ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"])
        table.rows = [["---------", "-----------------", "--------------", "-----"]]
        for rule in o.list("rules") {
            func list(_ key: String) -> String { "[" + rule.list(key).map(\.plainText).joined(separator: " ") + "]" }
            let groups = rule.list("apiGroups").map(\.plainText)
            let resources = rule.list("resources").map(\.plainText).flatMap { resource in
                groups.isEmpty ? [resource] : groups.map { $0.isEmpty ? resource : "\(resource).\($0)" }
            }
            for resource in resources.isEmpty ? [""] : resources {
                table.rows.append([resource, list("nonResourceURLs"), list("resourceNames"), list("verbs")])
            }
        }
        for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
    }

    static func roleBinding(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.line("Role:")
        w.line("  Kind:  \(o.str("roleRef.kind") ?? "")")
        w.line("  Name:  \(o.str("roleRef.name") ?? "")")
        w.line("Subjects:")
        var table = Table(columns: ["Kind", "Name", "Namespace"])
        table.rows =
            [["----", "----", "---------"]]
            + o.list("subjects").map { [$0.str("kind") ?? "", $0.name, $0.str("namespace") ?? ""] }
        for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
    }
}
