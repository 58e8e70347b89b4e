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
        case "Deployment": deployment(object, &w, related)
        case "ReplicaSet": replicaSet(object, &w, related)
        case "StatefulSet": statefulSet(object, &w, related)
        case "DaemonSet": daemonSet(object, &w, related)
        case "Job": job(object, &w, related, now)
        case "CronJob": cronJob(object, &w)
        case "Service": service(object, &w, related)
        case "Endpoints": endpoints(object, &w)
        case "Ingress": ingress(object, &w)
        case "Node": node(object, &w, related, now)
        case "ConfigMap": configMap(object, &w)
        case "Secret": secret(object, &w)
        case "ServiceAccount": serviceAccount(object, &w)
        case "Namespace":
            namespace(object, &w)
            return w.text
        case "PersistentVolumeClaim": persistentVolumeClaim(object, &w, related)
        case "PersistentVolume": persistentVolume(object, &w)
        case "StorageClass": storageClass(object, &w)
        case "HorizontalPodAutoscaler": horizontalPodAutoscaler(object, &w)
        case "Role", "ClusterRole": role(object, &w)
        case "RoleBinding", "ClusterRoleBinding": roleBinding(object, &w)
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

    static func deployment(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        w.field("CreationTimestamp", o.str("metadata.creationTimestamp").flatMap(rfc1123) ?? "<unset>")
        metadata(o, &w)
        w.field("Selector", labelSelector(o.at("spec.selector")))
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
        podTemplate(o.at("spec.template"), &w)
        let conditions = o.list("status.conditions")
        if !conditions.isEmpty {
            w.line("Conditions:")
            var table = Table(columns: ["Type", "Status", "Reason"])
            table.rows = [["----", "------", "------"]]
                + conditions.map { [$0.str("type") ?? "", $0.str("status") ?? "", $0.str("reason") ?? ""] }
            for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        }
        // kubectl's OldReplicaSets and NewReplicaSet: the one whose template matches, and the others with pods.
        let owned = related.replicaSets.filter { rs in
            rs.list("metadata.ownerReferences").contains { $0.str("uid") == o.str("metadata.uid") }
        }
        let hash = { (rs: JSONValue) in rs.str("metadata.labels.pod-template-hash") }
        let revision = { (rs: JSONValue) in Int(rs.stringMap("metadata.annotations")[RolloutCommand.revisionAnnotation] ?? "") ?? 0 }
        let newest = owned.max { revision($0) < revision($1) }
        func entry(_ rs: JSONValue) -> String {
            "\(rs.name) (\(rs.int("status.replicas") ?? 0)/\(rs.int("spec.replicas") ?? 0) replicas created)"
        }
        let old = owned.filter { hash($0) != newest.flatMap(hash) && ($0.int("spec.replicas") ?? 0) > 0 }
        w.field("OldReplicaSets", old.isEmpty ? "<none>" : old.map(entry).joined(separator: ", "))
        w.field("NewReplicaSet", newest.map(entry) ?? "<none>")
    }

    static func service(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        metadata(o, &w)
        w.field("Selector", selectorText(o.stringMap("spec.selector")) ?? "<none>")
        let type = o.str("spec.type") ?? "ClusterIP"
        w.field("Type", type)
        w.field("IP Family Policy", o.str("spec.ipFamilyPolicy") ?? "SingleStack")
        let families = o.list("spec.ipFamilies").compactMap(\.stringValue)
        w.field("IP Families", families.isEmpty ? "IPv4" : families.joined(separator: ","))
        w.field("IP", o.str("spec.clusterIP") ?? "<none>")
        let ips = o.list("spec.clusterIPs").compactMap(\.stringValue)
        w.field("IPs", ips.isEmpty ? (o.str("spec.clusterIP") ?? "<none>") : ips.joined(separator: ","))
        let external = o.list("spec.externalIPs").compactMap(\.stringValue)
        if !external.isEmpty { w.field("External IPs", external.joined(separator: ",")) }
        if let name = o.str("spec.externalName") { w.field("External Name", name) }
        let ingress = o.list("status.loadBalancer.ingress").compactMap { $0.str("ip") ?? $0.str("hostname") }
        if !ingress.isEmpty { w.field("LoadBalancer Ingress", ingress.joined(separator: ", ")) }
        let endpointAddresses = related.endpoints.map(endpointText)
        for port in o.list("spec.ports") {
            let name = port.str("name") ?? "<unset>"
            let proto = port.str("protocol") ?? "TCP"
            w.field("Port", "\(name)  \(port.int("port") ?? 0)/\(proto)")
            w.field("TargetPort", "\(port.at("targetPort")?.plainText ?? String(port.int("port") ?? 0))/\(proto)")
            if let nodePort = port.int("nodePort") { w.field("NodePort", "\(name)  \(nodePort)/\(proto)") }
            w.field("Endpoints", endpointAddresses?(port.str("name")) ?? "")
        }
        w.field("Session Affinity", o.str("spec.sessionAffinity") ?? "None")
        if type == "NodePort" || type == "LoadBalancer" {
            w.field("External Traffic Policy", o.str("spec.externalTrafficPolicy") ?? "Cluster")
        }
        w.field("Internal Traffic Policy", o.str("spec.internalTrafficPolicy") ?? "Cluster")
    }

    /// `10.244.0.5:8080,10.244.0.6:8080` for a Service port (by name), as kubectl formats the endpoints.
    static func endpointText(_ endpoints: JSONValue) -> (String?) -> String {
        { portName in
            var addresses: [String] = []
            for subset in endpoints.list("subsets") {
                let port = subset.list("ports").first { portName == nil || $0.str("name") == portName }
                    ?? subset.list("ports").first
                guard let number = port?.int("port") else { continue }
                addresses += subset.list("addresses").compactMap { $0.str("ip").map { "\($0):\(number)" } }
            }
            return addresses.isEmpty ? "<none>" : addresses.joined(separator: ",")
        }
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

    /// kubectl's generic describer: every member of the object, keys as words (`holderIdentity` is
    /// `Holder Identity`), nested objects indented, lists of objects one block per item.
    static func generic(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("API Version", o.str("apiVersion") ?? "")
        w.field("Kind", o.kindName)
        var members = o.objectValue ?? [:]
        for key in ["apiVersion", "kind"] { members[key] = nil }
        if var meta = members["metadata"]?.objectValue {
            for key in ["name", "namespace", "labels", "annotations", "managedFields"] { meta[key] = nil }
            members["metadata"] = meta.isEmpty ? nil : .object(meta)
        }
        unstructured(members, indent: 0, &w)
    }

    static func unstructured(_ members: [String: JSONValue], indent: Int, _ w: inout Writer) {
        let pad = String(repeating: " ", count: indent)
        let scalars = members.keys.sorted().filter { key in
            switch members[key]! {
            case .object, .array: return false
            default: return true
            }
        }
        let width = (scalars.map { smartLabel($0).count }.max() ?? 0) + 3
        for key in members.keys.sorted() {
            let label = smartLabel(key)
            switch members[key]! {
            case .object(let child):
                w.line(pad + label + ":")
                unstructured(child, indent: indent + 2, &w)
            case .array(let items):
                w.line(pad + label + ":")
                for item in items {
                    if case .object(let child) = item {
                        unstructured(child, indent: indent + 2, &w)
                    } else {
                        w.line(pad + "  " + item.plainText)
                    }
                }
            case let value:
                w.line(pad + (label + ":").padding(toLength: width, withPad: " ", startingAt: 0) + value.plainText)
            }
        }
    }

    /// `holderIdentity` as `Holder Identity`, `apiVersion` as `API Version` (kubectl's `smartLabelFor`).
    static func smartLabel(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        for character in key {
            if character.isUppercase, !current.isEmpty, !(current.last?.isUppercase ?? false) {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        let acronyms: Set<String> = ["api", "cpu", "id", "ip", "uid", "url", "tls", "dns", "http", "https", "os", "cidr"]
        return words.map { word in
            acronyms.contains(word.lowercased()) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
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
