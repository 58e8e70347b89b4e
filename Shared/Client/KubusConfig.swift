import Foundation
import Schema

/// kubusctl's kubeconfig: clusters (a bus address each), users (a bus key file each), contexts (a cluster, a user
/// and a namespace) and the current context — Kubernetes' `kind: Config` with `server` a bus address and `bus-key`
/// in place of certificates. Found at `--kubeconfig`, else `$KUBUSCONFIG`, else `~/.kube/kubus.yaml`; kubus-up
/// adds its cluster and the administrator to it.
public struct KubusConfig: Sendable, Hashable {
    public struct Cluster: Sendable, Hashable {
        public var name: String
        /// The bus address, `tcp://HOST:PORT` or `ipc:///PATH`.
        public var server: String
        public init(name: String, server: String) {
            self.name = name
            self.server = server
        }
    }

    public struct User: Sendable, Hashable {
        public var name: String
        /// The key file this user authenticates with on the bus.
        public var busKey: String
        public init(name: String, busKey: String) {
            self.name = name
            self.busKey = busKey
        }
    }

    public struct Context: Sendable, Hashable {
        public var name: String
        public var cluster: String
        public var user: String
        public var namespace: String?
        public init(name: String, cluster: String, user: String, namespace: String? = nil) {
            self.name = name
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }

    public var clusters: [Cluster] = []
    public var users: [User] = []
    public var contexts: [Context] = []
    public var currentContext: String = ""

    public init() {}

    /// `$KUBUSCONFIG`, else `~/.kube/kubus.yaml`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["KUBUSCONFIG"], !path.isEmpty { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.kube/kubus.yaml"
    }

    /// The file at `path`; an empty config when there is none. An error names the field that is wrong.
    public static func load(path: String) throws(KubusConfigError) -> KubusConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return KubusConfig() }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws(KubusConfigError) -> KubusConfig {
        var config = KubusConfig()
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return config }
        let document: JSONValue
        do {
            document = try Manifest.document(yaml: text, source: source)
        } catch {
            throw KubusConfigError(message: error.message)
        }
        func entries(_ field: String, _ body: String) throws(KubusConfigError) -> [(name: String, body: JSONValue)] {
            var out: [(String, JSONValue)] = []
            for (i, item) in (document[field]?.arrayValue ?? []).enumerated() {
                guard let name = item["name"]?.stringValue, !name.isEmpty else {
                    throw KubusConfigError(
                        source: source, field: "\(field)[\(i)].name", "a non-empty string is required")
                }
                out.append((name, item[body] ?? [:]))
            }
            return out
        }
        for (name, body) in try entries("clusters", "cluster") {
            guard let server = body["server"]?.stringValue, !server.isEmpty else {
                throw KubusConfigError(
                    source: source, field: "clusters[\(name)].cluster.server",
                    "the bus address is required, e.g. tcp://127.0.0.1:7700")
            }
            config.clusters.append(Cluster(name: name, server: server))
        }
        for (name, body) in try entries("users", "user") {
            guard let key = body["bus-key"]?.stringValue, !key.isEmpty else {
                throw KubusConfigError(
                    source: source, field: "users[\(name)].user.bus-key",
                    "the path of the user's bus key file is required")
            }
            config.users.append(User(name: name, busKey: key))
        }
        for (name, body) in try entries("contexts", "context") {
            config.contexts.append(
                Context(
                    name: name, cluster: body["cluster"]?.stringValue ?? "", user: body["user"]?.stringValue ?? "",
                    namespace: body["namespace"]?.stringValue))
        }
        config.currentContext = document["current-context"]?.stringValue ?? ""
        return config
    }

    /// The file's text, in kubeconfig's layout.
    public var yaml: String {
        var document: JSONValue = [
            "apiVersion": "v1", "kind": "Config", "preferences": [:],
            "clusters": .array(clusters.map { ["name": .string($0.name), "cluster": ["server": .string($0.server)]] }),
            "users": .array(users.map { ["name": .string($0.name), "user": ["bus-key": .string($0.busKey)]] }),
            "contexts": .array(
                contexts.map { c in
                    var context: JSONValue = ["cluster": .string(c.cluster), "user": .string(c.user)]
                    if let namespace = c.namespace { context["namespace"] = .string(namespace) }
                    return ["name": .string(c.name), "context": context]
                }),
        ]
        document["current-context"] = .string(currentContext)
        return Manifest.yaml(from: document)
    }

    /// Writes the file (0600, its folder made when missing).
    public func save(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// The context `name` (the current one when nil), with its cluster and user; nil when it is not defined.
    public func resolve(_ name: String? = nil) -> (context: Context, cluster: Cluster?, user: User?)? {
        let wanted = name ?? currentContext
        guard !wanted.isEmpty, let context = contexts.first(where: { $0.name == wanted }) else { return nil }
        return (
            context, clusters.first { $0.name == context.cluster }, users.first { $0.name == context.user }
        )
    }

    /// Adds or replaces a cluster, a user and a context joining them; makes it current when none is.
    public mutating func upsert(cluster: Cluster, user: User, context: Context) {
        clusters.removeAll { $0.name == cluster.name }
        clusters.append(cluster)
        users.removeAll { $0.name == user.name }
        users.append(user)
        contexts.removeAll { $0.name == context.name }
        contexts.append(context)
        if currentContext.isEmpty || !contexts.contains(where: { $0.name == currentContext }) {
            currentContext = context.name
        }
    }
}

/// A kubeconfig that cannot be read: the file, the field and what it needs.
public struct KubusConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }

    init(source: String, field: String, _ need: String) { message = "\(source): \(field): \(need)" }
}
