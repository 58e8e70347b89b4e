import Foundation
import Schema

extension Describer {
    /// A label selector as kubectl prints it (`app=web,tier in (a,b)`), `<none>` when empty.
    static func labelSelector(_ value: JSONValue?) -> String {
        guard let value, let selector = try? value.decode(as: LabelSelector.self), !selector.isEmpty else {
            return "<none>"
        }
        return selector.selectorString
    }

    /// `3 Running / 0 Waiting / 0 Succeeded / 0 Failed` over a workload's pods.
    static func podsStatus(_ pods: [JSONValue]) -> String {
        func count(_ phase: String) -> Int { pods.filter { ($0.str("status.phase") ?? "Pending") == phase }.count }
        return "\(count("Running")) Running / \(count("Pending")) Waiting / \(count("Succeeded")) Succeeded / "
            + "\(count("Failed")) Failed"
    }

    /// kubectl's `DescribePodTemplate`: labels, annotations, service account, containers, volumes, scheduling.
    static func podTemplate(_ template: JSONValue?, _ w: inout Writer) {
        let t = template ?? [:]
        w.line("Pod Template:")
        w.map("  Labels", t.stringMap("metadata.labels"))
        let annotations = t.stringMap("metadata.annotations")
        if !annotations.isEmpty { w.map("  Annotations", annotations) }
        if let account = t.str("spec.serviceAccountName") { w.field("Service Account", account, indent: 2) }
        let initContainers = t.list("spec.initContainers")
        if !initContainers.isEmpty {
            w.line("  Init Containers:")
            containers(initContainers, statuses: [], &w, template: true)
        }
        w.line("  Containers:")
        containers(t.list("spec.containers"), statuses: [], &w, template: true)
        var volumeText = Writer()
        volumes(t.list("spec.volumes"), &volumeText)
        for line in volumeText.text.split(separator: "\n") { w.line("  " + line) }
        w.map("  Node-Selectors", t.stringMap("spec.nodeSelector"))
        w.list("  Tolerations", t.list("spec.tolerations").map(tolerationText))
    }

    static func controlledBy(_ o: JSONValue, _ w: inout Writer) {
        if let owner = o.list("metadata.ownerReferences").first(where: { $0.at("controller")?.boolValue == true }) {
            w.field("Controlled By", "\(owner.str("kind") ?? "")/\(owner.name)")
        }
    }

    static func conditionsTable(_ o: JSONValue, _ w: inout Writer) {
        let conditions = o.list("status.conditions")
        guard !conditions.isEmpty else { return }
        w.line("Conditions:")
        var table = Table(columns: ["Type", "Status", "Reason"])
        table.rows =
            [["----", "------", "------"]]
            + conditions.map { [$0.str("type") ?? "", $0.str("status") ?? "", $0.str("reason") ?? ""] }
        for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
    }

    static func replicaSet(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        w.field("Selector", labelSelector(o.at("spec.selector")))
        metadata(o, &w)
        controlledBy(o, &w)
        w.field("Replicas", "\(o.int("status.replicas") ?? 0) current / \(o.int("spec.replicas") ?? 1) desired")
        w.field("Pods Status", podsStatus(related.pods))
        podTemplate(o.at("spec.template"), &w)
        conditionsTable(o, &w)
    }

    static func statefulSet(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        w.field("CreationTimestamp", o.str("metadata.creationTimestamp").flatMap(rfc1123) ?? "<unset>")
        w.field("Selector", labelSelector(o.at("spec.selector")))
        metadata(o, &w)
        w.field("Replicas", "\(o.int("spec.replicas") ?? 1) desired | \(o.int("status.replicas") ?? 0) total")
        let strategy = o.str("spec.updateStrategy.type") ?? "RollingUpdate"
        w.field("Update Strategy", strategy)
        if strategy == "RollingUpdate" {
            w.field("Partition", String(o.int("spec.updateStrategy.rollingUpdate.partition") ?? 0), indent: 2)
        }
        w.field("Pods Status", podsStatus(related.pods))
        podTemplate(o.at("spec.template"), &w)
        let claims = o.list("spec.volumeClaimTemplates")
        if claims.isEmpty {
            w.field("Volume Claims", "<none>")
        } else {
            w.line("Volume Claims:")
            for claim in claims {
                w.field("Name", claim.name, indent: 2)
                w.field("StorageClass", claim.str("spec.storageClassName") ?? "", indent: 2)
                w.map("  Labels", claim.stringMap("metadata.labels"))
                w.map("  Annotations", claim.stringMap("metadata.annotations"))
                w.field("Capacity", claim.at("spec.resources.requests.storage")?.plainText ?? "", indent: 2)
                w.field(
                    "Access Modes", "[" + claim.list("spec.accessModes").map(\.plainText).joined(separator: " ") + "]",
                    indent: 2)
            }
        }
    }

    static func daemonSet(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        w.field("Selector", labelSelector(o.at("spec.selector")))
        w.field("Node-Selector", selectorText(o.stringMap("spec.template.spec.nodeSelector")) ?? "<none>")
        metadata(o, &w)
        // kubectl writes these with a space, not aligned.
        w.line("Desired Number of Nodes Scheduled: \(o.int("status.desiredNumberScheduled") ?? 0)")
        w.line("Current Number of Nodes Scheduled: \(o.int("status.currentNumberScheduled") ?? 0)")
        w.line("Number of Nodes Scheduled with Up-to-date Pods: \(o.int("status.updatedNumberScheduled") ?? 0)")
        w.line("Number of Nodes Scheduled with Available Pods: \(o.int("status.numberAvailable") ?? 0)")
        w.line("Number of Nodes Misscheduled: \(o.int("status.numberMisscheduled") ?? 0)")
        w.field("Pods Status", podsStatus(related.pods))
        podTemplate(o.at("spec.template"), &w)
    }

    static func job(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated, _ now: Date) {
        w.field("Selector", labelSelector(o.at("spec.selector")))
        metadata(o, &w)
        controlledBy(o, &w)
        w.field("Parallelism", String(o.int("spec.parallelism") ?? 1))
        w.field("Completions", o.int("spec.completions").map(String.init) ?? "<unset>")
        w.field("Completion Mode", o.str("spec.completionMode") ?? "NonIndexed")
        w.field("Suspend", (o.at("spec.suspend")?.boolValue ?? false) ? "true" : "false")
        w.field("Backoff Limit", String(o.int("spec.backoffLimit") ?? 6))
        if let deadline = o.int("spec.activeDeadlineSeconds") { w.field("Active Deadline Seconds", "\(deadline)s") }
        if let ttl = o.int("spec.ttlSecondsAfterFinished") { w.field("TTL Seconds After Finished", String(ttl)) }
        if let start = o.str("status.startTime") {
            w.field("Start Time", rfc1123(start) ?? start)
            if let end = o.str("status.completionTime") { w.field("Completed At", rfc1123(end) ?? end) }
            w.field("Duration", ResourceTable.jobDuration(o, now))
        }
        let active = o.int("status.active") ?? 0
        let ready = o.int("status.ready") ?? 0
        w.field(
            "Pods Statuses",
            "\(active) Active (\(ready) Ready) / \(o.int("status.succeeded") ?? 0) Succeeded / "
                + "\(o.int("status.failed") ?? 0) Failed")
        podTemplate(o.at("spec.template"), &w)
    }

    static func cronJob(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("Schedule", o.str("spec.schedule") ?? "")
        if let zone = o.str("spec.timeZone") { w.field("Time Zone", zone) }
        w.field("Concurrency Policy", o.str("spec.concurrencyPolicy") ?? "Allow")
        w.field("Suspend", (o.at("spec.suspend")?.boolValue ?? false) ? "True" : "False")
        w.field("Successful Job History Limit", String(o.int("spec.successfulJobsHistoryLimit") ?? 3))
        w.field("Failed Job History Limit", String(o.int("spec.failedJobsHistoryLimit") ?? 1))
        w.field("Starting Deadline Seconds", o.int("spec.startingDeadlineSeconds").map { "\($0)s" } ?? "<unset>")
        let job = o.at("spec.jobTemplate") ?? [:]
        w.field("Selector", job.at("spec.selector").map { labelSelector($0) } ?? "<unset>")
        w.field("Parallelism", job.int("spec.parallelism").map(String.init) ?? "<unset>")
        w.field("Completions", job.int("spec.completions").map(String.init) ?? "<unset>")
        if let deadline = job.int("spec.activeDeadlineSeconds") { w.field("Active Deadline Seconds", "\(deadline)s") }
        podTemplate(job.at("spec.template"), &w)
        w.field("Last Schedule Time", o.str("status.lastScheduleTime").flatMap(rfc1123) ?? "<unset>")
        let active = o.list("status.active").map(\.name)
        w.field("Active Jobs", active.isEmpty ? "<none>" : active.joined(separator: ", "))
    }
}
