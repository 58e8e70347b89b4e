public import Foundation
public import Schema

/// How `get` prints a table.
public struct TableOptions: Sendable, Hashable {
    /// `-o wide`: the extra columns.
    public var wide = false
    /// `-A`: a NAMESPACE column first.
    public var allNamespaces = false
    /// `--show-labels`: a LABELS column last.
    public var showLabels = false
    /// Prefix names with `kind.group/` (several types in one `get`).
    public var withKind = false
    /// Print the header line.
    public var headers = true
    /// `-L app,tier`: one column per label key, after the kind's columns.
    public var labelColumns: [String] = []

    /// Creates options.
    public init(
        wide: Bool = false, allNamespaces: Bool = false, showLabels: Bool = false, withKind: Bool = false,
        headers: Bool = true, labelColumns: [String] = []
    ) {
        self.wide = wide
        self.allNamespaces = allNamespaces
        self.showLabels = showLabels
        self.withKind = withKind
        self.headers = headers
        self.labelColumns = labelColumns
    }
}

/// The columns kubectl prints for each kind, and the cells of one object.
public enum ResourceTable {
    struct Spec {
        var columns: [String]
        var wideColumns: [String]
        /// The cells of `columns`; the flag is `-o wide` (kubectl clips load-balancer addresses without it).
        var cells: (JSONValue, Date, _ wide: Bool) -> [String]
        var wideCells: (JSONValue, Date) -> [String]

        init(
            columns: [String], wideColumns: [String] = [], cells: @escaping (JSONValue, Date) -> [String],
            wideCells: @escaping (JSONValue, Date) -> [String] = { _, _ in [] }
        ) {
            self.init(
                columns: columns, wideColumns: wideColumns, widthCells: { o, now, _ in cells(o, now) },
                wideCells: wideCells)
        }

        init(
            columns: [String], wideColumns: [String] = [], widthCells: @escaping (JSONValue, Date, Bool) -> [String],
            wideCells: @escaping (JSONValue, Date) -> [String] = { _, _ in [] }
        ) {
            self.columns = columns
            self.wideColumns = wideColumns
            self.cells = widthCells
            self.wideCells = wideCells
        }
    }

    /// The table of `objects` of one kind.
    public static func table(
        _ objects: [JSONValue], info: KindInfo?, options: TableOptions = TableOptions(), now: Date = Date()
    ) -> Table {
        let spec = self.spec(for: info?.kind ?? "")
        var columns = spec.columns
        if options.wide { columns += spec.wideColumns }
        if options.allNamespaces, info?.namespaced ?? true { columns.insert("NAMESPACE", at: 0) }
        columns += options.labelColumns.map(labelColumnHeader)
        if options.showLabels { columns.append("LABELS") }
        let rows = objects.map { object in
            row(object, info: info, spec: spec, options: options, now: now)
        }
        return Table(columns: columns, rows: rows)
    }

    /// One row, in the column order of `table`.
    public static func row(
        _ object: JSONValue, info: KindInfo?, options: TableOptions = TableOptions(), now: Date = Date()
    ) -> [String] {
        row(object, info: info, spec: spec(for: info?.kind ?? ""), options: options, now: now)
    }

    static func row(_ object: JSONValue, info: KindInfo?, spec: Spec, options: TableOptions, now: Date) -> [String] {
        var cells = spec.cells(object, now, options.wide)
        if options.withKind, spec.columns.first == "NAME", let info, !cells.isEmpty {
            cells[0] = ResourceName.prefix(info) + "/" + cells[0]
        }
        if options.wide { cells += spec.wideCells(object, now) }
        if options.allNamespaces, info?.namespaced ?? true { cells.insert(object.namespace, at: 0) }
        let labels = object.stringMap("metadata.labels")
        cells += options.labelColumns.map { labels[$0] ?? "" }
        if options.showLabels { cells.append(selectorText(object.stringMap("metadata.labels")) ?? "<none>") }
        return cells
    }

    /// kubectl's header for `-L app.kubernetes.io/name`: the key's last path segment, upper-cased (`NAME`).
    static func labelColumnHeader(_ key: String) -> String {
        (key.split(separator: "/").last.map(String.init) ?? key).uppercased()
    }

    static func age(_ object: JSONValue, _ now: Date) -> String {
        AgeFormatter.age(of: object.str("metadata.creationTimestamp"), now: now)
    }

    /// "Terminating" for an object being deleted, else `status` (kubectl's PV and PVC STATUS column).
    static func terminatingOr(_ object: JSONValue, _ status: String) -> String {
        object.str("metadata.deletionTimestamp") == nil ? status : "Terminating"
    }

    static func none(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "<none>" }
        return text
    }

    static func count(_ value: Int64?) -> String { String(value ?? 0) }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func spec(for kind: String) -> Spec {
        switch kind {
        case "Pod":
            return Spec(
                columns: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
                wideColumns: ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
                cells: { o, now in
                    let s = PodStatusSummary(o, now: now)
                    return [o.name, s.ready, s.status, s.restarts, age(o, now)]
                },
                wideCells: { o, _ in
                    let gates = o.list("spec.readinessGates")
                    var gateText = "<none>"
                    if !gates.isEmpty {
                        let conditions = o.list("status.conditions")
                        let ready = gates.filter { gate in
                            conditions.contains {
                                $0.str("type") == gate.str("conditionType") && $0.str("status") == "True"
                            }
                        }.count
                        gateText = "\(ready)/\(gates.count)"
                    }
                    return [
                        none(o.str("status.podIP")), none(o.str("spec.nodeName")),
                        none(o.str("status.nominatedNodeName")), gateText,
                    ]
                })
        case "Deployment":
            return Spec(
                columns: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
                cells: { o, now in
                    [
                        o.name, "\(count(o.int("status.readyReplicas")))/\(o.int("spec.replicas") ?? 1)",
                        count(o.int("status.updatedReplicas")), count(o.int("status.availableReplicas")), age(o, now),
                    ]
                },
                wideCells: { o, _ in containersImagesSelector(o) })
        case "ReplicaSet":
            return Spec(
                columns: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
                cells: { o, now in
                    [
                        o.name, String(o.int("spec.replicas") ?? 1), count(o.int("status.replicas")),
                        count(o.int("status.readyReplicas")), age(o, now),
                    ]
                },
                wideCells: { o, _ in containersImagesSelector(o) })
        case "StatefulSet":
            return Spec(
                columns: ["NAME", "READY", "AGE"], wideColumns: ["CONTAINERS", "IMAGES"],
                cells: { o, now in
                    [o.name, "\(count(o.int("status.readyReplicas")))/\(o.int("spec.replicas") ?? 1)", age(o, now)]
                },
                wideCells: { o, _ in Array(containersImagesSelector(o).prefix(2)) })
        case "DaemonSet":
            return Spec(
                columns: ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
                wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
                cells: { o, now in
                    [
                        o.name, count(o.int("status.desiredNumberScheduled")),
                        count(o.int("status.currentNumberScheduled")), count(o.int("status.numberReady")),
                        count(o.int("status.updatedNumberScheduled")), count(o.int("status.numberAvailable")),
                        none(selectorText(o.stringMap("spec.template.spec.nodeSelector"))), age(o, now),
                    ]
                },
                wideCells: { o, _ in containersImagesSelector(o) })
        case "Job":
            return Spec(
                columns: ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
                wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
                cells: { o, now in [o.name, jobStatus(o), jobCompletions(o), jobDuration(o, now), age(o, now)] },
                wideCells: { o, _ in containersImagesSelector(o) })
        case "CronJob":
            return Spec(
                columns: ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
                wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
                cells: { o, now in
                    let last = o.str("status.lastScheduleTime").map { AgeFormatter.age(of: $0, now: now) }
                    return [
                        o.name, o.str("spec.schedule") ?? "", none(o.str("spec.timeZone")),
                        (o.at("spec.suspend")?.boolValue ?? false) ? "True" : "False",
                        String(o.list("status.active").count), last ?? "<none>", age(o, now),
                    ]
                },
                wideCells: { o, _ in
                    let containers = o.list("spec.jobTemplate.spec.template.spec.containers")
                    return [
                        containers.map(\.name).joined(separator: ","),
                        containers.compactMap { $0.str("image") }.joined(separator: ","),
                        none(selectorText(o.stringMap("spec.jobTemplate.spec.selector.matchLabels"))),
                    ]
                })
        case "Service":
            return Spec(
                columns: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], wideColumns: ["SELECTOR"],
                widthCells: { o, now, wide in
                    let clusterIP = o.list("spec.clusterIPs").first?.stringValue ?? o.str("spec.clusterIP")
                    return [
                        o.name, o.str("spec.type") ?? "ClusterIP", none(clusterIP), externalIP(o, wide: wide),
                        servicePorts(o), age(o, now),
                    ]
                },
                wideCells: { o, _ in [none(selectorText(o.stringMap("spec.selector")))] })
        case "Endpoints":
            return Spec(
                columns: ["NAME", "ENDPOINTS", "AGE"], cells: { o, now in [o.name, endpoints(o), age(o, now)] })
        case "EndpointSlice":
            return Spec(columns: ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]) { o, now in
                let ports = o.list("ports").map { p in p.int("port").map(String.init) ?? p.str("name") ?? "*" }
                let addresses = o.list("endpoints").flatMap { $0.list("addresses").compactMap(\.stringValue) }
                return [o.name, o.str("addressType") ?? "", listWithMore(ports), listWithMore(addresses), age(o, now)]
            }
        case "ConfigMap":
            return Spec(columns: ["NAME", "DATA", "AGE"]) { o, now in
                [
                    o.name,
                    String((o.at("data")?.objectValue?.count ?? 0) + (o.at("binaryData")?.objectValue?.count ?? 0)),
                    age(o, now),
                ]
            }
        case "Secret":
            return Spec(columns: ["NAME", "TYPE", "DATA", "AGE"]) { o, now in
                let keys = Set((o.at("data")?.objectValue ?? [:]).keys).union(
                    (o.at("stringData")?.objectValue ?? [:]).keys)
                return [o.name, o.str("type") ?? "Opaque", String(keys.count), age(o, now)]
            }
        case "Namespace":
            return Spec(columns: ["NAME", "STATUS", "AGE"]) { o, now in
                [o.name, o.str("status.phase") ?? "Active", age(o, now)]
            }
        case "Node":
            return Spec(
                columns: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
                wideColumns: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
                cells: { o, now in
                    [o.name, nodeStatus(o), nodeRoles(o), age(o, now), o.str("status.nodeInfo.kubeletVersion") ?? ""]
                },
                wideCells: { o, _ in
                    let addresses = o.list("status.addresses")
                    func address(_ type: String) -> String {
                        none(addresses.first { $0.str("type") == type }?.str("address"))
                    }
                    return [
                        address("InternalIP"), address("ExternalIP"),
                        o.str("status.nodeInfo.osImage") ?? "<unknown>",
                        o.str("status.nodeInfo.kernelVersion") ?? "<unknown>",
                        o.str("status.nodeInfo.containerRuntimeVersion") ?? "<unknown>",
                    ]
                })
        case "PersistentVolume":
            return Spec(
                columns: [
                    "NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
                    "VOLUMEATTRIBUTESCLASS", "REASON", "AGE",
                ]
            ) { o, now in
                var claim = ""
                if let name = o.str("spec.claimRef.name") {
                    claim = "\(o.str("spec.claimRef.namespace") ?? "")/\(name)"
                }
                return [
                    o.name, o.at("spec.capacity.storage")?.plainText ?? "", accessModes(o.list("spec.accessModes")),
                    o.str("spec.persistentVolumeReclaimPolicy") ?? "Retain",
                    terminatingOr(o, o.str("status.phase") ?? ""), claim,
                    o.str("spec.storageClassName") ?? "", o.str("spec.volumeAttributesClassName") ?? "<unset>",
                    o.str("status.reason") ?? "", age(o, now),
                ]
            }
        case "PersistentVolumeClaim":
            return Spec(
                columns: [
                    "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
                    "VOLUMEATTRIBUTESCLASS", "AGE",
                ]
            ) { o, now in
                [
                    o.name, terminatingOr(o, o.str("status.phase") ?? "Pending"), o.str("spec.volumeName") ?? "",
                    o.at("status.capacity.storage")?.plainText ?? "", accessModes(o.list("status.accessModes")),
                    o.str("spec.storageClassName") ?? "", o.str("spec.volumeAttributesClassName") ?? "<unset>",
                    age(o, now),
                ]
            }
        case "Ingress":
            return Spec(
                columns: ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
                widthCells: { o, now, wide in
                    [
                        o.name, none(o.str("spec.ingressClassName")), ingressHosts(o),
                        loadBalancerText(o.list("status.loadBalancer.ingress"), wide: wide),
                        o.list("spec.tls").isEmpty ? "80" : "80, 443", age(o, now),
                    ]
                })
        case "IngressClass":
            return Spec(columns: ["NAME", "CONTROLLER", "PARAMETERS", "AGE"]) { o, now in
                var parameters = "<none>"
                if let p = o.at("spec.parameters"), case .object = p {
                    parameters = (p.str("kind") ?? "") + (p.str("apiGroup").map { ".\($0)" } ?? "") + "/\(p.name)"
                }
                return [o.name, o.str("spec.controller") ?? "", parameters, age(o, now)]
            }
        case "NetworkPolicy":
            return Spec(columns: ["NAME", "POD-SELECTOR", "AGE"]) { o, now in
                [o.name, LabelSelectorFormat.text(o.at("spec.podSelector")), age(o, now)]
            }
        case "HorizontalPodAutoscaler":
            return Spec(columns: ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]) { o, now in
                [
                    o.name, "\(o.str("spec.scaleTargetRef.kind") ?? "")/\(o.str("spec.scaleTargetRef.name") ?? "")",
                    hpaTargets(o), String(o.int("spec.minReplicas") ?? 1), count(o.int("spec.maxReplicas")),
                    count(o.int("status.currentReplicas")), age(o, now),
                ]
            }
        case "Event":
            return Spec(columns: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]) { o, now in
                let last = o.str("lastTimestamp") ?? o.str("eventTime") ?? o.str("metadata.creationTimestamp")
                let object =
                    "\((o.str("involvedObject.kind") ?? "").lowercased())/\(o.str("involvedObject.name") ?? "")"
                return [
                    AgeFormatter.age(of: last, now: now), o.str("type") ?? "", o.str("reason") ?? "", object,
                    o.str("message") ?? "",
                ]
            }
        case "Lease":
            return Spec(columns: ["NAME", "HOLDER", "AGE"]) { o, now in
                [o.name, o.str("spec.holderIdentity") ?? "", age(o, now)]
            }
        case "ResourceQuota":
            // kubectl's REQUEST and LIMIT: `used/hard` of each resource, limits.* under LIMIT.
            return Spec(columns: ["NAME", "AGE", "REQUEST", "LIMIT"]) { o, now in
                let hard = o.at("status.hard")?.objectValue ?? o.at("spec.hard")?.objectValue ?? [:]
                let used = o.at("status.used")?.objectValue ?? [:]
                func cells(_ keys: [String]) -> String {
                    keys.map { "\($0): \(used[$0]?.plainText ?? "0")/\(hard[$0]?.plainText ?? "")" }
                        .joined(separator: ", ")
                }
                let keys = hard.keys.sorted()
                return [
                    o.name, age(o, now), cells(keys.filter { !$0.hasPrefix("limits.") }),
                    cells(keys.filter { $0.hasPrefix("limits.") }),
                ]
            }
        case "LimitRange":
            return Spec(columns: ["NAME", "CREATED AT"]) { o, _ in
                [o.name, o.str("metadata.creationTimestamp") ?? ""]
            }
        case "ServiceAccount":
            return Spec(columns: ["NAME", "SECRETS", "AGE"]) { o, now in
                [o.name, String(o.list("secrets").count), age(o, now)]
            }
        case "Role", "ClusterRole":
            return Spec(columns: ["NAME", "CREATED AT"]) { o, _ in
                [o.name, o.str("metadata.creationTimestamp") ?? ""]
            }
        case "RoleBinding", "ClusterRoleBinding":
            return Spec(
                columns: ["NAME", "ROLE", "AGE"], wideColumns: ["USERS", "GROUPS", "SERVICEACCOUNTS"],
                cells: { o, now in
                    [o.name, "\(o.str("roleRef.kind") ?? "")/\(o.str("roleRef.name") ?? "")", age(o, now)]
                },
                wideCells: { o, _ in
                    let subjects = o.list("subjects")
                    func names(_ kind: String) -> String {
                        subjects.filter { $0.str("kind") == kind }.map { subject in
                            kind == "ServiceAccount"
                                ? "\(subject.str("namespace") ?? "")/\(subject.name)" : subject.name
                        }.joined(separator: ", ")
                    }
                    return [names("User"), names("Group"), names("ServiceAccount")]
                })
        case "StorageClass":
            return Spec(
                columns: ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]
            ) { o, now in
                [
                    o.name, o.str("provisioner") ?? "", o.str("reclaimPolicy") ?? "Delete",
                    o.str("volumeBindingMode") ?? "Immediate",
                    (o.at("allowVolumeExpansion")?.boolValue ?? false) ? "true" : "false", age(o, now),
                ]
            }
        default:
            return Spec(columns: ["NAME", "AGE"]) { o, now in [o.name, age(o, now)] }
        }
    }

    // MARK: Kind helpers

    static func containersImagesSelector(_ o: JSONValue) -> [String] {
        let containers = o.list("spec.template.spec.containers")
        return [
            containers.map(\.name).joined(separator: ","),
            containers.compactMap { $0.str("image") }.joined(separator: ","),
            none(selectorText(o.stringMap("spec.selector.matchLabels"))),
        ]
    }

    static func jobStatus(_ o: JSONValue) -> String {
        let conditions = o.list("status.conditions").filter { $0.str("status") == "True" }
        for type in ["Complete", "Failed", "FailureTarget", "SuccessCriteriaMet", "Suspended"]
        where conditions.contains(where: { $0.str("type") == type }) {
            switch type {
            case "FailureTarget": return "Failing"
            case "SuccessCriteriaMet": return "Complete"
            default: return type
            }
        }
        return "Running"
    }

    static func jobCompletions(_ o: JSONValue) -> String {
        let succeeded = count(o.int("status.succeeded"))
        if let completions = o.int("spec.completions") { return "\(succeeded)/\(completions)" }
        let parallelism = o.int("spec.parallelism") ?? 1
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    static func jobDuration(_ o: JSONValue, _ now: Date) -> String {
        guard let start = o.str("status.startTime").flatMap(AgeFormatter.parse) else { return "" }
        let end = o.str("status.completionTime").flatMap(AgeFormatter.parse) ?? now
        return AgeFormatter.human(seconds: Int64(end.timeIntervalSince(start)))
    }

    /// kubectl's EXTERNAL-IP: the external IPs, for a LoadBalancer its status addresses first (`<pending>` while it
    /// has none), for an ExternalName the name.
    static func externalIP(_ o: JSONValue, wide: Bool) -> String {
        let external = o.list("spec.externalIPs").compactMap(\.stringValue)
        switch o.str("spec.type") ?? "ClusterIP" {
        case "ClusterIP", "NodePort":
            return external.isEmpty ? "<none>" : external.joined(separator: ",")
        case "LoadBalancer":
            let balancer = loadBalancerText(o.list("status.loadBalancer.ingress"), wide: wide)
            if !external.isEmpty {
                return ((balancer.isEmpty ? [] : balancer.split(separator: ",").map(String.init)) + external)
                    .joined(separator: ",")
            }
            return balancer.isEmpty ? "<pending>" : balancer
        case "ExternalName":
            return o.str("spec.externalName") ?? ""
        default:
            return "<unknown>"
        }
    }

    /// The addresses of a load-balancer status, sorted and without repeats; clipped to 16 characters unless `wide`.
    static func loadBalancerText(_ ingress: [JSONValue], wide: Bool) -> String {
        let addresses = Set(
            ingress.compactMap { entry -> String? in
                if let ip = entry.str("ip"), !ip.isEmpty { return ip }
                if let host = entry.str("hostname"), !host.isEmpty { return host }
                return nil
            }
        ).sorted()
        let text = addresses.joined(separator: ",")
        if !wide && text.count > 16 { return String(text.prefix(13)) + "..." }
        return text
    }

    static func servicePorts(_ o: JSONValue) -> String {
        let ports = o.list("spec.ports").map { p -> String in
            let port = p.int("port").map(String.init) ?? "0"
            let node = p.int("nodePort").flatMap { $0 > 0 ? ":\($0)" : nil } ?? ""
            return "\(port)\(node)/\(p.str("protocol") ?? "TCP")"
        }
        return ports.isEmpty ? "<none>" : ports.joined(separator: ",")
    }

    /// kubectl's ENDPOINTS of an Endpoints object (`formatEndpoints`): `ip:port` per port and address, subset by
    /// subset, the first three and `+ N more...`; `<none>` without subsets. `portNames` keeps only those ports.
    static func endpoints(_ o: JSONValue, portNames: Set<String>? = nil) -> String {
        let subsets = o.list("subsets")
        if subsets.isEmpty { return "<none>" }
        let maximum = 3
        var list: [String] = []
        var count = 0
        func add(_ text: String) {
            count += 1
            if list.count < maximum { list.append(text) }
        }
        for subset in subsets {
            let addresses = subset.list("addresses").map { $0.str("ip") ?? "" }
            let ports = subset.list("ports")
            if ports.isEmpty {
                addresses.forEach(add)
                continue
            }
            for port in ports where portNames?.contains(port.str("name") ?? "") ?? true {
                for ip in addresses { add(hostPort(ip, port.int("port") ?? 0)) }
            }
        }
        let text = list.joined(separator: ",")
        return count > maximum ? "\(text) + \(count - maximum) more..." : text
    }

    /// Go's `net.JoinHostPort`: IPv6 addresses in brackets.
    static func hostPort(_ host: String, _ port: Int64) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// kubectl's `listWithMoreString`: the first three, `+ N more...`, or `<unset>` for none.
    static func listWithMore(_ items: [String]) -> String {
        if items.count > 3 { return items.prefix(3).joined(separator: ",") + " + \(items.count - 3) more..." }
        return items.isEmpty ? "<unset>" : items.joined(separator: ",")
    }

    /// kubectl's HOSTS of an Ingress: the first three rule hosts and `+ N more...` (counting every rule), or `*`.
    static func ingressHosts(_ o: JSONValue) -> String {
        let rules = o.list("spec.rules")
        var hosts: [String] = []
        var more = false
        for rule in rules {
            if hosts.count == 3 { more = true }
            if !more, let host = rule.str("host"), !host.isEmpty { hosts.append(host) }
        }
        if hosts.isEmpty { return "*" }
        let text = hosts.joined(separator: ",")
        return more ? "\(text) + \(rules.count - 3) more..." : text
    }

    static func nodeStatus(_ o: JSONValue) -> String {
        let ready = o.list("status.conditions").first { $0.str("type") == "Ready" }
        var status = ready?.str("status") == "True" ? "Ready" : (ready == nil ? "Unknown" : "NotReady")
        if o.at("spec.unschedulable")?.boolValue == true { status += ",SchedulingDisabled" }
        return status
    }

    static func nodeRoles(_ o: JSONValue) -> String {
        let prefix = "node-role.kubernetes.io/"
        var roles = Set<String>()
        for (key, value) in o.stringMap("metadata.labels") {
            if key.hasPrefix(prefix) {
                let role = String(key.dropFirst(prefix.count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    static func accessModes(_ modes: [JSONValue]) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return modes.compactMap(\.stringValue).map { short[$0] ?? $0 }.joined(separator: ",")
    }

    static func hpaTargets(_ o: JSONValue) -> String {
        let metrics = o.list("spec.metrics")
        let current = o.list("status.currentMetrics")
        if metrics.isEmpty { return "<none>" }
        return metrics.map { metric -> String in
            guard metric.str("type") == "Resource" else { return "<unknown>/<unknown>" }
            let name = metric.str("resource.name") ?? ""
            let target =
                metric.int("resource.target.averageUtilization").map { "\($0)%" }
                ?? metric.at("resource.target.averageValue")?.plainText ?? "<unknown>"
            let now = current.first { $0.str("resource.name") == name }
            let value =
                now?.int("resource.current.averageUtilization").map { "\($0)%" }
                ?? now?.at("resource.current.averageValue")?.plainText ?? "<unknown>"
            return "\(name): \(value)/\(target)"
        }.joined(separator: ", ")
    }
}

/// The READY, STATUS and RESTARTS of a pod, computed as kubectl's pod printer does.
struct PodStatusSummary {
    var ready: String
    var status: String
    var restarts: String

    init(_ pod: JSONValue, now: Date) {
        let containers = pod.list("spec.containers")
        var reason = pod.str("status.reason") ?? pod.str("status.phase") ?? "Pending"
        var restarts: Int64 = 0
        var readyCount = 0
        var lastRestart: Date?
        func noteRestart(_ status: JSONValue) {
            restarts += status.int("restartCount") ?? 0
            if let finished = status.str("lastState.terminated.finishedAt").flatMap(AgeFormatter.parse) {
                lastRestart = max(lastRestart ?? finished, finished)
            }
        }
        var initializing = false
        let initContainers = pod.list("spec.initContainers")
        for (index, status) in pod.list("status.initContainerStatuses").enumerated() {
            noteRestart(status)
            if let terminated = status.at("state.terminated"), terminated.int("exitCode") == 0 { continue }
            initializing = true
            if let terminated = status.at("state.terminated") {
                if let r = terminated.str("reason"), !r.isEmpty {
                    reason = "Init:" + r
                } else if let signal = terminated.int("signal"), signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated.int("exitCode") ?? 0)"
                }
            } else if let r = status.str("state.waiting.reason"), !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            break
        }
        if !initializing {
            restarts = 0
            lastRestart = nil
            var hasRunning = false
            for status in pod.list("status.containerStatuses").reversed() {
                noteRestart(status)
                if let r = status.str("state.waiting.reason"), !r.isEmpty {
                    reason = r
                } else if let terminated = status.at("state.terminated") {
                    if let r = terminated.str("reason"), !r.isEmpty {
                        reason = r
                    } else if let signal = terminated.int("signal"), signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated.int("exitCode") ?? 0)"
                    }
                } else if status.at("ready")?.boolValue == true, status.at("state.running") != nil {
                    hasRunning = true
                    readyCount += 1
                }
            }
            if reason == "Completed", hasRunning {
                let readyCondition = pod.list("status.conditions").first { $0.str("type") == "Ready" }
                reason = readyCondition?.str("status") == "True" ? "Running" : "NotReady"
            }
        }
        if pod.at("metadata.deletionTimestamp").map({ !$0.isNull }) == true {
            reason = pod.str("status.reason") == "NodeLost" ? "Unknown" : "Terminating"
        }
        ready = "\(readyCount)/\(containers.count)"
        status = reason
        if let lastRestart, restarts > 0 {
            self.restarts =
                "\(restarts) (\(AgeFormatter.human(seconds: Int64(now.timeIntervalSince(lastRestart)))) ago)"
        } else {
            self.restarts = String(restarts)
        }
    }
}
