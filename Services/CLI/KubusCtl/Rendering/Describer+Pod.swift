import Foundation
public import Schema

/// Objects `describe` shows next to the one described.
public struct DescribeRelated: Sendable {
    /// A node's Lease in `kube-node-lease`.
    public var lease: JSONValue?
    /// The pods bound to a node; a workload's pods; the pods using a claim.
    public var pods: [JSONValue]
    /// A Deployment's ReplicaSets.
    public var replicaSets: [JSONValue]
    /// A Service's Endpoints.
    public var endpoints: JSONValue?
    /// The Services an Ingress routes to, by name.
    public var backendServices: [String: JSONValue]
    /// Their Endpoints, by Service name.
    public var backendEndpoints: [String: JSONValue]
    /// Why a backend's Service or Endpoints could not be read (`endpoints "web" not found`), by Service name.
    public var backendErrors: [String: String]
    /// A namespace's ResourceQuotas.
    public var quotas: [JSONValue] = []
    /// A namespace's LimitRanges.
    public var limitRanges: [JSONValue] = []

    /// Creates the related objects.
    public init(
        lease: JSONValue? = nil, pods: [JSONValue] = [], replicaSets: [JSONValue] = [], endpoints: JSONValue? = nil,
        backendServices: [String: JSONValue] = [:], backendEndpoints: [String: JSONValue] = [:],
        backendErrors: [String: String] = [:]
    ) {
        self.lease = lease
        self.pods = pods
        self.replicaSets = replicaSets
        self.endpoints = endpoints
        self.backendServices = backendServices
        self.backendEndpoints = backendEndpoints
        self.backendErrors = backendErrors
    }
}

extension Describer {
    static func pod(_ o: JSONValue, _ w: inout Writer, _ now: Date) {
        w.field("Priority", String(o.int("spec.priority") ?? 0))
        if let priorityClass = o.str("spec.priorityClassName") { w.field("Priority Class Name", priorityClass) }
        w.field("Service Account", o.str("spec.serviceAccountName") ?? "default")
        let node = o.str("spec.nodeName").map { n in o.str("status.hostIP").map { "\(n)/\($0)" } ?? n }
        w.field("Node", node ?? "<none>")
        w.field("Start Time", o.str("status.startTime").flatMap(rfc1123) ?? "<unset>")
        metadata(o, &w)
        if let deletion = o.str("metadata.deletionTimestamp") {
            let grace = o.int("metadata.deletionGracePeriodSeconds") ?? 0
            w.field("Status", "Terminating (lasts \(AgeFormatter.age(of: deletion, now: now)))")
            w.field("Termination Grace Period", "\(grace)s")
        } else {
            w.field("Status", o.str("status.phase") ?? "Pending")
        }
        if let reason = o.str("status.reason") { w.field("Reason", reason) }
        if let message = o.str("status.message") { w.field("Message", message) }
        w.field("IP", o.str("status.podIP") ?? "")
        let ips = o.list("status.podIPs").compactMap { $0.str("ip") }
        if ips.isEmpty {
            w.field("IPs", "<none>")
        } else {
            w.line("IPs:")
            for ip in ips { w.line("  IP:  \(ip)") }
        }
        if let owner = o.list("metadata.ownerReferences").first(where: { $0.at("controller")?.boolValue == true }) {
            w.field("Controlled By", "\(owner.str("kind") ?? "")/\(owner.name)")
        }
        let initContainers = o.list("spec.initContainers")
        if !initContainers.isEmpty {
            w.line("Init Containers:")
            containers(initContainers, statuses: o.list("status.initContainerStatuses"), &w)
        }
        w.line("Containers:")
        containers(o.list("spec.containers"), statuses: o.list("status.containerStatuses"), &w)
        let conditions = o.list("status.conditions")
        if !conditions.isEmpty {
            w.line("Conditions:")
            var table = Table(columns: ["Type", "Status"])
            table.rows = conditions.map { [$0.str("type") ?? "", $0.str("status") ?? ""] }
            for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        }
        volumes(o.list("spec.volumes"), &w)
        w.field("QoS Class", o.str("status.qosClass") ?? "BestEffort")
        w.map("Node-Selectors", o.stringMap("spec.nodeSelector"))
        let tolerations = o.list("spec.tolerations").map(tolerationText)
        w.list("Tolerations", tolerations)
    }

    /// Containers as `describe pod` prints them; `template` leaves out the status lines and indents the name one
    /// more, as kubectl's pod template printer does.
    static func containers(_ specs: [JSONValue], statuses: [JSONValue], _ w: inout Writer, template: Bool = false) {
        for container in specs {
            w.line((template ? "   " : "  ") + "\(container.name):")
            let status = statuses.first { $0.name == container.name }
            if let id = status?.str("containerID") { w.field("Container ID", id, indent: 4) }
            w.field("Image", container.str("image") ?? "", indent: 4)
            if let imageID = status?.str("imageID") { w.field("Image ID", imageID, indent: 4) }
            let ports = container.list("ports")
            let portText = ports.map { "\($0.int("containerPort") ?? 0)/\($0.str("protocol") ?? "TCP")" }
            let hostText = ports.map { "\($0.int("hostPort") ?? 0)/\($0.str("protocol") ?? "TCP")" }
            w.field(
                ports.count > 1 ? "Ports" : "Port", portText.isEmpty ? "<none>" : portText.joined(separator: ", "),
                indent: 4)
            w.field(
                ports.count > 1 ? "Host Ports" : "Host Port",
                hostText.isEmpty ? "<none>" : hostText.joined(separator: ", "), indent: 4)
            for (label, key) in [("Command", "command"), ("Args", "args")] {
                if let parts = container.at(key)?.arrayValue, !parts.isEmpty {
                    w.line("    \(label):")
                    for part in parts { w.line("      \(part.plainText)") }
                }
            }
            if !template { state("State", status?.at("state"), &w) }
            if !template, let last = status?.at("lastState"), !(last.objectValue?.isEmpty ?? true) {
                state("Last State", last, &w)
            }
            if !template {
                w.field("Ready", (status?.at("ready")?.boolValue ?? false) ? "True" : "False", indent: 4)
                w.field("Restart Count", String(status?.int("restartCount") ?? 0), indent: 4)
            }
            for (label, key) in [("Limits", "limits"), ("Requests", "requests")] {
                let values = container.at("resources.\(key)")?.objectValue ?? [:]
                guard !values.isEmpty else { continue }
                w.line("    \(label):")
                for name in values.keys.sorted() { w.field(name, values[name]!.plainText, indent: 6) }
            }
            for (label, key) in [
                ("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe"),
            ] {
                if let probe = container.at(key) { w.field(label, probeText(probe), indent: 4) }
            }
            let env = container.list("env")
            let envFrom = container.list("envFrom")
            if !envFrom.isEmpty {
                w.line("    Environment Variables from:")
                for source in envFrom {
                    let (name, kind) =
                        source.at("configMapRef") != nil
                        ? (source.str("configMapRef.name") ?? "", "ConfigMap")
                        : (source.str("secretRef.name") ?? "", "Secret")
                    let optional =
                        (source.at("configMapRef.optional") ?? source.at("secretRef.optional"))?.boolValue ?? false
                    w.line("      \(name)  \(kind)  Optional: \(optional)")
                }
            }
            if env.isEmpty {
                w.field("Environment", "<none>", indent: 4)
            } else {
                w.line("    Environment:")
                for variable in env { w.line("      \(variable.name):  \(envValue(variable))") }
            }
            let mounts = container.list("volumeMounts")
            if mounts.isEmpty {
                w.field("Mounts", "<none>", indent: 4)
            } else {
                w.line("    Mounts:")
                for mount in mounts {
                    let ro = mount.at("readOnly")?.boolValue == true ? "ro" : "rw"
                    let sub = mount.str("subPath").map { ",path=\"\($0)\"" } ?? ""
                    w.line("      \(mount.str("mountPath") ?? "") from \(mount.name) (\(ro)\(sub))")
                }
            }
        }
    }

    static func state(_ label: String, _ state: JSONValue?, _ w: inout Writer) {
        guard let object = state?.objectValue, let (name, detail) = object.first else {
            w.field(label, "Waiting", indent: 4)
            return
        }
        w.field(label, name.prefix(1).uppercased() + name.dropFirst(), indent: 4)
        if let reason = detail.str("reason") { w.field("Reason", reason, indent: 6) }
        if let message = detail.str("message") { w.field("Message", message, indent: 6) }
        if let code = detail.int("exitCode") { w.field("Exit Code", String(code), indent: 6) }
        if let signal = detail.int("signal") { w.field("Signal", String(signal), indent: 6) }
        if let started = detail.str("startedAt").flatMap(rfc1123) { w.field("Started", started, indent: 6) }
        if let finished = detail.str("finishedAt").flatMap(rfc1123) { w.field("Finished", finished, indent: 6) }
    }

    /// `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`.
    static func probeText(_ p: JSONValue) -> String {
        var kind = "unknown"
        if let http = p.at("httpGet") {
            let scheme = (http.str("scheme") ?? "HTTP").lowercased()
            kind =
                "http-get \(scheme)://\(http.str("host") ?? ""):\(http.at("port")?.plainText ?? "")\(http.str("path") ?? "")"
        } else if let tcp = p.at("tcpSocket") {
            kind = "tcp-socket \(tcp.str("host") ?? ""):\(tcp.at("port")?.plainText ?? "")"
        } else if let exec = p.at("exec") {
            kind = "exec [\(exec.list("command").map(\.plainText).joined(separator: " "))]"
        } else if let grpc = p.at("grpc") {
            kind = "grpc <pod>:\(grpc.int("port") ?? 0) \(grpc.str("service") ?? "")"
        }
        return "\(kind) delay=\(p.int("initialDelaySeconds") ?? 0)s timeout=\(p.int("timeoutSeconds") ?? 1)s "
            + "period=\(p.int("periodSeconds") ?? 10)s #success=\(p.int("successThreshold") ?? 1) "
            + "#failure=\(p.int("failureThreshold") ?? 3)"
    }

    static func envValue(_ v: JSONValue) -> String {
        if let value = v.str("value") { return value }
        if let field = v.str("valueFrom.fieldRef.fieldPath") {
            return " (\(v.str("valueFrom.fieldRef.apiVersion") ?? "v1"):\(field))"
        }
        if let resource = v.str("valueFrom.resourceFieldRef.resource") {
            return "\(resource) (\(v.str("valueFrom.resourceFieldRef.containerName") ?? ""))"
        }
        if let key = v.str("valueFrom.configMapKeyRef.key") {
            return "<set to the key '\(key)' of config map '\(v.str("valueFrom.configMapKeyRef.name") ?? "")'>  "
                + "Optional: \(v.at("valueFrom.configMapKeyRef.optional")?.boolValue ?? false)"
        }
        if let key = v.str("valueFrom.secretKeyRef.key") {
            return "<set to the key '\(key)' in secret '\(v.str("valueFrom.secretKeyRef.name") ?? "")'>  "
                + "Optional: \(v.at("valueFrom.secretKeyRef.optional")?.boolValue ?? false)"
        }
        return ""
    }

    static func volumes(_ volumes: [JSONValue], _ w: inout Writer) {
        guard !volumes.isEmpty else {
            w.field("Volumes", "<none>")
            return
        }
        w.line("Volumes:")
        for v in volumes {
            w.line("  \(v.name):")
            if let e = v.at("emptyDir") {
                w.field("Type", "EmptyDir (a temporary directory that shares a pod's lifetime)", indent: 4)
                w.field("Medium", e.str("medium") ?? "", indent: 4)
                w.field("SizeLimit", e.at("sizeLimit")?.plainText ?? "<unset>", indent: 4)
            } else if let h = v.at("hostPath") {
                w.field("Type", "HostPath (bare host directory volume)", indent: 4)
                w.field("Path", h.str("path") ?? "", indent: 4)
                w.field("HostPathType", h.str("type") ?? "", indent: 4)
            } else if let c = v.at("configMap") {
                w.field("Type", "ConfigMap (a volume populated by a ConfigMap)", indent: 4)
                w.field("Name", c.str("name") ?? "", indent: 4)
                w.field("Optional", String(c.at("optional")?.boolValue ?? false), indent: 4)
            } else if let s = v.at("secret") {
                w.field("Type", "Secret (a volume populated by a Secret)", indent: 4)
                w.field("SecretName", s.str("secretName") ?? "", indent: 4)
                w.field("Optional", String(s.at("optional")?.boolValue ?? false), indent: 4)
            } else if let c = v.at("persistentVolumeClaim") {
                w.field(
                    "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                    indent: 4)
                w.field("ClaimName", c.str("claimName") ?? "", indent: 4)
                w.field("ReadOnly", String(c.at("readOnly")?.boolValue ?? false), indent: 4)
            } else if v.at("projected") != nil {
                w.field("Type", "Projected (a volume that contains injected data from multiple sources)", indent: 4)
            } else if v.at("downwardAPI") != nil {
                w.field("Type", "DownwardAPI (a volume populated by information about the pod)", indent: 4)
            } else if let n = v.at("nfs") {
                w.field("Type", "NFS (an NFS mount that lasts the lifetime of a pod)", indent: 4)
                w.field("Server", n.str("server") ?? "", indent: 4)
                w.field("Path", n.str("path") ?? "", indent: 4)
            }
        }
    }

    /// `key=value:Effect op=Exists for 300s`, as kubectl prints a toleration.
    static func tolerationText(_ t: JSONValue) -> String {
        var text = t.str("key") ?? ""
        if let value = t.str("value"), !value.isEmpty { text += "=\(value)" }
        if let effect = t.str("effect"), !effect.isEmpty { text += ":\(effect)" }
        if t.str("operator") == "Exists" && t.str("value") == nil {
            text += text.isEmpty ? "op=Exists" : " op=Exists"
        }
        if let seconds = t.int("tolerationSeconds") { text += " for \(seconds)s" }
        return text
    }
}

extension Describer.Writer {
    /// A field with one value per line, or `<none>`.
    mutating func list(_ name: String, _ values: [String], indent: Int = 0) {
        guard let first = values.first else {
            field(name, "<none>", indent: indent)
            return
        }
        field(name, first, indent: indent)
        for value in values.dropFirst() { text += String(repeating: " ", count: indent) + "\t" + value + "\n" }
    }
}
