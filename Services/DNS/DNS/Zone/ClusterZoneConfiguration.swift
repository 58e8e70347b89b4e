public import Schema

/// What the cluster zone is: its domain, the ranges whose reverse zones it answers, the TTL, kube-dns' address.
public struct ClusterZoneConfiguration: Sendable, Hashable {
    /// The cluster domain (`cluster.local`).
    public var domain: DNSName
    /// The service range; its reverse zones are answered here.
    public var serviceCIDR: CIDR
    /// The pod range; its reverse zones are answered here.
    public var podCIDR: CIDR
    /// The TTL of every cluster record (CoreDNS' `ttl`, 30 s in kubeadm's Corefile).
    public var ttl: UInt32
    /// The kube-dns Service's address (the tenth of the service range, as kubeadm picks it), used for the zone's NS
    /// glue until the Service itself is in the cache.
    public var dnsServiceIP: IPv4

    /// The schema version `dns-version.<zone>` answers (CoreDNS' DNSSchemaVersion).
    public static let schemaVersion = "1.1.0"

    public init(
        domain: DNSName = DNSName("cluster.local")!, serviceCIDR: CIDR = CIDR("10.96.0.0/12")!,
        podCIDR: CIDR = CIDR("10.244.0.0/16")!, ttl: UInt32 = 30, dnsServiceIP: IPv4? = nil
    ) {
        self.domain = domain.lowercased
        self.serviceCIDR = serviceCIDR
        self.podCIDR = podCIDR
        self.ttl = ttl
        self.dnsServiceIP = dnsServiceIP ?? Self.defaultDNSServiceIP(serviceCIDR)
    }

    /// The tenth address of the service range (10.96.0.10 for 10.96.0.0/12), as kubeadm chooses it.
    public static func defaultDNSServiceIP(_ serviceCIDR: CIDR) -> IPv4 {
        serviceCIDR.host(10) ?? serviceCIDR.network
    }

    /// `ns.dns.<zone>`: the name server name of every zone served here.
    public var nameServerName: DNSName { domain.prepending("dns")!.prepending("ns")! }
    /// `hostmaster.<zone>`: the SOA mailbox.
    public var hostmasterName: DNSName { domain.prepending("hostmaster")! }

    /// The reverse zones (`in-addr.arpa`) of the service and pod ranges, split on octet boundaries as CoreDNS splits
    /// a classless range: 10.96.0.0/12 is 96.10.in-addr.arpa … 111.10.in-addr.arpa.
    public var reverseZones: [ReverseZone] {
        var seen = Set<DNSName>()
        var zones: [ReverseZone] = []
        for cidr in [serviceCIDR, podCIDR] {
            for zone in ReverseZone.zones(covering: cidr) where seen.insert(zone.apex).inserted {
                zones.append(zone)
            }
        }
        return zones
    }
}

/// One reverse zone: the `in-addr.arpa` name of an octet-aligned range.
public struct ReverseZone: Sendable, Hashable {
    /// How many leading octets the zone fixes (0 to 4).
    public var octets: Int
    /// Those octets' value, as the top bits of an address.
    public var network: IPv4
    /// `<c>.<b>.<a>.in-addr.arpa`.
    public var apex: DNSName

    static let inAddrArpa = DNSName("in-addr.arpa")!

    /// The zones that together cover exactly `cidr` (rounded up to whole octets).
    static func zones(covering cidr: CIDR) -> [ReverseZone] {
        let octets = (cidr.prefix + 7) / 8
        let count = 1 << (octets * 8 - cidr.prefix)
        let step: UInt64 = octets == 0 ? 0 : UInt64(1) << UInt64(32 - octets * 8)
        return (0..<count).map { i in
            let network = IPv4(UInt32(truncatingIfNeeded: UInt64(cidr.network.value) + UInt64(i) * step))
            var apex = inAddrArpa
            for octet in network.octets.prefix(octets) { apex = apex.prepending(String(octet))! }
            return ReverseZone(octets: octets, network: network, apex: apex)
        }
    }
}
