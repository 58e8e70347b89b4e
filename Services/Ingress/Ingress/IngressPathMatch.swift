/// Kubernetes' path matching for Ingress rules (networking.k8s.io/v1 `HTTPIngressPath`).
///
/// `Exact` matches the request path exactly, case-sensitively. `Prefix` matches element by element on `/`: `/foo`
/// (or `/foo/`, the trailing slash is ignored) matches `/foo`, `/foo/` and `/foo/bar` but not `/foobar`.
/// `ImplementationSpecific` is matched as `Prefix` here. Of several matching paths the longest wins, and of equally
/// long ones `Exact` wins.
public struct IngressPathMatch: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path as matched: for prefixes without their trailing slashes (`/` stays `/`).
    public var path: String
    /// Whether the match is exact (else element-wise prefix).
    public var exact: Bool

    public init(path: String, exact: Bool) {
        self.path = path
        self.exact = exact
    }

    /// The match of a rule's path and pathType, or nil with the reason it cannot be served.
    ///
    /// Paths must be absolute and free of the sequences Kubernetes refuses (`//`, `/./`, `/../`, `%2f`, a trailing
    /// `/.` or `/..`), which could never match a normalized request path; an empty `ImplementationSpecific` path is
    /// `/`. Control characters are refused so the path can be written into nginx's configuration.
    public static func make(path: String?, pathType: String?) -> Result<IngressPathMatch, PathError> {
        let type = pathType ?? ""
        var text = path ?? ""
        switch type {
        case "Exact", "Prefix": break
        case "ImplementationSpecific": if text.isEmpty { text = "/" }
        case "": return .failure(PathError("pathType must be specified"))
        default: return .failure(PathError("pathType \"\(type)\" is not one of Exact, Prefix, ImplementationSpecific"))
        }
        guard text.hasPrefix("/") else { return .failure(PathError("path \"\(text)\" must be an absolute path")) }
        for sequence in ["//", "/./", "/../", "%2f", "%2F"] where text.contains(sequence) {
            return .failure(PathError("path \"\(text)\" must not contain '\(sequence)'"))
        }
        for suffix in ["/..", "/."] where text.hasSuffix(suffix) {
            return .failure(PathError("path \"\(text)\" must not end with '\(suffix)'"))
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(PathError("path \"\(text.debugDescription)\" must not contain control characters"))
        }
        if type == "Exact" { return .success(IngressPathMatch(path: text, exact: true)) }
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return .success(IngressPathMatch(path: text, exact: false))
    }

    /// Whether a request for `requestPath` (without its query) matches.
    public func matches(_ requestPath: String) -> Bool {
        if exact { return requestPath == path }
        if path == "/" { return requestPath.hasPrefix("/") }
        guard requestPath.hasPrefix(path) else { return false }
        let rest = requestPath.utf8.dropFirst(path.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    /// Precedence: the longer path first; of equal ones, `Exact` first.
    public static func < (lhs: IngressPathMatch, rhs: IngressPathMatch) -> Bool {
        if lhs.path.utf8.count != rhs.path.utf8.count { return lhs.path.utf8.count > rhs.path.utf8.count }
        if lhs.exact != rhs.exact { return lhs.exact }
        return lhs.path < rhs.path
    }

    public var description: String { "\(exact ? "Exact" : "Prefix") \(path)" }

    /// Why a rule's path cannot be served.
    public struct PathError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The host part of an Ingress rule: any host, one exact host, or `*.suffix` (exactly one more label).
public enum HostPattern: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A rule without a host: every request.
    case any
    /// `foo.bar.com`: requests whose Host is exactly that.
    case exact(String)
    /// `*.bar.com` (stored as `bar.com`): requests whose Host is one label followed by `.bar.com`.
    case wildcard(String)

    /// The pattern of a rule's `host` (lower-cased, as hosts compare without case); nil for a malformed host.
    public static func make(_ host: String?) -> HostPattern? {
        guard let host, !host.isEmpty else { return .any }
        let lower = host.lowercased()
        if lower.hasPrefix("*.") {
            let suffix = String(lower.dropFirst(2))
            return isHostName(suffix) ? .wildcard(suffix) : nil
        }
        return isHostName(lower) ? .exact(lower) : nil
    }

    /// Whether `host` is a DNS name nginx can be configured with: dot-separated labels of letters, digits and `-`.
    static func isHostName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
    }

    /// Whether a request with Host `host` (lower-case, without port) matches.
    public func matches(_ host: String) -> Bool {
        switch self {
        case .any: return true
        case .exact(let name): return host == name
        case .wildcard(let suffix):
            guard let dot = host.firstIndex(of: ".") else { return false }
            return dot != host.startIndex && host[host.index(after: dot)...] == suffix
        }
    }

    /// The wildcard pattern that covers `host` (`a.b.com` → `*.b.com`), if the host has more than one label.
    public static func wildcard(covering host: String) -> HostPattern? {
        guard let dot = host.firstIndex(of: "."), dot != host.startIndex else { return nil }
        return .wildcard(String(host[host.index(after: dot)...]))
    }

    /// As written in an Ingress: ``, `foo.bar.com`, `*.bar.com`.
    public var description: String {
        switch self {
        case .any: return ""
        case .exact(let name): return name
        case .wildcard(let suffix): return "*." + suffix
        }
    }

    /// Exact hosts first, then wildcards, then any host; by name within each.
    public static func < (lhs: HostPattern, rhs: HostPattern) -> Bool {
        func rank(_ p: HostPattern) -> Int {
            switch p {
            case .exact: return 0
            case .wildcard: return 1
            case .any: return 2
            }
        }
        if rank(lhs) != rank(rhs) { return rank(lhs) < rank(rhs) }
        return lhs.description < rhs.description
    }
}
