import Foundation
public import Schema

/// Everything the routing depends on, as the informers hold it.
public struct IngressSnapshot: Sendable, Hashable {
    public var ingresses: [Ingress]
    public var classes: [IngressClass]
    public var services: [Service]
    public var endpointSlices: [EndpointSlice]
    public var secrets: [Secret]

    public init(
        ingresses: [Ingress] = [], classes: [IngressClass] = [], services: [Service] = [],
        endpointSlices: [EndpointSlice] = [], secrets: [Secret] = []
    ) {
        self.ingresses = ingresses
        self.classes = classes
        self.services = services
        self.endpointSlices = endpointSlices
        self.secrets = secrets
    }
}

/// Builds the routing table from a snapshot: a pure function, so every rule is unit-tested without nginx.
public enum RoutingTableBuilder {
    /// The annotation by which an Ingress opts out of the HTTPS redirect (ingress-nginx's).
    public static let sslRedirectAnnotation = "nginx.ingress.kubernetes.io/ssl-redirect"

    /// The routing of every Ingress `configuration`'s class serves.
    ///
    /// - Parameter certificateErrors: TLS Secrets (`namespace/name`) whose certificate and key were found unusable
    ///   (by openssl), with the reason; their hosts get the default certificate.
    public static func build(
        _ snapshot: IngressSnapshot, configuration: IngressConfiguration, certificateErrors: [String: String] = [:]
    ) -> RoutingTable {
        var builder = Builder(snapshot: snapshot, configuration: configuration, certificateErrors: certificateErrors)
        return builder.build()
    }

    /// The order Ingresses claim hosts, paths and default backends in: oldest first, as ingress-nginx.
    static func olderFirst(_ a: Ingress, _ b: Ingress) -> Bool {
        let ta = a.metadata.creationTimestamp?.rawValue ?? ""
        let tb = b.metadata.creationTimestamp?.rawValue ?? ""
        if ta != tb { return ta < tb }
        return key(a) < key(b)
    }

    static func key(_ ingress: Ingress) -> String {
        "\(ingress.metadata.namespace ?? "default")/\(ingress.metadata.name ?? "")"
    }

    /// The upstream of a Service port: `namespace_service_port` (`_` never appears in those names).
    static func upstreamName(namespace: String, service: String, port: String) -> String {
        "\(namespace)_\(service)_\(port)"
    }

    private struct Builder {
        let snapshot: IngressSnapshot
        let configuration: IngressConfiguration
        let certificateErrors: [String: String]
        var table = RoutingTable()
        var services: [String: Service] = [:]
        var slices: [String: [EndpointSlice]] = [:]
        var secrets: [String: Secret] = [:]
        /// The route of each served Ingress's `defaultBackend`, by Ingress key.
        var defaultRoutes: [String: Route] = [:]

        init(snapshot: IngressSnapshot, configuration: IngressConfiguration, certificateErrors: [String: String]) {
            self.snapshot = snapshot
            self.configuration = configuration
            self.certificateErrors = certificateErrors
            for service in snapshot.services {
                services["\(service.metadata.namespace ?? "default")/\(service.metadata.name ?? "")"] = service
            }
            for slice in snapshot.endpointSlices {
                guard let service = slice.metadata.labels?[EndpointSlice.serviceNameLabel] else { continue }
                slices["\(slice.metadata.namespace ?? "default")/\(service)", default: []].append(slice)
            }
            for secret in snapshot.secrets {
                secrets["\(secret.metadata.namespace ?? "default")/\(secret.metadata.name ?? "")"] = secret
            }
        }

        mutating func build() -> RoutingTable {
            let policy = IngressClassPolicy(configuration)
            let served = snapshot.ingresses.filter { policy.serves($0, classes: snapshot.classes) }
                .sorted(by: RoutingTableBuilder.olderFirst)
            table.served = served.map(RoutingTableBuilder.key)
            for ingress in served { add(ingress) }
            chooseClusterDefault(served)
            for (pattern, var host) in table.hosts {
                host.paths.sort { $0.match < $1.match }
                table.hosts[pattern] = host
            }
            table.problems.sort()
            return table
        }

        // MARK: One Ingress

        mutating func add(_ ingress: Ingress) {
            let key = RoutingTableBuilder.key(ingress)
            let namespace = ingress.metadata.namespace ?? "default"
            let sslRedirect =
                ingress.metadata.annotations?[RoutingTableBuilder.sslRedirectAnnotation]?.lowercased() != "false"
            var patterns: [HostPattern] = []
            for (index, rule) in (ingress.spec.rules ?? []).enumerated() {
                guard let pattern = HostPattern.make(rule.host) else {
                    problem(
                        key, "InvalidHost",
                        "spec.rules[\(index)].host \"\(rule.host ?? "")\" is not a valid host name; the rule is not served"
                    )
                    continue
                }
                if !patterns.contains(pattern) { patterns.append(pattern) }
                if table.hosts[pattern] == nil { table.hosts[pattern] = VirtualHost(host: pattern) }
                for (pathIndex, httpPath) in (rule.http?.paths ?? []).enumerated() {
                    let field = "spec.rules[\(index)].http.paths[\(pathIndex)]"
                    let match: IngressPathMatch
                    switch IngressPathMatch.make(path: httpPath.path, pathType: httpPath.pathType) {
                    case .success(let m): match = m
                    case .failure(let error):
                        problem(key, "InvalidPath", "\(field): \(error); the path is not served")
                        continue
                    }
                    if let owner = table.hosts[pattern]?.paths.first(where: { $0.match == match }) {
                        let host = pattern == .any ? "any host" : "host \(pattern)"
                        let by =
                            owner.ingress == key
                            ? "an earlier path of this Ingress" : "Ingress \(owner.ingress) (older)"
                        problem(
                            key, "PathConflict",
                            "\(field): \(match) on \(host) is already served by \(by); this path is ignored")
                        continue
                    }
                    let (route, backend) = resolve(
                        httpPath.backend, namespace: namespace, ingress: key, field: "\(field).backend")
                    table.hosts[pattern]?.paths.append(
                        PathRule(match: match, route: route, ingress: key, backend: backend, sslRedirect: sslRedirect))
                }
            }
            if let backend = ingress.spec.defaultBackend {
                let (route, _) = resolve(backend, namespace: namespace, ingress: key, field: "spec.defaultBackend")
                defaultRoutes[key] = route
                for pattern in patterns where pattern != .any && table.hosts[pattern]?.defaultRoute == nil {
                    table.hosts[pattern]?.defaultRoute = route
                    table.hosts[pattern]?.defaultIngress = key
                }
            }
            addTLS(ingress, key: key, namespace: namespace, patterns: patterns)
        }

        /// The cluster-wide default backend: of the oldest Ingress without host rules that has one, else of the
        /// oldest Ingress with one.
        mutating func chooseClusterDefault(_ served: [Ingress]) {
            let withDefault = served.filter { $0.spec.defaultBackend != nil }
            let hostless = withDefault.filter { ($0.spec.rules ?? []).allSatisfy { ($0.host ?? "").isEmpty } }
            guard let chosen = hostless.first ?? withDefault.first else { return }
            let key = RoutingTableBuilder.key(chosen)
            table.hosts[.any]?.defaultRoute = defaultRoutes[key] ?? .unavailable
            table.hosts[.any]?.defaultIngress = key
            for other in withDefault where other.spec.rules?.isEmpty ?? true {
                let otherKey = RoutingTableBuilder.key(other)
                guard otherKey != key else { continue }
                problem(
                    otherKey, "DefaultBackendConflict",
                    "spec.defaultBackend is not used: Ingress \(key) (older) already provides the default backend "
                        + "for requests no rule matches"
                )
            }
        }

        // MARK: Backends

        /// The route of a backend, and the backend as written; reports what makes it unservable.
        mutating func resolve(_ backend: IngressBackend, namespace: String, ingress: String, field: String)
            -> (Route, String)
        {
            if let resource = backend.resource {
                problem(
                    ingress, "UnsupportedBackend",
                    "\(field): resource backends (\(resource.kind) \(resource.name)) are not supported; answering 503")
                return (.unavailable, "\(resource.kind)/\(resource.name)")
            }
            guard let ref = backend.service else { return (.unavailable, "") }
            let portText = ref.port?.name.flatMap { $0.isEmpty ? nil : $0 } ?? ref.port?.number.map(String.init) ?? ""
            let written = "\(ref.name):\(portText)"
            guard let service = services["\(namespace)/\(ref.name)"] else {
                problem(ingress, "ServiceNotFound", "\(field): service \"\(ref.name)\" not found; answering 503")
                return (.unavailable, written)
            }
            if service.spec.type == "ExternalName" {
                problem(
                    ingress, "UnsupportedBackend",
                    "\(field): service \"\(ref.name)\" is of type ExternalName, which is not supported; answering 503")
                return (.unavailable, written)
            }
            let ports = service.spec.ports ?? []
            let servicePort: ServicePort?
            if let name = ref.port?.name, !name.isEmpty {
                servicePort = ports.first { $0.name == name }
            } else if let number = ref.port?.number {
                servicePort = ports.first { $0.port == number }
            } else {
                servicePort = nil
            }
            guard let servicePort else {
                let what = (ref.port?.name).map { "named \"\($0)\"" } ?? "\(portText)"
                problem(
                    ingress, "ServicePortNotFound",
                    "\(field): service \"\(ref.name)\" has no port \(what); answering 503")
                return (.unavailable, written)
            }
            if let proto = servicePort.protocol, proto != "TCP" {
                problem(
                    ingress, "UnsupportedBackend",
                    "\(field): port \(servicePort.port) of service \"\(ref.name)\" is \(proto), not TCP; answering 503")
                return (.unavailable, written)
            }
            let servers = endpoints(namespace: namespace, service: ref.name, portName: servicePort.name ?? "")
            guard !servers.isEmpty else { return (.unavailable, written) }
            let name = RoutingTableBuilder.upstreamName(namespace: namespace, service: ref.name, port: portText)
            table.upstreams[name] = servers
            return (.upstream(name), written)
        }

        /// The ready endpoints (`ip:port`) of a Service's port, from its EndpointSlices: the slice port of the same
        /// name as the Service port; endpoints whose `conditions.ready` is not false; the first address of each.
        func endpoints(namespace: String, service: String, portName: String) -> [String] {
            var servers = Set<String>()
            for slice in slices["\(namespace)/\(service)"] ?? [] {
                guard slice.addressType == "IPv4" || slice.addressType == "IPv6",
                    let port = slice.ports?.first(where: { ($0.name ?? "") == portName })?.port
                else { continue }
                for endpoint in slice.endpoints ?? [] where endpoint.conditions?.ready != false {
                    guard let address = endpoint.addresses.first, Self.isAddress(address, type: slice.addressType)
                    else { continue }
                    servers.insert(slice.addressType == "IPv6" ? "[\(address)]:\(port)" : "\(address):\(port)")
                }
            }
            return servers.sorted()
        }

        static func isAddress(_ text: String, type: String) -> Bool {
            if type == "IPv4" { return IPv4(text) != nil }
            return !text.isEmpty
                && text.utf8.allSatisfy { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || isHexDigit($0) }
        }

        static func isHexDigit(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
        }

        // MARK: TLS

        /// Gives each of the Ingress's hosts without a certificate yet the Secret of the first TLS entry covering
        /// it: listing it, listing the wildcard covering it, or (for rules without a host) listing no host at all.
        mutating func addTLS(_ ingress: Ingress, key: String, namespace: String, patterns: [HostPattern]) {
            for (index, tls) in (ingress.spec.tls ?? []).enumerated() {
                let listed = (tls.hosts ?? []).compactMap { HostPattern.make($0) }
                for pattern in patterns where covers(listed, pattern) {
                    guard table.hosts[pattern]?.certificate == nil else { continue }
                    guard let secretName = tls.secretName, !secretName.isEmpty else {
                        problem(
                            key, "SecretNotFound",
                            "spec.tls[\(index)] names no secretName; host \"\(pattern)\" gets the default certificate")
                        continue
                    }
                    if let certificate = certificate(
                        namespace: namespace, name: secretName, ingress: key, host: pattern, field: "spec.tls[\(index)]"
                    ) {
                        table.hosts[pattern]?.certificate = certificate
                    }
                }
            }
        }

        func covers(_ listed: [HostPattern], _ pattern: HostPattern) -> Bool {
            if pattern == .any { return listed.isEmpty }
            if listed.contains(pattern) { return true }
            if case .exact(let host) = pattern, let wildcard = HostPattern.wildcard(covering: host) {
                return listed.contains(wildcard)
            }
            return false
        }

        /// The certificate file of a TLS Secret, or nil (reported) when it is missing or unusable.
        mutating func certificate(namespace: String, name: String, ingress: String, host: HostPattern, field: String)
            -> ServerCertificate?
        {
            let secretKey = "\(namespace)/\(name)"
            let hostText = host == .any ? "requests without a matching host" : "host \"\(host)\""
            guard let secret = secrets[secretKey] else {
                problem(
                    ingress, "SecretNotFound",
                    "\(field): secret \"\(name)\" not found; \(hostText) gets the default certificate")
                return nil
            }
            guard let pem = Self.pem(of: secret) else {
                problem(
                    ingress, "InvalidSecret",
                    "\(field): secret \"\(name)\" has no PEM certificate and key in tls.crt and tls.key; "
                        + "\(hostText) gets the default certificate"
                )
                return nil
            }
            if let error = certificateErrors[secretKey] {
                problem(
                    ingress, "InvalidSecret",
                    "\(field): secret \"\(name)\": \(error); \(hostText) gets the default certificate")
                return nil
            }
            let path = Self.certificatePath(
                namespace: namespace, name: name, directory: configuration.certificateDirectory)
            table.certificates[path] = pem
            return ServerCertificate(secret: secretKey, path: path)
        }

        /// A TLS Secret's `tls.crt` followed by its `tls.key`, if both decode to PEM.
        static func pem(of secret: Secret) -> String? {
            guard let crt = decode(secret.data?["tls.crt"]), let key = decode(secret.data?["tls.key"]),
                crt.contains("-----BEGIN CERTIFICATE-----"), key.contains("PRIVATE KEY-----")
            else { return nil }
            return (crt.hasSuffix("\n") ? crt : crt + "\n") + (key.hasSuffix("\n") ? key : key + "\n")
        }

        static func decode(_ base64: String?) -> String? {
            guard let base64, let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                return nil
            }
            return String(data: data, encoding: .utf8)
        }

        static func certificatePath(namespace: String, name: String, directory: String) -> String {
            "\(directory)/\(namespace)_\(name).pem"
        }

        mutating func problem(_ ingress: String, _ reason: String, _ message: String) {
            let p = IngressProblem(ingress: ingress, reason: reason, message: message)
            if !table.problems.contains(p) { table.problems.append(p) }
        }
    }
}

extension RoutingTableBuilder {
    /// The PEM nginx is given for a TLS Secret (`tls.crt`, then `tls.key`), or nil when the Secret lacks them.
    public static func pem(of secret: Secret) -> String? { Builder.pem(of: secret) }
}
