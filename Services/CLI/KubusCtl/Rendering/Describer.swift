public import Foundation
public import Schema

/// `kubectl describe`-style text for an object and its events.
public enum Describer {
    /// The description of `object`; `events` are the Event objects about it.
    /// For a node, `related` holds its Lease and the pods bound to it; for a namespace, its quotas and limit ranges.
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
        case "EndpointSlice": endpointSlice(object, &w)
        case "Ingress": ingress(object, &w, related)
        case "IngressClass": ingressClass(object, &w)
        case "NetworkPolicy":
            networkPolicy(object, &w)
            return w.rendered
        case "Node": node(object, &w, related, now)
        case "ConfigMap": configMap(object, &w)
        case "Secret": secret(object, &w)
        case "ServiceAccount": serviceAccount(object, &w)
        case "Namespace":
            namespace(object, &w, related)
            return w.rendered
        case "ResourceQuota": resourceQuota(object, &w)
        case "LimitRange": limitRange(object, &w)
        case "PersistentVolumeClaim": persistentVolumeClaim(object, &w, related)
        case "PersistentVolume": persistentVolume(object, &w)
        case "StorageClass": storageClass(object, &w)
        case "HorizontalPodAutoscaler": horizontalPodAutoscaler(object, &w)
        case "Role", "ClusterRole": role(object, &w)
        case "RoleBinding", "ClusterRoleBinding": roleBinding(object, &w)
        default: generic(object, &w)
        }
        eventsSection(events, &w, now)
        return w.rendered
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

    /// Describe text as kubectl's tab writer lays it out: `field` and `map` end their label with a tab, and
    /// `rendered` aligns each block of consecutive labelled lines on its widest label (`TabWriter`).
    struct Writer {
        var text = ""

        /// The text with its columns aligned.
        var rendered: String {
            guard !text.isEmpty else { return "" }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return TabWriter.format(lines).joined(separator: "\n")
        }

        mutating func field(_ name: String, _ value: String, indent: Int = 0) {
            text += String(repeating: " ", count: indent) + name + ":\t" + value + "\n"
        }

        mutating func map(_ name: String, _ values: [String: String], indent: Int = 0) {
            let sorted = values.sorted { $0.key < $1.key }
            guard let first = sorted.first else {
                field(name, "<none>", indent: indent)
                return
            }
            field(name, "\(first.key)=\(first.value)", indent: indent)
            for (key, value) in sorted.dropFirst() {
                text += String(repeating: " ", count: indent) + "\t\(key)=\(value)\n"
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
            // Tab cells with kubectl's space after the type: the table aligns with the ReplicaSet lines below it.
            w.line("Conditions:")
            w.line("  Type\tStatus\tReason")
            w.line("  ----\t------\t------")
            for c in conditions {
                w.line("  \(c.str("type") ?? "") \t\(c.str("status") ?? "")\t\(c.str("reason") ?? "")")
            }
        }
        // kubectl's OldReplicaSets and NewReplicaSet: the one whose template matches, and the others with pods.
        let owned = related.replicaSets.filter { rs in
            rs.list("metadata.ownerReferences").contains { $0.str("uid") == o.str("metadata.uid") }
        }
        let hash = { (rs: JSONValue) in rs.str("metadata.labels.pod-template-hash") }
        let revision = { (rs: JSONValue) in
            Int(rs.stringMap("metadata.annotations")[RolloutCommand.revisionAnnotation] ?? "") ?? 0
        }
        let newest = owned.max { revision($0) < revision($1) }
        func entry(_ rs: JSONValue) -> String {
            "\(rs.name) (\(rs.int("status.replicas") ?? 0)/\(rs.int("spec.replicas") ?? 0) replicas created)"
        }
        let old = owned.filter { hash($0) != newest.flatMap(hash) && ($0.int("spec.replicas") ?? 0) > 0 }
        w.field("OldReplicaSets", old.isEmpty ? "<none>" : old.map(entry).joined(separator: ", "))
        w.field("NewReplicaSet", newest.map(entry) ?? "<none>")
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
        let acronyms: Set<String> = [
            "api", "cpu", "id", "ip", "uid", "url", "tls", "dns", "http", "https", "os", "cidr",
        ]
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
            table.rows.append([
                event.str("type") ?? "", event.str("reason") ?? "", age, from, event.str("message") ?? "",
            ])
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
