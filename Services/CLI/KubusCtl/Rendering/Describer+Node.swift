import Foundation
import Schema

extension Describer {
    static func node(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated, _ now: Date) {
        w.field("Roles", ResourceTable.nodeRoles(o))
        metadata(o, &w)
        w.field("CreationTimestamp", o.str("metadata.creationTimestamp").flatMap(rfc1123) ?? "<unset>")
        let taints = o.list("spec.taints").map {
            "\($0.str("key") ?? "")\($0.str("value").map { "=\($0)" } ?? ""):\($0.str("effect") ?? "")"
        }
        w.list("Taints", taints)
        w.field("Unschedulable", (o.at("spec.unschedulable")?.boolValue ?? false) ? "true" : "false")
        if let lease = related.lease {
            w.line("Lease:")
            w.field("HolderIdentity", lease.str("spec.holderIdentity") ?? "<unset>", indent: 2)
            w.field("AcquireTime", lease.str("spec.acquireTime").flatMap(rfc1123) ?? "<unset>", indent: 2)
            w.field("RenewTime", lease.str("spec.renewTime").flatMap(rfc1123) ?? "<unset>", indent: 2)
        } else {
            w.field("Lease", "Failed to get lease: leases.coordination.k8s.io \"\(o.name)\" not found")
        }
        let conditions = o.list("status.conditions")
        if conditions.isEmpty {
            w.field("Conditions", "<none>")
        } else {
            w.line("Conditions:")
            var table = Table(columns: [
                "Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message",
            ])
            table.rows.append(["----", "------", "-----------------", "------------------", "------", "-------"])
            table.rows += conditions.map {
                [
                    $0.str("type") ?? "", $0.str("status") ?? "",
                    $0.str("lastHeartbeatTime").flatMap(rfc1123) ?? "<unset>",
                    $0.str("lastTransitionTime").flatMap(rfc1123) ?? "<unset>", $0.str("reason") ?? "",
                    $0.str("message") ?? "",
                ]
            }
            for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        }
        w.line("Addresses:")
        let addresses = o.list("status.addresses")
        for address in addresses {
            w.field(address.str("type") ?? "", address.str("address") ?? "", indent: 2)
        }
        let allocatable = quantities(o.at("status.allocatable"))
        for (title, key) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
            let values = o.at("status.\(key)")?.objectValue ?? [:]
            guard !values.isEmpty else { continue }
            w.line("\(title):")
            for name in values.keys.sorted() { w.field(name, values[name]!.plainText, indent: 2) }
        }
        if let info = o.at("status.nodeInfo") {
            w.line("System Info:")
            for (label, key) in [
                ("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
                ("Architecture", "architecture"), ("Container Runtime Version", "containerRuntimeVersion"),
                ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion"),
            ] {
                w.field(label, info.str(key) ?? "", indent: 2)
            }
        }
        w.field("PodCIDR", o.str("spec.podCIDR") ?? "<none>")
        let cidrs = o.list("spec.podCIDRs").compactMap(\.stringValue)
        w.field("PodCIDRs", cidrs.isEmpty ? "<none>" : cidrs.joined(separator: ","))
        if let provider = o.str("spec.providerID") { w.field("ProviderID", provider) }
        let running = related.pods.filter {
            let phase = $0.str("status.phase")
            return phase != "Succeeded" && phase != "Failed"
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        w.field("Non-terminated Pods", "(\(running.count) in total)")
        var podTable = Table(columns: [
            "Namespace", "Name", "CPU Requests", "CPU Limits", "Memory Requests", "Memory Limits", "Age",
        ])
        podTable.rows.append([
            "---------", "----", "------------", "----------", "---------------", "-------------", "---",
        ])
        var totalRequests: [String: Quantity] = [:]
        var totalLimits: [String: Quantity] = [:]
        for pod in running {
            let (requests, limits) = podRequestsAndLimits(pod)
            for (k, v) in requests { add(&totalRequests, k, v) }
            for (k, v) in limits { add(&totalLimits, k, v) }
            podTable.rows.append([
                pod.namespace, pod.name, share(requests["cpu"], allocatable["cpu"]),
                share(limits["cpu"], allocatable["cpu"]),
                share(requests["memory"], allocatable["memory"]), share(limits["memory"], allocatable["memory"]),
                AgeFormatter.age(of: pod.str("metadata.creationTimestamp"), now: now),
            ])
        }
        // Tab cells, as kubectl writes them: the table aligns with the fields above it.
        if !running.isEmpty {
            for row in [podTable.columns] + podTable.rows { w.line("  " + row.joined(separator: "\t")) }
        }
        w.line("Allocated resources:")
        w.line("  (Total limits may be over 100 percent, i.e., overcommitted.)")
        var allocated = Table(columns: ["Resource", "Requests", "Limits"])
        allocated.rows.append(["--------", "--------", "------"])
        var names = ["cpu", "memory", "ephemeral-storage"]
        names += Set(totalRequests.keys).union(totalLimits.keys).union(allocatable.keys)
            .filter { $0.hasPrefix("hugepages-") || ($0.contains("/") && !names.contains($0)) }.sorted()
        for name in names {
            allocated.rows.append([
                name, share(totalRequests[name] ?? Quantity(0), allocatable[name]),
                share(totalLimits[name] ?? Quantity(0), allocatable[name]),
            ])
        }
        for line in allocated.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
    }

    /// `100m (1%)`: a quantity and its share of the allocatable amount, as kubectl's describe prints it.
    static func share(_ value: Quantity?, _ total: Quantity?) -> String {
        let value = value ?? Quantity(0)
        var percent: Int64 = 0
        if let total, total.milliValue > 0 {
            percent = Int64(Double(value.milliValue) / Double(total.milliValue) * 100)
        }
        return "\(value.isZero ? "0" : value.description) (\(percent)%)"
    }

    /// Adds keeping the first value's format, so `64Mi + 64Mi` prints `128Mi`.
    static func add(_ totals: inout [String: Quantity], _ key: String, _ value: Quantity) {
        totals[key] = totals[key].map { $0 + value } ?? value
    }

    static func quantities(_ value: JSONValue?) -> [String: Quantity] {
        var result: [String: Quantity] = [:]
        for (key, v) in value?.objectValue ?? [:] {
            if let q = try? Quantity.parse(v.plainText) { result[key] = q }
        }
        return result
    }

    /// A pod's effective requests and limits: the sum over its containers, at least its largest init container,
    /// plus its overhead (kubectl's `PodRequestsAndLimits`).
    static func podRequestsAndLimits(_ pod: JSONValue) -> (requests: [String: Quantity], limits: [String: Quantity]) {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        for c in pod.list("spec.containers") {
            for (k, v) in quantities(c.at("resources.requests")) { add(&requests, k, v) }
            for (k, v) in quantities(c.at("resources.limits")) { add(&limits, k, v) }
        }
        for c in pod.list("spec.initContainers") {
            for (k, v) in quantities(c.at("resources.requests")) where requests[k].map({ v > $0 }) ?? true {
                requests[k] = v
            }
            for (k, v) in quantities(c.at("resources.limits")) where limits[k].map({ v > $0 }) ?? true { limits[k] = v }
        }
        for (k, v) in quantities(pod.at("spec.overhead")) {
            add(&requests, k, v)
            if limits[k] != nil { add(&limits, k, v) }
        }
        return (requests, limits)
    }
}
