/// Where the Ingresses served send each request: the pure model nginx's configuration is rendered from.
///
/// A request is matched host first: the rules of its exact host, then those of the wildcard covering it
/// (`a.b.com` → `*.b.com`), then the rules without a host. The first of these levels with a matching path answers,
/// with its longest matching path (`Exact` before `Prefix` of the same length). A request no path matches goes to
/// the first `defaultBackend` along the same levels (the one of the Ingress that owns the host before the
/// cluster-wide one), and is answered 404 when there is none.
public struct RoutingTable: Sendable, Hashable {
    /// Every host level, keyed by its pattern; `.any` is always present (the catch-all server).
    public var hosts: [HostPattern: VirtualHost]
    /// Upstreams by name (`namespace_service_port`): the ready endpoint addresses, `ip:port`, sorted.
    public var upstreams: [String: [String]]
    /// Certificate files to write, by path: a TLS Secret's certificate chain followed by its key.
    public var certificates: [String: String]
    /// The Ingresses served (`namespace/name`), oldest first.
    public var served: [String]
    /// What could not be served as written, to report in Events.
    public var problems: [IngressProblem]

    public init(
        hosts: [HostPattern: VirtualHost] = [.any: VirtualHost(host: .any)], upstreams: [String: [String]] = [:],
        certificates: [String: String] = [:], served: [String] = [], problems: [IngressProblem] = []
    ) {
        self.hosts = hosts
        self.upstreams = upstreams
        self.certificates = certificates
        self.served = served
        self.problems = problems
    }

    /// The catch-all level (rules without a host, and the cluster-wide default backend).
    public var catchAll: VirtualHost { hosts[.any] ?? VirtualHost(host: .any) }

    /// The levels a request with Host `host` goes through, most specific first; the first is the server nginx
    /// picks (and whose certificate it presents).
    public func levels(for host: String) -> [VirtualHost] {
        let host = host.lowercased()
        var levels: [VirtualHost] = []
        if let exact = hosts[.exact(host)] { levels.append(exact) }
        if let pattern = HostPattern.wildcard(covering: host), let wildcard = hosts[pattern] { levels.append(wildcard) }
        levels.append(catchAll)
        return levels
    }

    /// The levels below `level` in every request's chain (`a.b.com` → `*.b.com` → any host).
    public func fallbackLevels(below level: VirtualHost) -> [VirtualHost] {
        switch level.host {
        case .any: return []
        case .wildcard: return [catchAll]
        case .exact(let host): return Array(levels(for: host).dropFirst())
        }
    }

    /// How a request is answered: Kubernetes' matching rules, as the rendered nginx configuration applies them.
    public func resolve(host: String, path: String, https: Bool = false, sslRedirect: Bool = true) -> Resolution {
        let levels = levels(for: host)
        let landing = levels[0]
        for level in levels {
            if let rule = level.paths.first(where: { $0.match.matches(path) }) {
                let redirect = !https && sslRedirect && landing.redirectsToHTTPS && rule.sslRedirect
                return Resolution(route: redirect ? .redirectToHTTPS : rule.route, server: landing.host, rule: rule)
            }
        }
        let fallback = levels.lazy.compactMap(\.defaultRoute).first ?? .notFound
        let redirect = !https && sslRedirect && landing.redirectsToHTTPS
        return Resolution(route: redirect ? .redirectToHTTPS : fallback, server: landing.host, rule: nil)
    }

    /// The answer to one request.
    public struct Resolution: Sendable, Hashable {
        /// What answers it.
        public var route: Route
        /// The server (host level) nginx picked.
        public var server: HostPattern
        /// The path rule that matched; nil for a default backend or 404.
        public var rule: PathRule?
    }
}

/// What answers a request.
public enum Route: Sendable, Hashable, CustomStringConvertible {
    /// Proxied to the upstream of this name.
    case upstream(String)
    /// 503: the backend has no ready endpoint, or cannot be served (a missing Service or port).
    case unavailable
    /// 404: nothing matched and there is no default backend.
    case notFound
    /// 308 to the same URL over HTTPS (only in `RoutingTable.resolve`; the table stores the backends).
    case redirectToHTTPS

    public var description: String {
        switch self {
        case .upstream(let name): return name
        case .unavailable: return "503"
        case .notFound: return "404"
        case .redirectToHTTPS: return "308 https"
        }
    }
}

/// The rules of one host pattern, merged from every Ingress served.
public struct VirtualHost: Sendable, Hashable {
    public var host: HostPattern
    /// Path rules, in precedence order (longest first, `Exact` before `Prefix`); no two with the same match.
    public var paths: [PathRule]
    /// The `defaultBackend` of the oldest Ingress with rules for this host that has one (for `.any`: the
    /// cluster-wide default backend).
    public var defaultRoute: Route?
    /// The Ingress that `defaultRoute` comes from.
    public var defaultIngress: String?
    /// The certificate presented for this host; nil: the default (self-signed) one.
    public var certificate: ServerCertificate?

    public init(
        host: HostPattern, paths: [PathRule] = [], defaultRoute: Route? = nil, defaultIngress: String? = nil,
        certificate: ServerCertificate? = nil
    ) {
        self.host = host
        self.paths = paths
        self.defaultRoute = defaultRoute
        self.defaultIngress = defaultIngress
        self.certificate = certificate
    }

    /// Whether plain HTTP requests to this host are redirected to HTTPS: it has a certificate of its own.
    public var redirectsToHTTPS: Bool { certificate != nil }
}

/// One path of one host, and where it goes.
public struct PathRule: Sendable, Hashable {
    public var match: IngressPathMatch
    public var route: Route
    /// The Ingress (`namespace/name`) the path comes from.
    public var ingress: String
    /// The backend as written (`web:80`, `web:http`), for status and logs.
    public var backend: String
    /// False when the Ingress opts out of the HTTPS redirect (`nginx.ingress.kubernetes.io/ssl-redirect: "false"`).
    public var sslRedirect: Bool

    public init(match: IngressPathMatch, route: Route, ingress: String, backend: String, sslRedirect: Bool = true) {
        self.match = match
        self.route = route
        self.ingress = ingress
        self.backend = backend
        self.sslRedirect = sslRedirect
    }
}

/// A TLS Secret's certificate as served for a host.
public struct ServerCertificate: Sendable, Hashable {
    /// The Secret, `namespace/name`.
    public var secret: String
    /// The PEM file (certificate chain, then key) nginx reads.
    public var path: String

    public init(secret: String, path: String) {
        self.secret = secret
        self.path = path
    }
}

/// Something in an Ingress that could not be served as written; reported as a Warning Event on the Ingress.
public struct IngressProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The Ingress, `namespace/name`.
    public var ingress: String
    /// The Event's reason (`ServiceNotFound`).
    public var reason: String
    /// The Event's message, saying what is wrong and how it is served meanwhile.
    public var message: String

    public init(ingress: String, reason: String, message: String) {
        self.ingress = ingress
        self.reason = reason
        self.message = message
    }

    public static func < (lhs: IngressProblem, rhs: IngressProblem) -> Bool {
        (lhs.ingress, lhs.reason, lhs.message) < (rhs.ingress, rhs.reason, rhs.message)
    }

    public var description: String { "\(ingress): \(reason): \(message)" }
}
