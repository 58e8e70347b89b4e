import Foundation
import Schema

/// `kubectl describe`-style text for an object and its events.
public enum Describer {
    /// The description of `object`; `events` are the Event objects about it.
    /// For a node, `related` holds its Lease and the pods bound to it.
    public static func describe(
        _ object: JSONValue, events: [JSONValue], related: DescribeRelated = DescribeRelated(), now: Date = Date()
    ) -> String {
        var w = Writer()
        w.field("Name", object.name)
        if !object.namespace.isEmpty { w.field("Namespace", object.namespace) }
        switch object.kindName {
        case "Pod": pod(object, &w, now)
        case "Deployment": deployment(object, &w)
        case "Service": service(object, &w)
        case "Node": node(object, &w, related, now)
        case "ConfigMap": configMap(object, &w)
        default: generic(object, &w)
        }
        eventsSection(events, &w, now)
        return w.text
    }

    /// The events about `object` among `events`, oldest first.
    public static func events(about object: JSONValue, in events: [JSONValue]) -> [JSONValue] {
        let uid = object.str("metadata.uid")
        return events.filter { event in
            event.str("involvedObject.kind") == object.kindName && event.str("involvedObject.name") == object.name
                && (uid == nil || event.str("involvedObject.uid") == nil || event.str("involvedObject.uid") == uid)
        }.sorted { lastSeen($0) < lastSeen($1) }
    }

    static func lastSeen(_ event: JSONValue) -> String {
        event.str("lastTimestamp") ?? event.str("eventTime") ?? event.str("metadata.creationTimestamp") ?? ""
    }

    struct Writer {
        var text = ""

        mutating func field(_ name: String, _ value: String, indent: Int = 0) {
            let label = String(repeating: " ", count: indent) + name + ":"
            let padded = label.count < 24 ? label + String(repeating: " ", count: 24 - label.count) : label + "  "
            text += padded + value + "\n"
        }

        mutating func map(_ name: String, _ values: [String: String], indent: Int = 0) {
            let sorted = values.sorted { $0.key < $1.key }
            guard let first = sorted.first else {
                field(name, "<none>", indent: indent)
                return
            }
            field(name, "\(first.key)=\(first.value)", indent: indent)
            for (key, value) in sorted.dropFirst() {
                text += String(repeating: " ", count: 24) + "\(key)=\(value)\n"
            }
        }

        mutating func line(_ text: String) { self.text += text + "\n" }
    }

    static func metadata(_ o: JSONValue, _ w: inout Writer) {
        w.map("Labels", o.stringMap("metadata.labels"))
        var annotations = o.stringMap("metadata.annotations")
        annotations[ApplyPlanner.lastAppliedKey] = nil
        w.map("Annotations", annotations)
    }

    static func deployment(_ o: JSONValue, _ w: inout Writer) {
        w.field("CreationTimestamp", o.str("metadata.creationTimestamp").flatMap(rfc1123) ?? "<unset>")
        metadata(o, &w)
        w.field("Selector", selectorText(o.stringMap("spec.selector.matchLabels")) ?? "<none>")
        let desired = o.int("spec.replicas") ?? 1
        let total = o.int("status.replicas") ?? 0
        let updated = o.int("status.updatedReplicas") ?? 0
        let available = o.int("status.availableReplicas") ?? 0
        w.field(
            "Replicas",
            "\(desired) desired | \(updated) updated | \(total) total | \(available) available | "
                + "\(o.int("status.unavailableReplicas") ?? max(0, total - available)) unavailable")
        w.field("StrategyType", o.str("spec.strategy.type") ?? "RollingUpdate")
        w.field("MinReadySeconds", String(o.int("spec.minReadySeconds") ?? 0))
        if (o.str("spec.strategy.type") ?? "RollingUpdate") == "RollingUpdate" {
            let surge = o.at("spec.strategy.rollingUpdate.maxSurge")?.plainText ?? "25%"
            let unavailable = o.at("spec.strategy.rollingUpdate.maxUnavailable")?.plainText ?? "25%"
            w.field("RollingUpdateStrategy", "\(unavailable) max unavailable, \(surge) max surge")
        }
        w.line("Pod Template:")
        w.map("  Labels", o.stringMap("spec.template.metadata.labels"))
        w.line("  Containers:")
        for container in o.list("spec.template.spec.containers") {
            w.line("   \(container.name):")
            w.field("Image", container.str("image") ?? "", indent: 4)
            let ports = container.list("ports").map { "\($0.int("containerPort") ?? 0)/\($0.str("protocol") ?? "TCP")" }
            w.field("Port", ports.isEmpty ? "<none>" : ports.joined(separator: ", "), indent: 4)
        }
        let conditions = o.list("status.conditions")
        if !conditions.isEmpty {
            w.line("Conditions:")
            var table = Table(columns: ["Type", "Status", "Reason"])
            table.rows = conditions.map { [$0.str("type") ?? "", $0.str("status") ?? "", $0.str("reason") ?? ""] }
            for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        }
    }

    static func service(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("Selector", selectorText(o.stringMap("spec.selector")) ?? "<none>")
        w.field("Type", o.str("spec.type") ?? "ClusterIP")
        w.field("IP Family Policy", o.str("spec.ipFamilyPolicy") ?? "SingleStack")
        w.field("IP", o.str("spec.clusterIP") ?? "<none>")
        for port in o.list("spec.ports") {
            let name = port.str("name") ?? "<unset>"
            w.field("Port", "\(name)  \(port.int("port") ?? 0)/\(port.str("protocol") ?? "TCP")")
            w.field("TargetPort", "\(port.at("targetPort")?.plainText ?? String(port.int("port") ?? 0))/\(port.str("protocol") ?? "TCP")")
            if let nodePort = port.int("nodePort") { w.field("NodePort", "\(name)  \(nodePort)/\(port.str("protocol") ?? "TCP")") }
        }
        w.field("Session Affinity", o.str("spec.sessionAffinity") ?? "None")
    }

    static func configMap(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.line("")
        w.line("Data")
        w.line("====")
        let data = o.at("data")?.objectValue ?? [:]
        for key in data.keys.sorted() {
            w.line("\(key):")
            w.line("----")
            w.line(data[key]!.plainText)
            w.line("")
        }
        w.line("")
        w.line("BinaryData")
        w.line("====")
        let binary = o.at("binaryData")?.objectValue ?? [:]
        for key in binary.keys.sorted() { w.line("\(key): \(binary[key]!.plainText.count) bytes") }
        w.line("")
    }

    static func generic(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("API Version", o.str("apiVersion") ?? "")
        w.field("Kind", o.kindName)
        var rest = o.objectValue ?? [:]
        for key in ["apiVersion", "kind", "metadata"] { rest[key] = nil }
        for key in rest.keys.sorted() {
            let value = rest[key]!
            if value.objectValue != nil || value.arrayValue != nil {
                w.line(key.prefix(1).uppercased() + key.dropFirst() + ":")
                let yaml = Manifest.yaml(from: value)
                for line in yaml.split(separator: "\n") { w.line("  " + line) }
            } else {
                w.field(key.prefix(1).uppercased() + key.dropFirst(), value.plainText)
            }
        }
    }

    static func eventsSection(_ events: [JSONValue], _ w: inout Writer, _ now: Date) {
        guard !events.isEmpty else {
            w.field("Events", "<none>")
            return
        }
        w.line("Events:")
        var table = Table(columns: ["Type", "Reason", "Age", "From", "Message"])
        table.rows.append(["----", "------", "----", "----", "-------"])
        for event in events {
            var age = AgeFormatter.age(of: lastSeen(event), now: now)
            let count = event.int("count") ?? 1
            if count > 1, let first = event.str("firstTimestamp") {
                age = "\(age) (x\(count) over \(AgeFormatter.age(of: first, now: now)))"
            }
            let from = event.str("source.component") ?? event.str("reportingComponent") ?? ""
            table.rows.append([event.str("type") ?? "", event.str("reason") ?? "", age, from, event.str("message") ?? ""])
        }
        for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
    }

    /// `Mon, 02 Jan 2006 15:04:05 +0000` as describe prints times.
    static func rfc1123(_ text: String) -> String? {
        guard let date = AgeFormatter.parse(text) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
