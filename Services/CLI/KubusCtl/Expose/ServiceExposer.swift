import Schema

/// The Service `kubectl expose` generates for a Pod, Service, Deployment or ReplicaSet: the object's selector (a
/// pod's labels), its ports (a workload's container ports) with their protocols, its labels, and the flags on top;
/// errors in kubectl's words.
struct ServiceExposer {
    /// The flags of `expose`, empty when not given.
    struct Options: Sendable, Hashable {
        var name = ""
        var port = ""
        var targetPort = ""
        var protocolName = ""
        var type = ""
        var selector = ""
        var labels = ""
        var externalIP = ""
        var loadBalancerIP = ""
        var sessionAffinity = ""
        var clusterIP = ""
    }

    var options: Options

    /// The Service for `object`, with `namespace` only when given with `-n` (as kubectl's dry run prints it).
    func service(exposing object: JSONValue, info: KindInfo, namespace: String?) throws(CtlError) -> JSONValue {
        guard ["Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController"].contains(info.kind) else {
            throw CtlError("cannot expose a \(info.group.isEmpty ? info.kind : "\(info.kind).\(info.group)")")
        }
        var selector = options.selector
        if selector.isEmpty {
            do {
                selector = try Self.selector(of: object, kind: info.kind)
            } catch {
                throw CtlError("couldn't retrieve selectors via --selector flag or introspection: \(error.message)")
            }
        }
        var port = options.port
        var ports = ""
        if port.isEmpty {
            let found = Self.ports(of: object, kind: info.kind)
            switch found.count {
            case 0:
                if options.clusterIP != "None" { throw CtlError("couldn't find port via --port flag or introspection") }
            case 1: port = found[0]
            default: ports = found.joined(separator: ",")
            }
        }
        let protocols = Self.protocols(of: object, kind: info.kind)
        let labels = try options.labels.isEmpty ? object.stringMap("metadata.labels") : Self.parseLabels(options.labels)

        // Exactly kubectl's createService from here on.
        guard !selector.isEmpty else { throw CtlError("selector must be specified") }
        let selectorMap = try Self.parseLabels(selector)
        let name = options.name.isEmpty ? String(object.name.prefix(63)) : options.name
        guard !name.isEmpty else { throw CtlError("name must be specified") }
        // Several ports when the object has several and --port was not given.
        let portString = ports.isEmpty ? port : ports
        let portStrings =
            portString.isEmpty
            ? [] : portString.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var servicePorts: [JSONValue] = []
        for (index, text) in portStrings.enumerated() {
            guard let number = Int(text) else { throw CtlError("strconv.Atoi: parsing \"\(text)\": invalid syntax") }
            let portName = portStrings.count > 1 ? "port-\(index + 1)" : ""
            var proto = options.protocolName
            if proto.isEmpty {
                proto = "TCP"
                if let found = protocols[text] {
                    if found.count == 1 {
                        proto = found[0]
                    } else {
                        for p in found {
                            servicePorts.append(Self.port(name: "port-\(index + 1)-\(p.lowercased())", number, p))
                        }
                        continue
                    }
                }
            }
            servicePorts.append(Self.port(name: portName, number, proto))
        }
        let target: JSONValue? =
            options.targetPort.isEmpty
            ? nil : (Int(options.targetPort).map { .int(Int64($0)) } ?? .string(options.targetPort))
        for index in servicePorts.indices {
            servicePorts[index]["targetPort"] = target ?? servicePorts[index]["port"]
        }
        var spec: JSONValue = ["selector": .object(selectorMap.mapValues { .string($0) })]
        if !servicePorts.isEmpty { spec["ports"] = .array(servicePorts) }
        if !options.externalIP.isEmpty { spec["externalIPs"] = [.string(options.externalIP)] }
        if !options.type.isEmpty { spec["type"] = .string(options.type) }
        if options.type == "LoadBalancer", !options.loadBalancerIP.isEmpty {
            spec["loadBalancerIP"] = .string(options.loadBalancerIP)
        }
        if !options.sessionAffinity.isEmpty {
            guard ["None", "ClientIP"].contains(options.sessionAffinity) else {
                throw CtlError("unknown session affinity: \(options.sessionAffinity)")
            }
            spec["sessionAffinity"] = .string(options.sessionAffinity)
        }
        if !options.clusterIP.isEmpty { spec["clusterIP"] = .string(options.clusterIP) }
        var metadata = CreateBuilder.metadata(name, namespace: namespace)
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        return [
            "apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec, "status": ["loadBalancer": [:]],
        ]
    }

    static func port(name: String, _ number: Int, _ proto: String) -> JSONValue {
        var port: JSONValue = ["port": .int(Int64(number)), "protocol": .string(proto)]
        if !name.isEmpty { port["name"] = .string(name) }
        return port
    }

    /// kubectl's `MapBasedSelectorForObject`, as `k=v,...`.
    static func selector(of object: JSONValue, kind: String) throws(CtlError) -> String {
        func text(_ map: [String: String]) -> String { selectorText(map) ?? "" }
        switch kind {
        case "Pod":
            let labels = object.stringMap("metadata.labels")
            guard !labels.isEmpty else { throw CtlError("the pod has no labels and cannot be exposed") }
            return text(labels)
        case "Service":
            guard let selector = object.at("spec.selector"), case .object = selector else {
                throw CtlError("the service has no pod selector set")
            }
            return text(object.stringMap("spec.selector"))
        case "ReplicationController":
            return text(object.stringMap("spec.selector"))
        default:
            let matchLabels = object.stringMap("spec.selector.matchLabels")
            guard !matchLabels.isEmpty else {
                throw CtlError("invalid \(kind.lowercased()): no selectors, therefore cannot be exposed")
            }
            let expressions = object.list("spec.selector.matchExpressions")
            guard expressions.isEmpty else {
                // Go's %+v of []LabelSelectorRequirement.
                let items = expressions.map { e in
                    let values = e.list("values").compactMap(\.stringValue).joined(separator: " ")
                    return "{Key:\(e.str("key") ?? "") Operator:\(e.str("operator") ?? "") Values:[\(values)]}"
                }
                throw CtlError(
                    "couldn't convert expressions - \"[\(items.joined(separator: " "))]\" to map-based selector format")
            }
            return text(matchLabels)
        }
    }

    /// The pod spec of a pod, or of a workload's template.
    static func podSpec(of object: JSONValue, kind: String) -> JSONValue? {
        kind == "Pod" ? object.at("spec") : object.at("spec.template.spec")
    }

    /// kubectl's `PortsForObject`: container ports (a Service's ports) without repeats, in order.
    static func ports(of object: JSONValue, kind: String) -> [String] {
        let numbers: [Int64]
        if kind == "Service" {
            numbers = object.list("spec.ports").compactMap { $0.int("port") }
        } else {
            numbers = (podSpec(of: object, kind: kind)?.list("containers") ?? []).flatMap { c in
                c.list("ports").compactMap { $0.int("containerPort") }
            }
        }
        var seen = Set<Int64>()
        return numbers.filter { seen.insert($0).inserted }.map(String.init)
    }

    /// kubectl's `MultiProtocolsForObject`: each port's protocols (TCP when unset), in order.
    static func protocols(of object: JSONValue, kind: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let entries: [(Int64?, String?)]
        if kind == "Service" {
            entries = object.list("spec.ports").map { ($0.int("port"), $0.str("protocol")) }
        } else {
            entries = (podSpec(of: object, kind: kind)?.list("containers") ?? []).flatMap { c in
                c.list("ports").map { ($0.int("containerPort"), $0.str("protocol")) }
            }
        }
        for (port, proto) in entries {
            guard let port else { continue }
            result[String(port), default: []].append(proto.flatMap { $0.isEmpty ? nil : $0 } ?? "TCP")
        }
        return result
    }

    /// kubectl's `parseLabels` for `--selector` and `--labels`: `k=v,k2=v2`, equality only.
    static func parseLabels(_ spec: String) throws(CtlError) -> [String: String] {
        var labels: [String: String] = [:]
        for item in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw CtlError("unexpected label spec: \(item)") }
            guard !parts[0].isEmpty else { throw CtlError("unexpected empty label key") }
            labels[String(parts[0])] = String(parts[1])
        }
        return labels
    }
}
