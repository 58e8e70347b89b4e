import Foundation
public import Schema

/// The proxy's nftables table, as kube-proxy's nftables mode lays its own out: verdict maps from address, protocol
/// and port to a chain per service port, a chain per endpoint that DNATs to it, masquerading marked and done in
/// postrouting, and rejection of connections to services with no endpoints.
///
/// The script replaces the table's content in one `nft -f` transaction: the table is created if missing and flushed
/// (rules and maps; sets keep their elements, so session-affinity entries survive a resync), every chain and map is
/// filled anew, and chains and sets that are no longer used are deleted.
public enum NFTablesRules {
    public static let defaultTable = "kubus-proxy"
    /// The packet mark asking postrouting to masquerade.
    static let masqueradeMark = "0x4000"

    /// The script for `model`; `existing` are the chain and set names the table holds now (deleted when unused).
    public static func script(
        _ model: ProxyModel, clusterCIDR: CIDR, table: String = defaultTable, existing: Set<String> = []
    ) -> (script: String, names: Set<String>) {
        var out = Script()
        var names: Set<String> = []
        let t = "ip \(table)"
        out.line("add table \(t) { comment \"rules for kubus-proxy\"; }")
        out.line("flush table \(t)")

        // Base chains and the fixed helpers.
        let base: [(String, String)] = [
            ("nat-prerouting", "type nat hook prerouting priority dstnat; policy accept;"),
            ("nat-output", "type nat hook output priority -100; policy accept;"),
            ("nat-postrouting", "type nat hook postrouting priority srcnat; policy accept;"),
            ("filter-input", "type filter hook input priority -110; policy accept;"),
            ("filter-forward", "type filter hook forward priority -110; policy accept;"),
            ("filter-output", "type filter hook output priority -110; policy accept;"),
        ]
        for (name, spec) in base {
            out.line("add chain \(t) \(name) { \(spec) }")
            names.insert(name)
        }
        for name in ["services", "masquerading", "mark-for-masquerade", "service-endpoints-check", "reject-chain"] {
            out.line("add chain \(t) \(name)")
            names.insert(name)
        }
        for (name, type) in [
            ("service-ips", "ipv4_addr . inet_proto . inet_service : verdict"),
            ("service-nodeports", "ipv4_addr . inet_proto . inet_service : verdict"),
            ("no-endpoint-services", "ipv4_addr . inet_proto . inet_service : verdict"),
        ] {
            out.line("add map \(t) \(name) { type \(type); }")
            out.line("flush map \(t) \(name)")
            names.insert(name)
        }
        out.line("add rule \(t) nat-prerouting jump services")
        out.line("add rule \(t) nat-output jump services")
        out.line("add rule \(t) nat-postrouting jump masquerading")
        for chain in ["filter-input", "filter-forward", "filter-output"] {
            out.line("add rule \(t) \(chain) ct state new jump service-endpoints-check")
        }
        out.line("add rule \(t) service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services")
        out.line("add rule \(t) services ip daddr . meta l4proto . th dport vmap @service-ips")
        out.line("add rule \(t) services ip daddr . meta l4proto . th dport vmap @service-nodeports")
        out.line("add rule \(t) masquerading meta mark & \(masqueradeMark) == 0 return")
        out.line("add rule \(t) masquerading meta mark set meta mark ^ \(masqueradeMark)")
        out.line("add rule \(t) masquerading masquerade fully-random")
        out.line("add rule \(t) mark-for-masquerade meta mark set meta mark | \(masqueradeMark)")
        // A TCP reset refuses a connection at once; the ICMP error alone reached the host's own sockets but not a
        // pod's connect (seen here), so TCP gets the reset, other protocols ICMP port unreachable.
        out.line("add rule \(t) reject-chain meta l4proto tcp reject with tcp reset")
        out.line("add rule \(t) reject-chain reject")

        for port in model.ports {
            let hash = shortHash(port.id + "/" + port.proto)
            let service = "svc-\(hash)"
            let comment = "comment \(quoted(port.id))"
            let frontends: [(IPv4, Int, String)] =
                (port.clusterIP.map { [($0, port.port, service)] } ?? [])
                + (port.externalIPs + port.loadBalancerIPs).map { ($0, port.port, "ext-\(hash)") }
            if port.endpoints.isEmpty {
                // kube-proxy rejects new connections to a service with no endpoints.
                for (ip, number, _) in frontends {
                    out.line(
                        "add element \(t) no-endpoint-services { \(ip) . \(port.proto) . \(number) \(comment) : goto reject-chain }"
                    )
                }
                if let nodePort = port.nodePort {
                    for node in model.nodes {
                        guard let address = node.address else { continue }
                        out.line(
                            "add element \(t) no-endpoint-services { \(address) . \(port.proto) . \(nodePort) \(comment) : goto reject-chain }"
                        )
                    }
                }
                continue
            }

            // One chain per endpoint: hairpin masquerade, affinity bookkeeping, DNAT.
            var endpointChains: [(chain: String, affinity: String?, endpoint: ProxyModel.Endpoint)] = []
            for endpoint in port.endpoints {
                let endpointHash = shortHash(port.id + "/" + port.proto + "/\(endpoint.ip):\(endpoint.port)")
                let chain = "ep-\(endpointHash)"
                var affinity: String?
                out.line("add chain \(t) \(chain)")
                names.insert(chain)
                out.line("add rule \(t) \(chain) ip saddr \(endpoint.ip) jump mark-for-masquerade")
                if let timeout = port.affinityTimeout {
                    let set = "aff-\(endpointHash)"
                    affinity = set
                    out.line("add set \(t) \(set) { type ipv4_addr; flags dynamic,timeout; timeout \(timeout)s; }")
                    names.insert(set)
                    out.line("add rule \(t) \(chain) update @\(set) { ip saddr }")
                }
                out.line("add rule \(t) \(chain) meta l4proto \(port.proto) dnat to \(endpoint.ip):\(endpoint.port)")
                endpointChains.append((chain, affinity, endpoint))
            }

            func balance(
                into chain: String, over chosen: [(chain: String, affinity: String?, endpoint: ProxyModel.Endpoint)]
            ) {
                if chosen.isEmpty {
                    out.line("add rule \(t) \(chain) drop")
                    return
                }
                for entry in chosen {
                    if let set = entry.affinity {
                        out.line("add rule \(t) \(chain) ip saddr @\(set) goto \(entry.chain)")
                    }
                }
                let vmap = chosen.enumerated().map { "\($0.offset) : goto \($0.element.chain)" }.joined(separator: ", ")
                out.line("add rule \(t) \(chain) numgen random mod \(chosen.count) vmap { \(vmap) }")
            }
            func onNode(_ name: String) -> [(chain: String, affinity: String?, endpoint: ProxyModel.Endpoint)] {
                endpointChains.filter { $0.endpoint.nodeName == name }
            }

            // The cluster IP: traffic from outside the pod network is masqueraded so replies come back through here.
            out.line("add chain \(t) \(service)")
            names.insert(service)
            out.line("add rule \(t) \(service) ip saddr != \(clusterCIDR) jump mark-for-masquerade")
            if port.internalLocal {
                for node in model.nodes {
                    guard let cidr = node.podCIDR else { continue }
                    let local = "local-\(shortHash(hash + "/" + node.name))"
                    out.line("add chain \(t) \(local)")
                    names.insert(local)
                    balance(into: local, over: onNode(node.name))
                    out.line("add rule \(t) \(service) ip saddr \(cidr) goto \(local)")
                }
            }
            balance(into: service, over: endpointChains)

            // External addresses (externalIPs, balancer) and node ports.
            let external = "ext-\(hash)"
            out.line("add chain \(t) \(external)")
            names.insert(external)
            if port.externalLocal {
                // Pods keep the cluster-wide behaviour; others keep their source address unless it is a loopback
                // one, which cannot leave the host's lo.
                out.line("add rule \(t) \(external) ip saddr \(clusterCIDR) goto \(service)")
                out.line("add rule \(t) \(external) ip saddr 127.0.0.0/8 jump mark-for-masquerade")
                balance(into: external, over: endpointChains)
            } else {
                out.line("add rule \(t) \(external) jump mark-for-masquerade")
                out.line("add rule \(t) \(external) goto \(service)")
            }
            if let ip = port.clusterIP {
                out.line(
                    "add element \(t) service-ips { \(ip) . \(port.proto) . \(port.port) \(comment) : goto \(service) }"
                )
            }
            for ip in port.externalIPs + port.loadBalancerIPs {
                out.line(
                    "add element \(t) service-ips { \(ip) . \(port.proto) . \(port.port) \(comment) : goto \(external) }"
                )
            }
            if let nodePort = port.nodePort {
                for node in model.nodes {
                    guard let address = node.address else { continue }
                    var target = external
                    if port.externalLocal {
                        // Only the endpoints of the node whose address the traffic came to.
                        target = "nodeport-\(shortHash(hash + "/" + node.name))"
                        out.line("add chain \(t) \(target)")
                        names.insert(target)
                        out.line("add rule \(t) \(target) ip saddr \(clusterCIDR) goto \(service)")
                        out.line("add rule \(t) \(target) ip saddr 127.0.0.0/8 jump mark-for-masquerade")
                        balance(into: target, over: onNode(node.name))
                    }
                    out.line(
                        "add element \(t) service-nodeports { \(address) . \(port.proto) . \(nodePort) \(comment) : goto \(target) }"
                    )
                }
            }
        }

        // What the table held and no longer needs: chains first (nothing refers to them after the flush), then sets.
        for name in existing.subtracting(names).sorted() where !name.hasPrefix("aff-") {
            out.line("delete chain \(t) \(name)")
        }
        for name in existing.subtracting(names).sorted() where name.hasPrefix("aff-") {
            out.line("delete set \(t) \(name)")
        }
        return (out.text, names)
    }

    /// The chain, map and set names `nft list table` printed.
    public static func names(inListing listing: String) -> Set<String> {
        var names: Set<String> = []
        for line in listing.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for kind in ["chain ", "set ", "map "] where trimmed.hasPrefix(kind) && trimmed.hasSuffix("{") {
                names.insert(String(trimmed.dropFirst(kind.count).dropLast()).trimmingCharacters(in: .whitespaces))
            }
        }
        return names
    }

    /// 16 hex characters of a stable hash, as kube-proxy's chain names carry one.
    static func shortHash(_ text: String) -> String {
        let value = StableHash.fnv1a64(text.utf8)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\""
    }

    private struct Script {
        var text = ""
        mutating func line(_ line: String) { text += line + "\n" }
    }
}
