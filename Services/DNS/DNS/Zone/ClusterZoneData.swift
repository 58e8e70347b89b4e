import Foundation
public import Schema

/// The cluster's services and their endpoints, indexed for answering: a pure function of the Services and
/// EndpointSlices in the informers' caches, rebuilt whenever they change (queries never read the store).
public struct ClusterZoneData: Sendable {
    /// An address of a service or an endpoint.
    public enum Address: Sendable, Hashable {
        case v4(IPv4)
        case v6(IPv6)

        init?(_ text: String) {
            if let v4 = IPv4(text) {
                self = .v4(v4)
            } else if let v6 = IPv6(text) {
                self = .v6(v6)
            } else {
                return nil
            }
        }

        /// CoreDNS' name for an endpoint without a hostname: its address with `.` or `:` replaced by `-`.
        var dashed: String {
            switch self {
            case .v4(let ip): ip.octets.map(String.init).joined(separator: "-")
            case .v6(let ip): ip.description.replacingOccurrences(of: ":", with: "-")
            }
        }
    }

    /// A port of a service or of an endpoint slice; `port` -1 stands for "no ports" (CoreDNS' sentinel), which
    /// yields address records but no SRV record.
    struct Port: Sendable, Hashable {
        var name: DNSLabel
        var proto: DNSLabel
        var port: Int

        static let none = Port(name: DNSLabel(""), proto: DNSLabel(""), port: -1)
    }

    struct Endpoint: Sendable, Hashable {
        var address: Address
        /// The endpoint's hostname, or its dashed address when it has none.
        var hostname: DNSLabel
        /// `<hostname>.<service>.<ns>.svc.<zone>`.
        var name: DNSName
        var ports: [Port]
    }

    enum Kind: Sendable, Hashable {
        case clusterIP([Address])
        case headless
        /// The CNAME target; nil when `spec.externalName` is not a name (CoreDNS serves nothing then).
        case externalName(DNSName?)
    }

    struct ServiceEntry: Sendable {
        var name: String
        var namespace: String
        /// `<service>.<ns>.svc.<zone>`.
        var fqdn: DNSName
        var kind: Kind
        var ports: [Port]
        var endpoints: [Endpoint]
    }

    struct ServiceKey: Sendable, Hashable {
        var name: DNSLabel
        var namespace: DNSLabel
    }

    var services: [ServiceKey: ServiceEntry] = [:]
    /// PTR targets by IPv4 address: a service's name for its cluster IP, endpoint names otherwise.
    var reverse: [UInt32: [DNSName]] = [:]
    /// The SOA serial: when the data last changed, in Unix seconds (as CoreDNS' serial).
    public var serial: UInt32
    /// kube-system/kube-dns' cluster IP when the Service exists, for the NS glue.
    var nameServerAddress: IPv4?

    /// How many services and endpoints the index holds.
    public var serviceCount: Int { services.count }
    public var endpointCount: Int { services.values.reduce(0) { $0 + $1.endpoints.count } }

    /// An empty zone.
    public init(serial: UInt32 = 0) {
        self.serial = serial
    }

    /// Indexes `services` and `slices` for `domain`.
    ///
    /// Endpoints are those whose `ready` condition is true or unset (CoreDNS), and also the not-ready ones of a
    /// Service with `publishNotReadyAddresses`. Slices of address type FQDN, slices without the
    /// `kubernetes.io/service-name` label and slices whose Service is not cached are ignored.
    public init(services: [Service], slices: [EndpointSlice], domain: DNSName, serial: UInt32) {
        self.serial = serial
        let svcLabel = DNSLabel("svc")
        var byKey: [ServiceKey: ServiceEntry] = [:]
        var publishNotReady: Set<ServiceKey> = []
        for service in services {
            guard let name = service.metadata.name, let namespace = service.metadata.namespace,
                let fqdn = DNSName(
                    labels: [Array(name.utf8), Array(namespace.utf8), Array(svcLabel.bytes)]
                        + domain.labels.map(Array.init))
            else { continue }
            let key = ServiceKey(name: DNSLabel(name), namespace: DNSLabel(namespace))
            let spec = service.spec
            let kind: Kind
            if spec.type == "ExternalName" {
                let target = spec.externalName.flatMap { text -> DNSName? in
                    // An IP address is not a CNAME target (CoreDNS' HostType).
                    guard IPv4(text) == nil, IPv6(text) == nil else { return nil }
                    return DNSName(text)
                }
                kind = .externalName(target)
            } else if spec.clusterIP == "None" {
                kind = .headless
            } else {
                var ips = (spec.clusterIPs ?? []).compactMap(Address.init)
                if ips.isEmpty, let ip = spec.clusterIP.flatMap(Address.init) { ips = [ip] }
                kind = .clusterIP(ips)
            }
            let ports = (spec.ports ?? []).map {
                Port(name: DNSLabel($0.name ?? ""), proto: DNSLabel($0.protocol ?? "TCP"), port: $0.port)
            }
            byKey[key] = ServiceEntry(
                name: name, namespace: namespace, fqdn: fqdn, kind: kind, ports: ports, endpoints: [])
            if spec.publishNotReadyAddresses == true { publishNotReady.insert(key) }
            if namespace == "kube-system", name == "kube-dns", case .clusterIP(let ips) = kind {
                nameServerAddress = ips.lazy.compactMap { if case .v4(let ip) = $0 { ip } else { nil } }.first
            }
        }
        let orderedSlices = slices.sorted {
            ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < (
                $1.metadata.namespace ?? "", $1.metadata.name ?? ""
            )
        }
        for slice in orderedSlices {
            guard slice.addressType == "IPv4" || slice.addressType == "IPv6",
                let serviceName = slice.metadata.labels?[EndpointSlice.serviceNameLabel],
                let namespace = slice.metadata.namespace
            else { continue }
            let key = ServiceKey(name: DNSLabel(serviceName), namespace: DNSLabel(namespace))
            guard var entry = byKey[key] else { continue }
            if case .externalName = entry.kind { continue }
            var ports = (slice.ports ?? []).map {
                Port(name: DNSLabel($0.name ?? ""), proto: DNSLabel($0.protocol ?? "TCP"), port: $0.port ?? -1)
            }
            if ports.isEmpty { ports = [.none] }
            let includeNotReady = publishNotReady.contains(key)
            for endpoint in slice.endpoints ?? [] {
                let ready = endpoint.conditions?.ready ?? true
                guard ready || includeNotReady else { continue }
                for text in endpoint.addresses {
                    guard let address = Address(text) else { continue }
                    let hostname = endpoint.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? address.dashed
                    guard let name = entry.fqdn.prepending(hostname) else { continue }
                    entry.endpoints.append(
                        Endpoint(address: address, hostname: DNSLabel(hostname), name: name, ports: ports))
                }
            }
            byKey[key] = entry
        }
        self.services = byKey
        // Reverse: a cluster IP names its service (the first, as CoreDNS); other addresses their endpoints.
        var serviceIPs: [UInt32: DNSName] = [:]
        var endpointIPs: [UInt32: [DNSName]] = [:]
        for entry in byKey.values.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            if case .clusterIP(let ips) = entry.kind {
                for case .v4(let ip) in ips where serviceIPs[ip.value] == nil { serviceIPs[ip.value] = entry.fqdn }
            }
            for endpoint in entry.endpoints {
                if case .v4(let ip) = endpoint.address, !(endpointIPs[ip.value]?.contains(endpoint.name) ?? false) {
                    endpointIPs[ip.value, default: []].append(endpoint.name)
                }
            }
        }
        var reverse = endpointIPs
        for (ip, name) in serviceIPs { reverse[ip] = [name] }
        self.reverse = reverse
    }
}
