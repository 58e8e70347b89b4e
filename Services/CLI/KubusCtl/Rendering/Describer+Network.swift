import Foundation
import Schema

extension Describer {
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
                table.rows = [["----", "----", "--------"]] + ports.map {
                    [$0.str("name") ?? "<unset>", String($0.int("port") ?? 0), $0.str("protocol") ?? "TCP"]
                }
                for line in table.lines(padding: 2, minWidth: 0) { w.line("    " + line) }
            }
            w.line("")
        }
    }

    static func ingress(_ o: JSONValue, _ w: inout Writer) {
        // kubectl prints Labels before Namespace here, and Annotations after the rules.
        w.text = ""
        w.field("Name", o.name)
        w.map("Labels", o.stringMap("metadata.labels"))
        w.field("Namespace", o.namespace)
        let address = o.list("status.loadBalancer.ingress").compactMap { $0.str("ip") ?? $0.str("hostname") }
        w.field("Address", address.joined(separator: ","))
        w.field("Ingress Class", o.str("spec.ingressClassName") ?? "<none>")
        let defaultBackend = o.at("spec.defaultBackend").map(backendText) ?? "<default>"
        w.field("Default backend", defaultBackend)
        let tls = o.list("spec.tls")
        if !tls.isEmpty {
            w.line("TLS:")
            for entry in tls {
                let hosts = entry.list("hosts").map(\.plainText).joined(separator: ",")
                if let secret = entry.str("secretName") {
                    w.line("  \(secret) terminates \(hosts)")
                } else {
                    w.line("  SNI routes \(hosts)")
                }
            }
        }
        w.line("Rules:")
        var table = Table(columns: ["Host", "Path", "Backends"])
        table.rows = [["----", "----", "--------"]]
        var count = 0
        for rule in o.list("spec.rules") where rule.at("http") != nil {
            count += 1
            table.rows.append([rule.str("host") ?? "*", "", ""])
            for path in rule.list("http.paths") {
                table.rows.append(["", path.str("path") ?? "", path.at("backend").map(backendText) ?? ""])
            }
        }
        if count == 0 { table.rows.append(["*", "*", defaultBackend]) }
        for line in table.lines(padding: 2, minWidth: 0) { w.line("  " + line) }
        var annotations = o.stringMap("metadata.annotations")
        annotations[ApplyPlanner.lastAppliedKey] = nil
        w.map("Annotations", annotations)
    }

    /// `web:80`, `web:http`, or a resource backend `Kind/name`.
    static func backendText(_ backend: JSONValue) -> String {
        if let service = backend.at("service") {
            let port = service.int("port.number").map(String.init) ?? service.str("port.name") ?? ""
            return "\(service.name):\(port)"
        }
        if let resource = backend.at("resource") {
            return "APIGroup: \(resource.str("apiGroup") ?? ""), Kind: \(resource.str("kind") ?? ""), Name: \(resource.name)"
        }
        return ""
    }
}
