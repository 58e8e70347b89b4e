import Foundation
import Schema

extension Describer {
    static func service(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        metadata(o, &w)
        w.field("Selector", selectorText(o.stringMap("spec.selector")) ?? "<none>")
        w.field("Type", o.str("spec.type") ?? "")
        if let policy = o.str("spec.ipFamilyPolicy") { w.field("IP Family Policy", policy) }
        let families = o.list("spec.ipFamilies").compactMap(\.stringValue)
        w.field("IP Families", families.isEmpty ? "<none>" : families.joined(separator: ","))
        w.field("IP", o.str("spec.clusterIP") ?? "")
        let ips = o.list("spec.clusterIPs").compactMap(\.stringValue)
        w.field("IPs", ips.isEmpty ? "<none>" : ips.joined(separator: ","))
        let external = o.list("spec.externalIPs").compactMap(\.stringValue)
        if !external.isEmpty { w.field("External IPs", external.joined(separator: ",")) }
        if let ip = o.str("spec.loadBalancerIP"), !ip.isEmpty { w.field("Desired LoadBalancer IP", ip) }
        if let name = o.str("spec.externalName"), !name.isEmpty { w.field("External Name", name) }
        let ingress = o.list("status.loadBalancer.ingress")
        if !ingress.isEmpty {
            let list = ingress.map { entry -> String in
                guard let ip = entry.str("ip"), !ip.isEmpty else { return entry.str("hostname") ?? "" }
                return ip + (entry.str("ipMode").map { " (\($0))" } ?? "")
            }
            w.field("LoadBalancer Ingress", list.joined(separator: ", "))
        }
        for port in o.list("spec.ports") {
            let name = port.str("name").flatMap { $0.isEmpty ? nil : $0 } ?? "<unset>"
            let proto = port.str("protocol") ?? "TCP"
            w.field("Port", "\(name)  \(port.int("port") ?? 0)/\(proto)")
            w.field("TargetPort", "\(port.at("targetPort")?.plainText ?? "0")/\(proto)")
            if let appProtocol = port.str("appProtocol") { w.field("AppProtocol", appProtocol) }
            if let nodePort = port.int("nodePort"), nodePort != 0 {
                w.field("NodePort", "\(name)  \(nodePort)/\(proto)")
            }
            // kubectl formats an Endpoints it could not read as an empty one.
            let endpoints = related.endpoints ?? ["subsets": []]
            w.field("Endpoints", ResourceTable.endpoints(endpoints, portNames: [port.str("name") ?? ""]))
        }
        w.field("Session Affinity", o.str("spec.sessionAffinity") ?? "")
        if let policy = o.str("spec.externalTrafficPolicy"), !policy.isEmpty {
            w.field("External Traffic Policy", policy)
        }
        if let policy = o.str("spec.internalTrafficPolicy") { w.field("Internal Traffic Policy", policy) }
        if let port = o.int("spec.healthCheckNodePort"), port != 0 { w.field("HealthCheck NodePort", String(port)) }
        let ranges = o.list("spec.loadBalancerSourceRanges").compactMap(\.stringValue)
        if !ranges.isEmpty { w.field("LoadBalancer Source Ranges", ranges.joined(separator: ",")) }
        if let distribution = o.str("spec.trafficDistribution") { w.field("Traffic Distribution", distribution) }
    }

    static func endpoints(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.line("Subsets:")
        for subset in o.list("subsets") {
            func ips(_ key: String) -> String {
                let list = subset.list(key).compactMap { $0.str("ip") }
                return list.isEmpty ? "<none>" : list.joined(separator: ",")
            }
            w.field("Addresses", ips("addresses"), indent: 2)
            w.field("NotReadyAddresses", ips("notReadyAddresses"), indent: 2)
            let ports = subset.list("ports")
            if !ports.isEmpty {
                w.line("  Ports:")
                var table = Table(columns: ["Name", "Port", "Protocol"])
                table.rows =
                    [["----", "----", "--------"]]
                    + ports.map {
                        [$0.str("name") ?? "<unset>", String($0.int("port") ?? 0), $0.str("protocol") ?? "TCP"]
                    }
                for line in table.lines(padding: 2, minWidth: 0) { w.line("    " + line) }
            }
            w.line("")
        }
    }

    static func endpointSlice(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("AddressType", o.str("addressType") ?? "")
        let ports = o.list("ports")
        if ports.isEmpty {
            w.line("Ports: <unset>")
        } else {
            w.line("Ports:")
            let lines =
                ["  Name\tPort\tProtocol", "  ----\t----\t--------"]
                + ports.map { port in
                    let name = port.str("name").flatMap { $0.isEmpty ? nil : $0 } ?? "<unset>"
                    let number = port.int("port").map(String.init) ?? "<unset>"
                    return "  \(name)\t\(number)\t\(port.str("protocol") ?? "TCP")"
                }
            for line in lines { w.line(line) }
        }
        let endpoints = o.list("endpoints")
        if endpoints.isEmpty {
            w.line("Endpoints: <none>")
            return
        }
        w.line("Endpoints:")
        for endpoint in endpoints {
            let addresses = endpoint.list("addresses").compactMap(\.stringValue).joined(separator: ", ")
            w.field("- Addresses", addresses.isEmpty ? "<none>" : addresses, indent: 2)
            w.line("    Conditions:")
            w.field(
                "Ready", endpoint.at("conditions.ready")?.boolValue.map { $0 ? "true" : "false" } ?? "<unset>",
                indent: 6)
            w.field("Hostname", endpoint.str("hostname") ?? "<unset>", indent: 4)
            if let target = endpoint.at("targetRef") {
                w.field("TargetRef", "\(target.str("kind") ?? "")/\(target.name)", indent: 4)
            }
            w.field("NodeName", endpoint.str("nodeName") ?? "<unset>", indent: 4)
            w.field("Zone", endpoint.str("zone") ?? "<unset>", indent: 4)
        }
    }

    static func ingress(_ o: JSONValue, _ w: inout Writer, _ related: DescribeRelated) {
        // kubectl prints Labels before Namespace here, and Annotations after the rules.
        w.text = ""
        w.field("Name", o.name)
        w.map("Labels", o.stringMap("metadata.labels"))
        w.field("Namespace", o.namespace)
        w.field("Address", ResourceTable.loadBalancerText(o.list("status.loadBalancer.ingress"), wide: true))
        w.field("Ingress Class", o.str("spec.ingressClassName") ?? "<none>")
        let defaultBackend = o.at("spec.defaultBackend").map { backendText($0, related) } ?? "<default>"
        w.field("Default backend", defaultBackend)
        let tls = o.list("spec.tls")
        if !tls.isEmpty {
            w.line("TLS:")
            for entry in tls {
                let hosts = entry.list("hosts").map(\.plainText).joined(separator: ",")
                if let secret = entry.str("secretName"), !secret.isEmpty {
                    w.line("  \(secret) terminates \(hosts)")
                } else {
                    w.line("  SNI routes \(hosts)")
                }
            }
        }
        w.line("Rules:")
        var lines = ["  Host\tPath\tBackends", "  ----\t----\t--------"]
        var count = 0
        for rule in o.list("spec.rules") where rule.at("http") != nil {
            count += 1
            lines.append("  \(rule.str("host").flatMap { $0.isEmpty ? nil : $0 } ?? "*")\t")
            for path in rule.list("http.paths") {
                lines.append(
                    "    \t\(path.str("path") ?? "") \t\(path.at("backend").map { backendText($0, related) } ?? "")")
            }
        }
        if count == 0 { lines.append("  *\t*\t\(defaultBackend)") }
        // Tab cells: as in kubectl, the host column aligns with the Annotations and Events lines after it.
        for line in lines { w.line(line) }
        var annotations = o.stringMap("metadata.annotations")
        annotations[ApplyPlanner.lastAppliedKey] = nil
        w.map("Annotations", annotations)
    }

    /// `web:80 (10.244.0.5:8080,10.244.0.6:8080)`: the Service backend and the endpoints of its port, as kubectl's
    /// ingress describer shows them; `web:80 (<error: endpoints "web" not found>)` when they cannot be read.
    static func backendText(_ backend: JSONValue, _ related: DescribeRelated) -> String {
        if let service = backend.at("service") {
            let number = service.int("port.number") ?? 0
            let portName = service.str("port.name") ?? ""
            let text = "\(service.name):\(number != 0 ? String(number) : portName)"
            if let error = related.backendErrors[service.name] { return "\(text) (<error: \(error)>)" }
            guard let endpoints = related.backendEndpoints[service.name],
                let object = related.backendServices[service.name]
            else {
                return "\(text) (<error: endpoints \"\(service.name)\" not found>)"
            }
            var servicePortName = ""
            for port in object.list("spec.ports") {
                if number != 0 && port.int("port") == number {
                    servicePortName = port.str("name") ?? ""
                } else if !portName.isEmpty && port.str("name") == portName {
                    servicePortName = portName
                }
            }
            return "\(text) (\(ResourceTable.endpoints(endpoints, portNames: [servicePortName])))"
        }
        if let resource = backend.at("resource") {
            return "APIGroup: \(resource.str("apiGroup") ?? "<none>"), Kind: \(resource.str("kind") ?? ""), "
                + "Name: \(resource.name)"
        }
        return ""
    }

    static func ingressClass(_ o: JSONValue, _ w: inout Writer) {
        metadata(o, &w)
        w.field("Controller", o.str("spec.controller") ?? "")
        if let parameters = o.at("spec.parameters"), case .object = parameters {
            w.line("Parameters:")
            if let group = parameters.str("apiGroup") { w.field("APIGroup", group, indent: 2) }
            w.field("Kind", parameters.str("kind") ?? "", indent: 2)
            w.field("Name", parameters.name, indent: 2)
        }
    }

    /// kubectl's NetworkPolicy describer: the rules in words ("Allowing ingress traffic: To Port: ... From: ...").
    /// It prints no events.
    static func networkPolicy(_ o: JSONValue, _ w: inout Writer) {
        w.field("Created on", o.str("metadata.creationTimestamp").flatMap(goTime) ?? "0001-01-01 00:00:00 +0000 UTC")
        metadata(o, &w)
        w.line("Spec:")
        let selector = o.at("spec.podSelector")
        if LabelSelectorFormat.text(selector) == "<none>" {
            w.line("  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)")
        } else {
            w.line("  PodSelector:     \(LabelSelectorFormat.text(selector))")
        }
        let types = o.list("spec.policyTypes").compactMap(\.stringValue)
        if types.contains("Ingress") {
            w.line("  Allowing ingress traffic:")
            networkPolicyRules(o.list("spec.ingress"), peers: "from", direction: "ingress", &w)
        } else {
            w.line("  Not affecting ingress traffic")
        }
        if types.contains("Egress") {
            w.line("  Allowing egress traffic:")
            networkPolicyRules(o.list("spec.egress"), peers: "to", direction: "egress", &w)
        } else {
            w.line("  Not affecting egress traffic")
        }
        w.line("  Policy Types: \(types.joined(separator: ", "))")
    }

    private static func networkPolicyRules(
        _ rules: [JSONValue], peers key: String, direction: String, _ w: inout Writer
    ) {
        let indent = "    "
        guard !rules.isEmpty else {
            w.line(indent + "<none> (Selected pods are isolated for \(direction) connectivity)")
            return
        }
        let label = key == "from" ? "From" : "To"
        for (index, rule) in rules.enumerated() {
            let ports = rule.list("ports")
            if ports.isEmpty {
                w.line(indent + "To Port: <any> (traffic allowed to all ports)")
            }
            for port in ports {
                let number = port.at("port").map(\.plainText) ?? "<nil>"
                let proto = port.str("protocol") ?? "TCP"
                if let end = port.int("endPort") {
                    w.line(indent + "To Port Range: \(number)-\(end)/\(proto)")
                } else {
                    w.line(indent + "To Port: \(number)/\(proto)")
                }
            }
            let peers = rule.list(key)
            if peers.isEmpty {
                w.line(
                    indent
                        + (key == "from"
                            ? "From: <any> (traffic not restricted by source)"
                            : "To: <any> (traffic not restricted by destination)"))
            }
            for peer in peers {
                w.line(indent + "\(label):")
                let pods = peer.at("podSelector").map(LabelSelectorFormat.text)
                let namespaces = peer.at("namespaceSelector").map(LabelSelectorFormat.text)
                if let namespaces { w.line(indent + "  NamespaceSelector: \(namespaces)") }
                if let pods { w.line(indent + "  PodSelector: \(pods)") }
                if pods == nil, namespaces == nil, let block = peer.at("ipBlock") {
                    w.line(indent + "  IPBlock:")
                    w.line(indent + "    CIDR: \(block.str("cidr") ?? "")")
                    w.line(
                        indent + "    Except: \(block.list("except").compactMap(\.stringValue).joined(separator: ", "))"
                    )
                }
            }
            if index != rules.count - 1 { w.line(indent + "----------") }
        }
    }

    /// Go's default `time.Time` text, as kubectl prints a `metav1.Time` with `%s`: `2006-01-02 15:04:05 +0000 UTC`.
    static func goTime(_ text: String) -> String? {
        guard let date = AgeFormatter.parse(text) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.string(from: date) + " UTC"
    }
}
