import Foundation
import Schema

/// What the zone makes of a question.
public enum ZoneResult: Sendable, Hashable {
    /// An answer from the cluster zone or one of its reverse zones.
    case answer(ZoneAnswer)
    /// The name is outside every zone served here: ask the upstream resolvers.
    case forward
}

/// An authoritative answer.
public struct ZoneAnswer: Sendable, Hashable {
    public var rcode: DNSResponseCode
    public var answers: [DNSRecord]
    public var authority: [DNSRecord]
    public var additional: [DNSRecord]
    /// An ExternalName's target outside the cluster zone: the server resolves it upstream for the same type and
    /// appends what it finds after the CNAME (as the Kubernetes DNS spec's example answer shows).
    public var chase: DNSName?

    public init(
        rcode: DNSResponseCode = .noError, answers: [DNSRecord] = [], authority: [DNSRecord] = [],
        additional: [DNSRecord] = [], chase: DNSName? = nil
    ) {
        self.rcode = rcode
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.chase = chase
    }
}

/// The cluster zone and the reverse zones of the service and pod ranges, answered from `ClusterZoneData` by the
/// Kubernetes DNS specification, with CoreDNS' kubernetes plugin (`pods insecure`) where the spec leaves a choice.
///
/// Names in the zone (relative to `<zone>`):
/// - `<svc>.<ns>.svc`: a ClusterIP service's IPs; a headless service's endpoint addresses; an ExternalName's CNAME.
/// - `<hostname>.<svc>.<ns>.svc`: the endpoints with that hostname (or that dashed address, CoreDNS' generated
///   name for an endpoint without one).
/// - `_<port>._<proto>.<svc>.<ns>.svc`: SRV for that port (underscores optional, as CoreDNS strips them).
/// - `a-b-c-d.<ns>.pod`: A a.b.c.d (`pods insecure`).
/// - `dns-version` TXT, `ns.dns` A (kube-dns' address), the apex's SOA and NS.
/// - `svc`, `pod`, `<ns>.svc`, `<ns>.pod`: exist without data (NODATA), as in CoreDNS.
/// Anything else in the zone is NXDOMAIN, so search-path expansions of cluster names end at once.
/// Negative answers carry the zone's SOA (RFC 2308); records of the wrong type give NODATA.
public struct ClusterZone: Sendable {
    public let configuration: ClusterZoneConfiguration
    public let data: ClusterZoneData
    private let reverseZones: [ReverseZone]

    public init(configuration: ClusterZoneConfiguration, data: ClusterZoneData) {
        self.configuration = configuration
        self.data = data
        reverseZones = configuration.reverseZones
    }

    /// The answer to `question`, or `.forward` when it is outside the zones served here.
    public func answer(_ question: DNSQuestion) -> ZoneResult {
        if let depth = question.name.relativeLabelCount(to: configuration.domain) {
            guard let refusal = refusal(question) else {
                return .answer(clusterAnswer(question, depth: depth))
            }
            return .answer(refusal)
        }
        if question.name.isSubdomain(of: ReverseZone.inAddrArpa) {
            for zone in reverseZones {
                if let depth = question.name.relativeLabelCount(to: zone.apex) {
                    if let refusal = refusal(question) { return .answer(refusal) }
                    return .answer(reverseAnswer(question, zone: zone, depth: depth))
                }
            }
        }
        return .forward
    }

    /// Zone transfers and classes other than IN are refused in the zones served here.
    private func refusal(_ question: DNSQuestion) -> ZoneAnswer? {
        if question.class != .internet && question.class != .any { return ZoneAnswer(rcode: .refused) }
        if question.type == .axfr || question.type == .ixfr { return ZoneAnswer(rcode: .refused) }
        return nil
    }

    // MARK: The forward zone

    /// What a relative name resolves to before the question's type is considered.
    private enum Lookup {
        /// No such name: NXDOMAIN.
        case none
        /// The name exists without address data (an empty non-terminal, the apex): NODATA for every type it lacks.
        case empty
        /// Services or endpoints (one hit per address and port, as CoreDNS builds them).
        case hits([Hit])
        /// An ExternalName: a CNAME.
        case alias(DNSName)
        /// A pod name: its address.
        case pod(ClusterZoneData.Address)
        case apex
        case dnsVersion
        case nameServer
    }

    private struct Hit {
        var address: ClusterZoneData.Address?
        var port: Int
        /// The SRV target and additional-section owner: the service's name or the endpoint's.
        var target: DNSName
    }

    private func clusterAnswer(_ question: DNSQuestion, depth: Int) -> ZoneAnswer {
        let lookup = self.lookup(question.name, depth: depth)
        let owner = question.name
        let ttl = configuration.ttl
        switch lookup {
        case .none:
            return negative(.nameError, zone: configuration.domain)
        case .empty:
            return negative(.noError, zone: configuration.domain)
        case .apex:
            switch question.type {
            case .soa:
                return ZoneAnswer(answers: [soaRecord(owner: owner)])
            case .ns:
                return ZoneAnswer(
                    answers: [DNSRecord(name: owner, type: .ns, ttl: ttl, data: .ns(configuration.nameServerName))],
                    additional: [.a(configuration.nameServerName, nameServerAddress, ttl: ttl)])
            default:
                return negative(.noError, zone: configuration.domain)
            }
        case .dnsVersion:
            guard question.type == .txt || question.type == .any else {
                return negative(.noError, zone: configuration.domain)
            }
            return ZoneAnswer(answers: [
                DNSRecord(
                    name: owner, type: .txt, ttl: 28_800,
                    data: .txt([Array(ClusterZoneConfiguration.schemaVersion.utf8)]))
            ])
        case .nameServer:
            guard question.type == .a || question.type == .any else {
                return negative(.noError, zone: configuration.domain)
            }
            return ZoneAnswer(answers: [.a(owner, nameServerAddress, ttl: ttl)])
        case .pod(let address):
            let records = addressRecords(owner: owner, addresses: [address], type: question.type)
            return records.isEmpty ? negative(.noError, zone: configuration.domain) : ZoneAnswer(answers: records)
        case .alias(let target):
            let cname = DNSRecord(name: owner, type: .cname, ttl: ttl, data: .cname(target))
            if question.type == .cname { return ZoneAnswer(answers: [cname]) }
            // A target inside the cluster zone is followed here (a few steps at most); others upstream.
            if let depth = target.relativeLabelCount(to: configuration.domain) {
                var followed = ZoneAnswer(answers: [cname])
                var next = target
                var nextDepth = depth
                for _ in 0..<8 {
                    let step = self.lookup(next, depth: nextDepth)
                    guard case .alias(let further) = step else {
                        let rest = clusterAnswer(DNSQuestion(name: next, type: question.type), depth: nextDepth)
                        followed.rcode = rest.rcode
                        followed.answers += rest.answers
                        followed.authority = rest.authority
                        followed.additional = rest.additional
                        return followed
                    }
                    followed.answers.append(DNSRecord(name: next, type: .cname, ttl: ttl, data: .cname(further)))
                    guard let d = further.relativeLabelCount(to: configuration.domain) else {
                        followed.chase = further
                        return followed
                    }
                    next = further
                    nextDepth = d
                }
                return followed
            }
            return ZoneAnswer(answers: [cname], chase: target)
        case .hits(let hits):
            switch question.type {
            case .srv:
                return srvAnswer(owner: owner, hits: hits)
            case .a, .aaaa, .any:
                var seen = Set<ClusterZoneData.Address>()
                let addresses = hits.compactMap(\.address).filter { seen.insert($0).inserted }
                let records = addressRecords(owner: owner, addresses: addresses, type: question.type)
                return records.isEmpty ? negative(.noError, zone: configuration.domain) : ZoneAnswer(answers: records)
            default:
                return negative(.noError, zone: configuration.domain)
            }
        }
    }

    /// SRV records as CoreDNS builds them: priority 0, the weight shared out (100 / count, at least 1), the target's
    /// address in the additional section. Hits without a port (-1) give none.
    private func srvAnswer(owner: DNSName, hits: [Hit]) -> ZoneAnswer {
        let ttl = configuration.ttl
        let weight = UInt16(max(1, 100 / max(hits.count, 1)))
        var answers: [DNSRecord] = []
        var additional: [DNSRecord] = []
        var seenSRV = Set<DNSSRV>()
        var seenAdditional = Set<DNSRecord>()
        for hit in hits where hit.port >= 0 && hit.port <= 65_535 {
            let srv = DNSSRV(priority: 0, weight: weight, port: UInt16(hit.port), target: hit.target)
            guard seenSRV.insert(srv).inserted else { continue }
            answers.append(DNSRecord(name: owner, type: .srv, ttl: ttl, data: .srv(srv)))
            if let address = hit.address {
                for record in addressRecords(owner: hit.target, addresses: [address], type: .any)
                where seenAdditional.insert(record).inserted {
                    additional.append(record)
                }
            }
        }
        if answers.isEmpty { return negative(.noError, zone: configuration.domain) }
        return ZoneAnswer(answers: answers, additional: additional)
    }

    private func addressRecords(owner: DNSName, addresses: [ClusterZoneData.Address], type: DNSType) -> [DNSRecord] {
        let ttl = configuration.ttl
        return addresses.compactMap { address in
            switch address {
            case .v4(let ip) where type == .a || type == .any: .a(owner, ip, ttl: ttl)
            case .v6(let ip) where type == .aaaa || type == .any: .aaaa(owner, ip, ttl: ttl)
            default: nil
            }
        }
    }

    private var nameServerAddress: IPv4 { data.nameServerAddress ?? configuration.dnsServiceIP }

    /// CoreDNS' parseRequest and findServices/findPods, on the labels left of the zone.
    private func lookup(_ name: DNSName, depth: Int) -> Lookup {
        if depth == 0 { return .apex }
        let labels = name.labels.prefix(depth).map(DNSLabel.init)
        let last = labels[depth - 1]
        if depth == 1 && last.equals("dns-version") { return .dnsVersion }
        if depth == 2 && last.equals("dns") { return labels[0].equals("ns") ? .nameServer : .none }
        if depth == 1 && last.equals("dns") { return .empty }
        let isService = last.equals("svc")
        guard isService || last.equals("pod") else { return .none }
        // `svc`, `pod`, `<ns>.svc`, `<ns>.pod`: NODATA, whatever the namespace.
        if depth <= 2 { return .empty }
        let namespace = labels[depth - 2]
        let first = labels[depth - 3]
        if !isService {
            guard depth == 3, let address = podAddress(first) else { return .none }
            return .pod(address)
        }
        guard depth <= 5, let service = data.services[.init(name: first, namespace: namespace)] else { return .none }
        let endpointLabel: DNSLabel? = depth == 4 ? labels[0] : nil
        let portLabels: (port: DNSLabel, proto: DNSLabel)? =
            depth == 5 ? (Self.stripUnderscore(labels[0]), Self.stripUnderscore(labels[1])) : nil
        func portMatches(_ port: ClusterZoneData.Port) -> Bool {
            guard let portLabels else { return true }
            return port.name == portLabels.port && port.proto == portLabels.proto
        }
        // A headless service answers with its endpoints; any service's endpoint names do too.
        var byEndpoints = endpointLabel != nil
        if case .headless = service.kind { byEndpoints = true }
        switch service.kind {
        case .externalName(let target):
            // Endpoints of an ExternalName do not exist; a port-form name still aliases (CoreDNS).
            guard endpointLabel == nil, let target else { return .none }
            return .alias(target)
        case _ where byEndpoints:
            var hits: [Hit] = []
            for endpoint in service.endpoints {
                if let endpointLabel, endpoint.hostname != endpointLabel { continue }
                for port in endpoint.ports where portMatches(port) {
                    hits.append(Hit(address: endpoint.address, port: port.port, target: endpoint.name))
                }
            }
            return hits.isEmpty ? .none : .hits(hits)
        case .clusterIP(let ips):
            var hits: [Hit] = []
            var matched = false
            for port in service.ports where portMatches(port) {
                matched = true
                if ips.isEmpty {
                    hits.append(Hit(address: nil, port: port.port, target: service.fqdn))
                }
                for ip in ips { hits.append(Hit(address: ip, port: port.port, target: service.fqdn)) }
            }
            return matched ? .hits(hits) : .none
        case .headless:
            return .none
        }
    }

    /// `a-b-c-d` as an IPv4 address, or a dashed IPv6 address, as CoreDNS reads pod names.
    private func podAddress(_ label: DNSLabel) -> ClusterZoneData.Address? {
        let text = label.description
        let dashes = text.utf8.filter { $0 == 0x2D }.count
        if dashes == 3 && !text.contains("--") {
            return IPv4(text.replacingOccurrences(of: "-", with: ".")).map { .v4($0) }
        }
        return IPv6(text.replacingOccurrences(of: "-", with: ":")).map { .v6($0) }
    }

    private static func stripUnderscore(_ label: DNSLabel) -> DNSLabel {
        label.bytes.first == 0x5F ? DNSLabel(label.bytes.dropFirst()) : label
    }

    // MARK: Reverse zones

    private func reverseAnswer(_ question: DNSQuestion, zone: ReverseZone, depth: Int) -> ZoneAnswer {
        if depth == 0 {
            switch question.type {
            case .soa:
                return ZoneAnswer(answers: [soaRecord(owner: question.name, zone: zone.apex)])
            case .ns:
                return ZoneAnswer(
                    answers: [
                        DNSRecord(
                            name: question.name, type: .ns, ttl: configuration.ttl,
                            data: .ns(configuration.nameServerName))
                    ],
                    additional: [.a(configuration.nameServerName, nameServerAddress, ttl: configuration.ttl)])
            default:
                return negative(.noError, zone: zone.apex)
            }
        }
        let wanted = 4 - zone.octets
        guard depth <= wanted else { return negative(.nameError, zone: zone.apex) }
        // The labels left of the apex are the remaining octets, least significant first.
        var value = zone.network.value
        var shift = 8 * (3 - zone.octets)
        for label in question.name.labels.prefix(depth).reversed() {
            guard let octet = Self.octet(label) else { return negative(.nameError, zone: zone.apex) }
            value |= UInt32(octet) << UInt32(shift)
            shift -= 8
        }
        if depth < wanted {
            // An empty non-terminal exists when some address below it has a record (RFC 8020).
            let mask = CIDR.mask(8 * (zone.octets + depth))
            let exists = data.reverse.keys.contains { $0 & mask == value & mask }
            return negative(exists ? .noError : .nameError, zone: zone.apex)
        }
        guard let targets = data.reverse[value] else { return negative(.nameError, zone: zone.apex) }
        guard question.type == .ptr || question.type == .any else { return negative(.noError, zone: zone.apex) }
        return ZoneAnswer(
            answers: targets.map {
                DNSRecord(name: question.name, type: .ptr, ttl: configuration.ttl, data: .ptr($0))
            })
    }

    /// A decimal octet label (0-255, no sign, no leading zeros).
    private static func octet(_ label: ArraySlice<UInt8>) -> UInt8? {
        guard (1...3).contains(label.count), label.allSatisfy({ (0x30...0x39).contains($0) }),
            label.count == 1 || label.first != 0x30
        else { return nil }
        let value = label.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= 255 ? UInt8(value) : nil
    }

    // MARK: SOA and negative answers

    /// The zone's SOA, as CoreDNS writes it: `ns.dns.<zone>`, `hostmaster.<zone>`, serial = last change,
    /// refresh 7200, retry 1800, expire 86400, minimum = the TTL; the record's own TTL at most 300.
    func soaRecord(owner: DNSName, zone: DNSName? = nil) -> DNSRecord {
        let soa = DNSSOA(
            primary: configuration.nameServerName, mailbox: configuration.hostmasterName, serial: data.serial,
            refresh: 7200, retry: 1800, expire: 86_400, minimum: configuration.ttl)
        return DNSRecord(name: zone ?? owner, type: .soa, ttl: min(configuration.ttl, 300), data: .soa(soa))
    }

    /// NXDOMAIN or NODATA with the zone's SOA in the authority section, for negative caching (RFC 2308).
    private func negative(_ rcode: DNSResponseCode, zone: DNSName) -> ZoneAnswer {
        ZoneAnswer(rcode: rcode, authority: [soaRecord(owner: zone)])
    }
}
