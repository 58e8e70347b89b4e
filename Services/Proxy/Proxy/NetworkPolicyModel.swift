public import Schema

/// NetworkPolicies resolved against the pods and namespaces that exist, without I/O: for every pod a policy
/// selects, the peers and ports it may talk with (Kubernetes' NetworkPolicy semantics: a pod selected by any policy
/// of a type is isolated for that direction, and allowed what the union of those policies' rules allows; replies
/// to allowed connections are always allowed).
public struct NetworkPolicyModel: Sendable, Hashable {
    /// One direction of one isolated pod.
    public struct Isolation: Sendable, Hashable {
        public var podIP: IPv4
        /// `namespace/name`, for comments.
        public var pod: String
        /// The allowed traffic; empty means deny everything in this direction.
        public var rules: [Rule]
    }

    /// Traffic one rule allows: from/to these peers (nil: any) on these ports (empty: any).
    public struct Rule: Sendable, Hashable {
        public var peers: [Peer]?
        public var ports: [Port]
    }

    public enum Peer: Sendable, Hashable {
        /// Pod addresses the selectors picked (possibly none).
        case pods([IPv4])
        /// An ipBlock: `cidr` except the `except` ranges.
        case block(CIDR, except: [CIDR])
    }

    public struct Port: Sendable, Hashable {
        /// `tcp`, `udp` or `sctp`.
        public var proto: String
        /// A port or a range; nil: every port of the protocol.
        public var range: ClosedRange<Int>?
    }

    public var ingress: [Isolation]
    public var egress: [Isolation]

    public init(ingress: [Isolation], egress: [Isolation]) {
        self.ingress = ingress
        self.egress = egress
    }

    /// The model of `policies` over `pods` (those with an address, not on the host's network, not finished) and
    /// `namespaces` (for namespace selectors).
    public static func build(policies: [NetworkPolicy], pods allPods: [Pod], namespaces: [Namespace])
        -> NetworkPolicyModel
    {
        let pods = allPods.filter { pod in
            pod.spec.hostNetwork != true && pod.status.podIP.flatMap(IPv4.init) != nil
                && pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
        }
        let namespaceLabels = Dictionary(
            namespaces.map { ($0.metadata.name ?? "", $0.metadata.labels ?? [:]) }, uniquingKeysWith: { a, _ in a })
        var ingress: [IPv4: Isolation] = [:]
        var egress: [IPv4: Isolation] = [:]
        for policy in policies.sorted(by: { key($0.metadata) < key($1.metadata) }) {
            let namespace = policy.metadata.namespace ?? "default"
            let types = policy.spec.policyTypes ?? ["Ingress"]
            let selected = pods.filter {
                $0.metadata.namespace == namespace && policy.spec.podSelector.matches($0.metadata.labels ?? [:])
            }
            for pod in selected {
                guard let ip = pod.status.podIP.flatMap(IPv4.init) else { continue }
                let name = key(pod.metadata)
                if types.contains("Ingress") {
                    var isolation = ingress[ip] ?? Isolation(podIP: ip, pod: name, rules: [])
                    for rule in policy.spec.ingress ?? [] {
                        isolation.rules.append(
                            Rule(
                                peers: rule.from.map {
                                    Self.peers($0, namespace: namespace, pods: pods, namespaceLabels: namespaceLabels)
                                },
                                ports: Self.ports(rule.ports ?? [], resolvingIn: [pod])))
                    }
                    ingress[ip] = isolation
                }
                if types.contains("Egress") {
                    var isolation = egress[ip] ?? Isolation(podIP: ip, pod: name, rules: [])
                    for rule in policy.spec.egress ?? [] {
                        let allowed = rule.to.map {
                            Self.peers($0, namespace: namespace, pods: pods, namespaceLabels: namespaceLabels)
                        }
                        // A named egress port is the port of that name on the destination pods.
                        isolation.rules.append(
                            Rule(peers: allowed, ports: Self.ports(rule.ports ?? [], resolvingIn: pods)))
                    }
                    egress[ip] = isolation
                }
            }
        }
        return NetworkPolicyModel(
            ingress: ingress.values.sorted { $0.podIP < $1.podIP }, egress: egress.values.sorted { $0.podIP < $1.podIP }
        )
    }

    static func key(_ metadata: ObjectMeta) -> String { "\(metadata.namespace ?? "")/\(metadata.name ?? "")" }

    static func peers(
        _ peers: [NetworkPolicyPeer], namespace: String, pods: [Pod], namespaceLabels: [String: [String: String]]
    ) -> [Peer] {
        peers.compactMap { peer -> Peer? in
            if let block = peer.ipBlock {
                guard let cidr = CIDR(block.cidr) else { return nil }
                return .block(cidr, except: (block.except ?? []).compactMap { CIDR($0) })
            }
            let matching = pods.filter { pod in
                let podNamespace = pod.metadata.namespace ?? "default"
                if let selector = peer.namespaceSelector {
                    guard selector.matches(namespaceLabels[podNamespace] ?? [:]) else { return false }
                } else if podNamespace != namespace {
                    return false
                }
                return peer.podSelector?.matches(pod.metadata.labels ?? [:]) ?? true
            }
            return .pods(matching.compactMap { $0.status.podIP.flatMap(IPv4.init) }.sorted())
        }
    }

    /// The ports of a rule; a named port becomes the numbers the given pods' containers give that name.
    static func ports(_ ports: [NetworkPolicyPort], resolvingIn pods: [Pod]) -> [Port] {
        var result: [Port] = []
        for port in ports {
            let proto = (port.protocol ?? "TCP").lowercased()
            switch port.port {
            case nil:
                result.append(Port(proto: proto, range: nil))
            case .int(let number)?:
                result.append(Port(proto: proto, range: number...max(number, port.endPort ?? number)))
            case .string(let name)?:
                var numbers = Set<Int>()
                for pod in pods {
                    for container in pod.spec.containers {
                        for containerPort in container.ports ?? []
                        where containerPort.name == name
                            && (containerPort.protocol ?? "TCP").lowercased() == proto
                        {
                            numbers.insert(containerPort.containerPort)
                        }
                    }
                }
                if let number = Int(name) { numbers.insert(number) }
                for number in numbers.sorted() { result.append(Port(proto: proto, range: number...number)) }
                // A name no pod gives allows nothing, so the rule keeps no port rather than every port.
                if numbers.isEmpty { result.append(Port(proto: proto, range: 0...0)) }
            }
        }
        return result
    }
}

/// The enforcer's nftables table, `ip kubus-netpol`: in the forward hook (bridged traffic between pods passes it
/// too, through br_netfilter) and the input hook (pods to the host), established and related traffic is accepted,
/// then an isolated source's egress chain and an isolated destination's ingress chain each accept what a rule
/// allows and drop the rest. Traffic the host itself sends to pods (probes, node ports from the host) is not
/// filtered, as the usual CNI plugins leave it.
public enum NetworkPolicyRules {
    public static let defaultTable = "kubus-netpol"

    public static func script(
        _ model: NetworkPolicyModel, table: String = defaultTable, existing: Set<String> = []
    ) -> (script: String, names: Set<String>) {
        var lines: [String] = []
        var names: Set<String> = []
        let t = "ip \(table)"
        lines.append("add table \(t) { comment \"NetworkPolicy rules of kubus-netpol\"; }")
        lines.append("flush table \(t)")
        for (name, hook) in [("forward", "forward"), ("input", "input")] {
            lines.append("add chain \(t) \(name) { type filter hook \(hook) priority 0; policy accept; }")
            names.insert(name)
        }
        for name in ["ingress-isolated", "egress-isolated"] {
            lines.append("add map \(t) \(name) { type ipv4_addr : verdict; }")
            lines.append("flush map \(t) \(name)")
            names.insert(name)
        }
        for chain in ["forward", "input"] {
            lines.append("add rule \(t) \(chain) ct state established,related accept")
            lines.append("add rule \(t) \(chain) ip saddr vmap @egress-isolated")
        }
        lines.append("add rule \(t) forward ip daddr vmap @ingress-isolated")

        for (direction, isolations, field) in [
            ("ingress", model.ingress, "saddr"), ("egress", model.egress, "daddr"),
        ] {
            for isolation in isolations {
                let chain = "\(direction)-\(NFTablesRules.shortHash(direction + "/" + isolation.pod))"
                lines.append("add chain \(t) \(chain)")
                names.insert(chain)
                for rule in isolation.rules {
                    for match in matches(rule, field: field) { lines.append("add rule \(t) \(chain) \(match) return") }
                }
                lines.append("add rule \(t) \(chain) drop")
                lines.append(
                    "add element \(t) \(direction)-isolated { \(isolation.podIP) comment \(NFTablesRules.quoted(isolation.pod)) : jump \(chain) }"
                )
            }
        }
        for name in existing.subtracting(names).sorted() { lines.append("delete chain \(t) \(name)") }
        return (lines.map { $0 + "\n" }.joined(), names)
    }

    /// The nft matches of one rule: one line per peer and port combination (none when the rule allows nothing).
    static func matches(_ rule: NetworkPolicyModel.Rule, field: String) -> [String] {
        var peerMatches: [String] = []
        if let peers = rule.peers {
            for peer in peers {
                switch peer {
                case .pods(let ips):
                    guard !ips.isEmpty else { continue }
                    peerMatches.append("ip \(field) { \(ips.map(\.description).joined(separator: ", ")) }")
                case .block(let cidr, let except):
                    var match = "ip \(field) \(cidr)"
                    if !except.isEmpty {
                        match += " ip \(field) != { \(except.map(\.description).joined(separator: ", ")) }"
                    }
                    peerMatches.append(match)
                }
            }
            if peerMatches.isEmpty { return [] }  // peers named, none exist: nothing allowed
        } else {
            peerMatches = [""]
        }
        var portMatches: [String] = []
        if rule.ports.isEmpty {
            portMatches = [""]
        } else {
            for port in rule.ports {
                switch port.range {
                case nil: portMatches.append("meta l4proto \(port.proto)")
                case let range? where range == 0...0: continue
                case let range? where range.count == 1: portMatches.append("\(port.proto) dport \(range.lowerBound)")
                case let range?: portMatches.append("\(port.proto) dport \(range.lowerBound)-\(range.upperBound)")
                }
            }
            if portMatches.isEmpty { return [] }
        }
        var result: [String] = []
        for peer in peerMatches {
            for port in portMatches {
                let match = [peer, port].filter { !$0.isEmpty }.joined(separator: " ")
                result.append(match.isEmpty ? "meta nfproto ipv4" : match)
            }
        }
        return result
    }
}
