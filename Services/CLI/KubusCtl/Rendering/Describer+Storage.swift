import Foundation
import Schema

extension Describer {
    /// Go's `%v` of a string list: `[a b]`.
    static func goList(_ values: [JSONValue]) -> String {
        "[" + values.map(\.plainText).joined(separator: " ") + "]"
    }

    static func persistentVolumeClaim(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        w.field("StorageClass", o.str("spec.storageClassName") ?? "")
        if let deletion = o.str("metadata.deletionTimestamp") {
            w.field("Status", "Terminating (lasts \(AgeFormatter.age(of: deletion, now: Date())))")
        } else {
            w.field("Status", o.str("status.phase") ?? "Pending")
        }
        w.field("Volume", o.str("spec.volumeName") ?? "")
        metadata(o, &w)
        w.field("Finalizers", goList(o.list("metadata.finalizers")))
        let bound = !(o.str("spec.volumeName") ?? "").isEmpty
        w.field("Capacity", bound ? (o.at("status.capacity.storage")?.plainText ?? "") : "")
        w.field("Access Modes", bound ? ResourceTable.accessModes(o.list("status.accessModes")) : "")
        if let mode = o.str("spec.volumeMode") { w.field("VolumeMode", mode) }
        let users = related.pods.filter { pod in
            pod.list("spec.volumes").contains { $0.str("persistentVolumeClaim.claimName") == o.name }
        }.map(\.name).sorted()
        w.list("Used By", users)
        conditionsTable(o, &w)
    }

    static func persistentVolume(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("Finalizers", goList(o.list("metadata.finalizers")))
        w.field("StorageClass", o.str("spec.storageClassName") ?? "")
        if let deletion = o.str("metadata.deletionTimestamp") {
            w.field("Status", "Terminating (lasts \(AgeFormatter.age(of: deletion, now: Date())))")
        } else {
            w.field("Status", o.str("status.phase") ?? "Pending")
        }
        let claim = o.str("spec.claimRef.name").map { "\(o.str("spec.claimRef.namespace") ?? "")/\($0)" } ?? ""
        w.field("Claim", claim)
        w.field("Reclaim Policy", o.str("spec.persistentVolumeReclaimPolicy") ?? "Retain")
        w.field("Access Modes", ResourceTable.accessModes(o.list("spec.accessModes")))
        if let mode = o.str("spec.volumeMode") { w.field("VolumeMode", mode) }
        w.field("Capacity", o.at("spec.capacity.storage")?.plainText ?? "")
        let terms = o.list("spec.nodeAffinity.required.nodeSelectorTerms")
        if terms.isEmpty {
            w.field("Node Affinity", "<none>")
        } else {
            w.line("Node Affinity:")
            w.line("  Required Terms:")
            for (index, term) in terms.enumerated() {
                let expressions = term.list("matchExpressions").map { e in
                    "\(e.str("key") ?? "") \((e.str("operator") ?? "").lowercased()) \(goList(e.list("values")))"
                }
                w.field("Term \(index)", expressions.joined(separator: ", "), indent: 4)
            }
        }
        w.field("Message", o.str("status.message") ?? "")
        w.line("Source:")
        if let hostPath = o.at("spec.hostPath") {
            w.field("Type", "HostPath (bare host directory volume)", indent: 4)
            w.field("Path", hostPath.str("path") ?? "", indent: 4)
            w.field("HostPathType", hostPath.str("type") ?? "", indent: 4)
        } else if let local = o.at("spec.local") {
            w.field("Type", "LocalVolume (a persistent volume backed by local storage on a node)", indent: 4)
            w.field("Path", local.str("path") ?? "", indent: 4)
        } else if let nfs = o.at("spec.nfs") {
            w.field("Type", "NFS (an NFS mount that lasts the lifetime of a pod)", indent: 4)
            w.field("Server", nfs.str("server") ?? "", indent: 4)
            w.field("Path", nfs.str("path") ?? "", indent: 4)
            w.field("ReadOnly", String(nfs.at("readOnly")?.boolValue ?? false), indent: 4)
        } else if let csi = o.at("spec.csi") {
            w.field("Type", "CSI (a Container Storage Interface (CSI) volume source)", indent: 4)
            w.field("Driver", csi.str("driver") ?? "", indent: 4)
            w.field("VolumeHandle", csi.str("volumeHandle") ?? "", indent: 4)
        }
    }

    static func storageClass(_ o: JSONValue, _ w: inout Writer) {
        let annotations = o.stringMap("metadata.annotations")
        let isDefault =
            annotations["storageclass.kubernetes.io/is-default-class"] == "true"
            || annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
        w.field("IsDefaultClass", isDefault ? "Yes" : "No")
        w.field("Annotations", selectorText(annotations) ?? "<none>")
        w.field("Provisioner", o.str("provisioner") ?? "")
        w.field("Parameters", selectorText(o.stringMap("parameters")) ?? "<none>")
        w.field(
            "AllowVolumeExpansion", o.at("allowVolumeExpansion")?.boolValue.map { $0 ? "True" : "False" } ?? "<unset>")
        let mounts = o.list("mountOptions").map(\.plainText)
        w.field("MountOptions", mounts.isEmpty ? "<none>" : mounts.joined(separator: ", "))
        w.field("ReclaimPolicy", o.str("reclaimPolicy") ?? "Delete")
        w.field("VolumeBindingMode", o.str("volumeBindingMode") ?? "Immediate")
    }

    static func horizontalPodAutoscaler(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("CreationTimestamp", o.str("metadata.creationTimestamp").flatMap(rfc1123) ?? "<unset>")
        let reference = "\(o.str("spec.scaleTargetRef.kind") ?? "")/\(o.str("spec.scaleTargetRef.name") ?? "")"
        w.field("Reference", reference)
        w.field("Metrics", "( current / target )")
        let current = o.list("status.currentMetrics")
        for (index, metric) in o.list("spec.metrics").enumerated() {
            let now = index < current.count ? current[index] : nil
            let (label, value) = hpaMetricLine(metric, current: now)
            w.field("  " + label, value)
        }
        w.field("Min replicas", o.int("spec.minReplicas").map(String.init) ?? "<unset>")
        w.field("Max replicas", String(o.int("spec.maxReplicas") ?? 0))
        if let behavior = o.at("spec.behavior") {
            w.line("Behavior:")
            for (title, key) in [("Scale Up", "scaleUp"), ("Scale Down", "scaleDown")] {
                guard let rules = behavior.at(key) else { continue }
                w.line("  \(title):")
                if let window = rules.int("stabilizationWindowSeconds") {
                    w.line("    Stabilization Window: \(window) seconds")
                }
                let policies = rules.list("policies")
                if !policies.isEmpty {
                    w.line("    Select Policy: \(rules.str("selectPolicy") ?? "Max")")
                    w.line("    Policies:")
                    for policy in policies {
                        w.line(
                            "      - Type: \(policy.str("type") ?? "")  Value: \(policy.int("value") ?? 0)  "
                                + "Period: \(policy.int("periodSeconds") ?? 0) seconds")
                    }
                }
            }
        }
        w.field(
            "\(o.str("spec.scaleTargetRef.kind") ?? "") pods",
            "\(o.int("status.currentReplicas") ?? 0) current / \(o.int("status.desiredReplicas") ?? 0) desired")
        let conditions = o.list("status.conditions")
        if !conditions.isEmpty {
            w.line("Conditions:")
            var table = Table(columns: ["Type", "Status", "Reason", "Message"])
            table.rows =
                [["----", "------", "------", "-------"]]
                + conditions.map {
                    [$0.str("type") ?? "", $0.str("status") ?? "", $0.str("reason") ?? "", $0.str("message") ?? ""]
                }
            for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        }
    }

    /// One metric line of `describe hpa`, as kubectl words it: label and `current / target`.
    static func hpaMetricLine(_ metric: JSONValue, current: JSONValue?) -> (String, String) {
        func quantity(_ value: JSONValue?) -> String? { value?.plainText }
        switch metric.str("type") ?? "" {
        case "Resource", "ContainerResource":
            let key = metric.str("type") == "Resource" ? "resource" : "containerResource"
            let source = metric.at(key) ?? [:]
            var label = "resource \(source.str("name") ?? "")"
            if key == "containerResource" { label += " of container \"\(source.str("container") ?? "")\"" }
            label += " on pods"
            let now = current?.at(key)
            if let average = source.at("target.averageValue") {
                return (label, "\(quantity(now?.at("current.averageValue")) ?? "<unknown>") / \(average.plainText)")
            }
            var currentText = "<unknown>"
            if let utilization = now?.int("current.averageUtilization") {
                currentText = "\(utilization)% (\(quantity(now?.at("current.averageValue")) ?? "0"))"
            }
            let target = source.int("target.averageUtilization").map { "\($0)%" } ?? "<auto>"
            return (label + "  (as a percentage of request)", "\(currentText) / \(target)")
        case "Pods":
            let source = metric.at("pods") ?? [:]
            return (
                "\"\(source.str("metric.name") ?? "")\" on pods",
                "\(quantity(current?.at("pods.current.averageValue")) ?? "<unknown>") / "
                    + "\(quantity(source.at("target.averageValue")) ?? "")"
            )
        case "Object":
            let source = metric.at("object") ?? [:]
            let label =
                "\"\(source.str("metric.name") ?? "")\" on \(source.str("describedObject.kind") ?? "")/"
                + (source.str("describedObject.name") ?? "")
            if source.str("target.type") == "AverageValue" {
                return (
                    label + " (target average value)",
                    "\(quantity(current?.at("object.current.averageValue")) ?? "<unknown>") / "
                        + "\(quantity(source.at("target.averageValue")) ?? "")"
                )
            }
            return (
                label + " (target value)",
                "\(quantity(current?.at("object.current.value")) ?? "<unknown>") / \(quantity(source.at("target.value")) ?? "")"
            )
        case "External":
            let source = metric.at("external") ?? [:]
            let name = "\"\(source.str("metric.name") ?? "")\""
            if let average = source.at("target.averageValue") {
                return (
                    "\(name) (target average value)",
                    "\(quantity(current?.at("external.current.averageValue")) ?? "<unknown>") / \(average.plainText)"
                )
            }
            return (
                "\(name) (target value)",
                "\(quantity(current?.at("external.current.value")) ?? "<unknown>") / \(quantity(source.at("target.value")) ?? "")"
            )
        default:
            return ("<unknown metric type>", "")
        }
    }
}
