public import Client
public import Logging
public import Schema
import Synchronization

/// Keeps the Service `kube-system/kube-dns` (the address pods' resolv.conf names) and its selector-less Endpoints
/// (this server's listen addresses) in the cluster, so the service proxy sends 10.96.0.10:53 here.
///
/// The Service is created when missing, as kubeadm's CoreDNS add-on would (labels `k8s-app=kube-dns` and
/// `kubernetes.io/name=CoreDNS`, ports `dns` 53/UDP and `dns-tcp` 53/TCP), but without a selector; an existing
/// Service is left as it is (a different cluster IP is logged). The Endpoints are created or replaced whenever they
/// differ. Both are checked again every `period`, so a deleted object comes back.
public final class KubeDNSRegistrar: Sendable {
    public static let namespace = "kube-system"
    public static let name = "kube-dns"
    static let labels = [
        "k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS", "kubernetes.io/cluster-service": "true",
    ]

    let client: KubusClient
    let clusterIP: IPv4
    let listen: [ListenAddress]
    let period: Duration
    let logger: Logger
    /// Whether the cluster IP conflict was logged as an error already (it is retried every 2 s).
    private let conflictReported = Mutex(false)

    public init(
        client: KubusClient, clusterIP: IPv4, listen: [ListenAddress], period: Duration = .seconds(30), logger: Logger
    ) {
        self.client = client
        self.clusterIP = clusterIP
        self.listen = listen
        self.period = period
        self.logger = logger
    }

    /// The Service to create: ports 53, targeting the port this server listens on.
    public static func service(clusterIP: IPv4, targetPort: Int) -> Service {
        Service(
            apiVersion: "v1", kind: "Service",
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: ServiceSpec(
                ports: [
                    ServicePort(name: "dns", protocol: "UDP", port: 53, targetPort: .int(targetPort)),
                    ServicePort(name: "dns-tcp", protocol: "TCP", port: 53, targetPort: .int(targetPort)),
                ],
                clusterIP: clusterIP.description, clusterIPs: [clusterIP.description], type: "ClusterIP"))
    }

    /// The Endpoints' subsets: one per listen port, with every listened address on it (wildcards cannot be
    /// reached as such and are left out).
    public static func subsets(_ listen: [ListenAddress]) -> [EndpointSubset] {
        var byPort: [Int: [String]] = [:]
        for address in listen where address.host != "0.0.0.0" && address.host != "::" {
            if !(byPort[address.port]?.contains(address.host) ?? false) {
                byPort[address.port, default: []].append(address.host)
            }
        }
        return byPort.keys.sorted().map { port in
            EndpointSubset(
                addresses: byPort[port]!.sorted().map { EndpointAddress(ip: $0) },
                ports: [
                    EndpointPort(name: "dns", port: port, protocol: "UDP"),
                    EndpointPort(name: "dns-tcp", port: port, protocol: "TCP"),
                ])
        }
    }

    /// Reconciles at once, then every `period` (every 2 s while the api cannot be reached) until cancelled.
    public func run() async {
        var failing = false
        var announced = false
        while !Task.isCancelled {
            do {
                try await reconcile()
                if !announced || failing {
                    logger.info(
                        "kube-system/kube-dns registered",
                        metadata: [
                            "kubus.clusterIP": "\(clusterIP)",
                            "kubus.endpoints": "\(listen.map(\.description).joined(separator: ","))",
                        ])
                    announced = true
                }
                failing = false
            } catch {
                logger.log(
                    level: failing ? .debug : .warning, "cannot register kube-system/kube-dns yet; will retry",
                    metadata: ["kubus.error": "\(error)"])
                failing = true
            }
            do {
                try await Task.sleep(for: failing ? .seconds(2) : period)
            } catch {
                return
            }
        }
    }

    /// Creates the Service when missing and creates or replaces the Endpoints.
    public func reconcile() async throws(APIError) {
        try await ensureService()
        try await ensureEndpoints()
    }

    private func ensureService() async throws(APIError) {
        do {
            let existing = try await client.get(Service.self, namespace: Self.namespace, name: Self.name)
            if let ip = existing.spec.clusterIP, ip != clusterIP.description {
                logger.warning(
                    "kube-system/kube-dns exists with another cluster IP: pods' resolv.conf names \(clusterIP), so they will not reach this server through it",
                    metadata: ["kubus.clusterIP": "\(ip)"])
            }
            return
        } catch  where error.code == 404 {
        }
        let port = listen.first?.port ?? 53
        do {
            _ = try await client.create(Self.service(clusterIP: clusterIP, targetPort: port))
            logger.info("created Service kube-system/kube-dns", metadata: ["kubus.clusterIP": "\(clusterIP)"])
        } catch  where error.code == 409 {
            // Created meanwhile by another instance.
        } catch  where error.code == 422 && error.message.contains(clusterIP.description) {
            let holder = await holderOfClusterIP()
            let first = conflictReported.withLock { reported in
                defer { reported = true }
                return !reported
            }
            logger.log(
                level: first ? .error : .debug,
                "cannot create Service kube-system/kube-dns with clusterIP \(clusterIP): \(error.message)\(holder.map { "; Service \($0) holds that address" } ?? ""). Pods name \(clusterIP) as their nameserver: free the address (delete or re-create that Service with another clusterIP) so cluster DNS works"
            )
            throw error
        }
    }

    /// `namespace/name` of the Service that has `clusterIP`, if any.
    private func holderOfClusterIP() async -> String? {
        guard let services = try? await client.list(Service.self).items else { return nil }
        return services.first { $0.spec.clusterIP == clusterIP.description }.map {
            "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")"
        }
    }

    private func ensureEndpoints() async throws(APIError) {
        let subsets = Self.subsets(listen)
        var existing: Endpoints?
        do {
            existing = try await client.get(Endpoints.self, namespace: Self.namespace, name: Self.name)
        } catch  where error.code == 404 {
            existing = nil
        }
        guard var endpoints = existing else {
            let fresh = Endpoints(
                apiVersion: "v1", kind: "Endpoints",
                metadata: ObjectMeta(name: Self.name, namespace: Self.namespace, labels: Self.labels), subsets: subsets)
            do {
                _ = try await client.create(fresh)
            } catch  where error.code == 409 {
            }
            return
        }
        guard Self.normalized(endpoints.subsets ?? []) != Self.normalized(subsets) else { return }
        endpoints.subsets = subsets
        _ = try await client.update(endpoints)
        logger.info(
            "updated Endpoints kube-system/kube-dns",
            metadata: ["kubus.endpoints": "\(listen.map(\.description).joined(separator: ","))"])
    }

    /// Subsets as sets of (address, port name, protocol, port), so order and defaults do not count as a change.
    static func normalized(_ subsets: [EndpointSubset]) -> Set<String> {
        var out = Set<String>()
        for subset in subsets {
            for address in subset.addresses ?? [] {
                for port in subset.ports ?? [] {
                    out.insert("\(address.ip) \(port.name ?? "") \(port.protocol ?? "TCP") \(port.port)")
                }
            }
        }
        return out
    }
}
