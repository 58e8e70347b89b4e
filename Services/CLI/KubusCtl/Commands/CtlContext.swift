public import ArgumentParser
public import Bus
public import Client
import Foundation
import Schema

/// Options every kubusctl command takes (also before the verb: see `GlobalFlagHoister`).
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(
        name: [.long, .customLong("server"), .customShort("s")],
        help: ArgumentHelp(
            "Bus base address (tcp://HOST:PORT or ipc:///PATH); -s/--server as in kubectl. Env: KUBUS_BUS.",
            valueName: "address"))
    public var bus: String?

    @Option(
        name: .customLong("bus-key"),
        help: ArgumentHelp(
            "Key file to authenticate with on the bus. Env: KUBUS_BUS_KEY. Default: .kubus/keys/admin.key when present.",
            valueName: "path"))
    public var busKey: String?

    @Option(name: [.short, .long], help: "The namespace to use. Env: KUBUS_NAMESPACE. Default: default.")
    public var namespace: String?

    @Option(
        name: .customLong("request-timeout"),
        help: ArgumentHelp(
            "How long to wait for one api request (Go duration; a bare integer is seconds; 0 waits forever).",
            valueName: "duration"),
        transform: { try GoDuration.parse($0, flag: "--request-timeout", bareIntegerSeconds: true) })
    public var requestTimeout: GoDuration = GoDuration(.seconds(15), text: "15s")

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "Username to impersonate for the operation (the caller needs the impersonate verb on users).",
            valueName: "user"))
    public var asUser: String?

    @Option(
        name: .customLong("as-group"),
        help: ArgumentHelp("Group to impersonate for the operation; repeat for several.", valueName: "group"))
    public var asGroups: [String] = []

    @Option(
        help: ArgumentHelp(
            """
            Bearer token for the api: a ServiceAccount token (kubectl create token NAME). Env: KUBUS_TOKEN. In a pod \
            without a kubeconfig, the pod's own token (/var/run/secrets/kubernetes.io/serviceaccount/token).
            """, valueName: "token"))
    public var token: String?

    @Option(
        help: ArgumentHelp(
            "The kubeconfig file (clusters, users, contexts). Env: KUBUSCONFIG. Default: ~/.kube/kubus.yaml.",
            valueName: "path"))
    public var kubeconfig: String?

    @Option(help: ArgumentHelp("The kubeconfig context to use (default: its current-context).", valueName: "name"))
    public var context: String?

    public init() {}

    /// The kubeconfig's path: `--kubeconfig`, `KUBUSCONFIG` or `~/.kube/kubus.yaml`.
    public var kubeconfigPath: String { kubeconfig ?? KubusConfig.defaultPath }

    /// The context in force (`--context`, else the file's current one); nil without a kubeconfig. A `--context`
    /// the file does not define is an error, as in kubectl.
    func selectedContext() throws(CtlError) -> (
        context: KubusConfig.Context, cluster: KubusConfig.Cluster?,
        user: KubusConfig.User?
    )? {
        let config: KubusConfig
        do {
            config = try KubusConfig.load(path: kubeconfigPath)
        } catch {
            throw CtlError("error loading config file \"\(kubeconfigPath)\": \(error.message)")
        }
        guard let resolved = config.resolve(context) else {
            if let context { throw CtlError("context was not found for specified context: \(context)") }
            return nil
        }
        return resolved
    }

    /// The bearer token: `--token`, `KUBUS_TOKEN`, or in a pod without a kubeconfig its ServiceAccount token.
    func bearerToken() -> String? {
        if let token, !token.isEmpty { return token }
        if let token = ProcessInfo.processInfo.environment["KUBUS_TOKEN"], !token.isEmpty { return token }
        if case .some(.some) = try? selectedContext() { return nil }
        guard let text = try? String(contentsOfFile: ServiceAccount.tokenMountPath + "/token", encoding: .utf8) else {
            return nil
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// The envelope fields every request carries: the bearer token (`authorization`), and the user and groups of
    /// `--as`/`--as-group` to run requests as.
    public func impersonation() throws(CtlError) -> [String: String] {
        var fields: [String: String] = [:]
        if let token = bearerToken() { fields["authorization"] = "Bearer " + token }
        guard let asUser, !asUser.isEmpty else {
            if !asGroups.isEmpty { throw CtlError("--as-group needs --as: groups are impersonated only with a user") }
            return fields
        }
        fields["impersonate-user"] = asUser
        if !asGroups.isEmpty { fields["impersonate-groups"] = asGroups.joined(separator: ",") }
        return fields
    }

    /// The namespace from `-n`, `KUBUS_NAMESPACE`, the kubeconfig context's, or `default`.
    public var resolvedNamespace: String {
        if let namespace, !namespace.isEmpty { return namespace }
        if let env = ProcessInfo.processInfo.environment["KUBUS_NAMESPACE"], !env.isEmpty { return env }
        if let namespace = (try? selectedContext())??.context.namespace, !namespace.isEmpty { return namespace }
        return "default"
    }

    /// The bus endpoints from `--bus`, `KUBUS_BUS` or the default, authenticated with the key file of `--bus-key`,
    /// `KUBUS_BUS_KEY`, or the administrator's key of a cluster kubus-up started in this folder (`.kubus/keys/admin.key`).
    public func endpoints() throws(CtlError) -> BusEndpoints {
        let environment = ProcessInfo.processInfo.environment
        let selected = try selectedContext()
        // Flags, then the environment, then the kubeconfig context, then the local cluster's administrator.
        let address = bus ?? environment["KUBUS_BUS"] ?? selected?.cluster?.server
        let keyFile =
            busKey ?? environment["KUBUS_BUS_KEY"] ?? selected?.user?.busKey
            ?? BusEndpoints.keyFile(explicit: nil, localAdministrator: true)
        do {
            _ = try BusEndpoints(base: address ?? BusEndpoints.defaultBase)
        } catch {
            throw CtlError("--bus: \(error.message)")
        }
        do {
            return try BusEndpoints.fromEnvironment(address, keyFile: keyFile ?? "")
        } catch {
            throw CtlError("--bus-key: \(error.message)")
        }
    }

    /// `--request-timeout` as a duration; 0 ("no timeout") is a day.
    public var requestDuration: Duration {
        requestTimeout.limit ?? .seconds(86_400)
    }

    /// A client of the api on the bus.
    public func client() throws(CtlError) -> KubusClient {
        let endpoints = try endpoints()
        let extra = try impersonation()
        do {
            let bus = try BusClient(endpoints: endpoints)
            return KubusClient(bus: bus, timeout: requestDuration, extra: extra)
        } catch {
            throw CtlError("cannot connect to the bus at \(endpoints.base): \(error.message)")
        }
    }
}

/// Standard output and error, and the run wrapper that prints errors kubectl's way.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String) { out(text + "\n") }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func warn(_ text: String) { err("Warning: \(text)") }

    /// Runs a command body; errors are printed on stderr and the exit code is 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            err(ErrorFormatter.format(error))
            throw ExitCode.failure
        }
    }
}

/// Resolves type arguments (`po`, `deployments.apps`, `all`) to kinds.
enum ResourceTypes {
    /// kubectl's `all` category, in its order (ReplicationController is not a Kubus kind).
    static let all = [
        "Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "HorizontalPodAutoscaler", "CronJob",
        "Job",
    ]

    static func kind(_ name: String) throws(CtlError) -> KindInfo {
        guard let info = KindRegistry.lookup(name) else {
            throw CtlError("the server doesn't have a resource type \"\(name)\"")
        }
        return info
    }

    /// `TYPE[,TYPE] [NAME...]` or `TYPE/NAME ...` into kinds and names (empty names: all objects).
    static func parse(_ arguments: [String]) throws(CtlError) -> [(info: KindInfo, names: [String])] {
        guard let first = arguments.first else {
            throw CtlError(
                "you must specify the type of resource to get. Use \"kubusctl api-resources\" for a complete list of supported resources."
            )
        }
        if first.contains("/") {
            var result: [(info: KindInfo, names: [String])] = []
            for argument in arguments {
                let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    throw CtlError("arguments in resource/name form must have a single resource and name")
                }
                let info = try kind(parts[0])
                if let index = result.firstIndex(where: { $0.info == info }) {
                    result[index].names.append(parts[1])
                } else {
                    result.append((info, [parts[1]]))
                }
            }
            return result
        }
        let names = Array(arguments.dropFirst())
        var result: [(info: KindInfo, names: [String])] = []
        for type in first.split(separator: ",").map(String.init) {
            if type.lowercased() == "all" {
                for kindName in all { result.append((try kind(kindName), names)) }
            } else {
                result.append((try kind(type), names))
            }
        }
        return result
    }
}

/// What `get` prints for an empty list.
func noResourcesMessage(namespace: String?) -> String {
    guard let namespace else { return "No resources found" }
    return "No resources found in \(namespace) namespace."
}
