import ArgumentParser
import Foundation
public import Schema

// `create service clusterip|nodeport|loadbalancer|externalname`, `create role|clusterrole` and
// `create rolebinding|clusterrolebinding`: the objects kubectl's generators make, with their checks and messages.

extension CreateBuilder {
    /// `create service TYPE NAME`: labels and selector `app=NAME`, one TCP port per `--tcp=PORT[:TARGET]` named
    /// `PORT-TARGET`; `type` is Kubernetes' (`ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`).
    public static func service(
        _ name: String, namespace: String?, type: String, tcp: [String], clusterIP: String? = nil,
        nodePort: Int? = nil, externalName: String? = nil
    ) throws(CtlError) -> JSONValue {
        let pairs = tcp.flatMap { $0.split(separator: ",").map(String.init) }
        if clusterIP == "None" && type != "ClusterIP" {
            throw CtlError("ClusterIP=None can only be used with ClusterIP service type")
        }
        if clusterIP != "None" && pairs.isEmpty && type != "ExternalName" {
            throw CtlError("at least one tcp port specifier must be provided")
        }
        if type == "ExternalName" {
            let external = externalName ?? ""
            guard !external.isEmpty, NameValidation.dns1123Subdomain(external).isEmpty else {
                throw CtlError("invalid service external name \(external)")
            }
        }
        var ports: [JSONValue] = []
        for pair in pairs {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let port = Int(parts[0]), (1...65535).contains(port) else {
                throw CtlError("invalid port \"\(parts[0])\" in --tcp=\(pair): a number from 1 to 65535")
            }
            var target = JSONValue.int(Int64(port))
            if parts.count == 2 {
                if let number = Int(parts[1]) {
                    guard (1...65535).contains(number) else {
                        throw CtlError("invalid target port \(number) in --tcp=\(pair): must be between 1 and 65535")
                    }
                    target = .int(Int64(number))
                } else {
                    let problems = NameValidation.portName(parts[1])
                    guard problems.isEmpty else { throw CtlError(problems.joined(separator: ",")) }
                    target = .string(parts[1])
                }
            }
            var entry: JSONValue = [
                "name": .string(pair.replacingOccurrences(of: ":", with: "-")), "port": .int(Int64(port)),
                "targetPort": target, "protocol": "TCP",
            ]
            if let nodePort, nodePort != 0 { entry["nodePort"] = .int(Int64(nodePort)) }
            ports.append(entry)
        }
        let labels: JSONValue = ["app": .string(name)]
        var meta = metadata(name, namespace: namespace)
        meta["labels"] = labels
        var spec: JSONValue = ["type": .string(type), "selector": labels]
        if !ports.isEmpty { spec["ports"] = .array(ports) }
        if let externalName, !externalName.isEmpty { spec["externalName"] = .string(externalName) }
        if let clusterIP, !clusterIP.isEmpty { spec["clusterIP"] = .string(clusterIP) }
        return ["apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec]
    }

    /// The verbs `create role` and `create clusterrole` accept for resources (kubectl's list).
    static let resourceVerbs: Set<String> = [
        "*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection", "use", "bind",
        "escalate", "impersonate",
    ]
    /// The verbs a non-resource URL rule takes.
    static let nonResourceVerbs: Set<String> = ["*", "get", "post", "put", "delete", "patch", "head", "options"]

    /// `create role NAME` (or `clusterrole` with `namespace` nil and `clusterScoped`): one rule per API group of the
    /// `--resource`s (`pods`, `deployments.apps`, `pods/log`, short names too), each with every `--verb` and
    /// `--resource-name`, groups in order; a ClusterRole's `--non-resource-url`s get a rule of their own.
    public static func role(
        _ name: String, namespace: String?, clusterScoped: Bool, verbs: [String], resources: [String],
        resourceNames: [String] = [], nonResourceURLs: [String] = []
    ) throws(CtlError) -> JSONValue {
        func list(_ values: [String]) -> [String] { values.flatMap { $0.split(separator: ",").map(String.init) } }
        let verbs = list(verbs)
        let resources = list(resources)
        let resourceNames = list(resourceNames)
        let urls = list(nonResourceURLs)
        guard !verbs.isEmpty else { throw CtlError("at least one verb must be specified") }
        if clusterScoped {
            guard !resources.isEmpty || !urls.isEmpty else {
                throw CtlError("one of resource or nonResourceURL must be specified")
            }
        } else {
            guard !resources.isEmpty else { throw CtlError("at least one resource must be specified") }
        }
        if !resources.isEmpty {
            for verb in verbs where !resourceVerbs.contains(verb) {
                throw CtlError(clusterScoped ? "invalid verb: '\(verb)' for resource" : "invalid verb: '\(verb)'")
            }
        }
        if !urls.isEmpty {
            for verb in verbs where !nonResourceVerbs.contains(verb) {
                throw CtlError("invalid verb: '\(verb)' for nonResourceURL")
            }
            for url in urls where url != "*" {
                guard url.hasPrefix("/") else { throw CtlError("nonResourceURL should start with /") }
                guard !url.dropLast().contains("*") else {
                    throw CtlError("nonResourceURL only supports wildcard matches when '*' is at the end")
                }
            }
        }
        var groups: [String: [String]] = [:]
        for resource in resources {
            let (base, subresource) = splitSubresource(resource)
            var group = ""
            var plural = base
            if base != "*" {
                guard let info = KindRegistry.lookup(base) else {
                    throw CtlError("the server doesn't have a resource type \"\(base)\"")
                }
                group = info.group
                plural = info.plural
            }
            let full = subresource.map { "\(plural)/\($0)" } ?? plural
            if !(groups[group] ?? []).contains(full) { groups[group, default: []].append(full) }
        }
        var rules: [JSONValue] = []
        for group in groups.keys.sorted() {
            var rule: JSONValue = [
                "verbs": .array(verbs.map { .string($0) }), "apiGroups": [.string(group)],
                "resources": .array((groups[group] ?? []).map { .string($0) }),
            ]
            if !resourceNames.isEmpty { rule["resourceNames"] = .array(resourceNames.map { .string($0) }) }
            rules.append(rule)
        }
        if !urls.isEmpty {
            rules.append([
                "verbs": .array(verbs.map { .string($0) }), "nonResourceURLs": .array(urls.map { .string($0) }),
            ])
        }
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": clusterScoped ? "ClusterRole" : "Role",
            "metadata": metadata(name, namespace: clusterScoped ? nil : namespace), "rules": .array(rules),
        ]
    }

    private static func splitSubresource(_ resource: String) -> (String, String?) {
        guard let slash = resource.firstIndex(of: "/") else { return (resource, nil) }
        return (String(resource[..<slash]), String(resource[resource.index(after: slash)...]))
    }

    /// `create rolebinding NAME --role=R|--clusterrole=CR` or (with `namespace` nil and `clusterScoped`) `create
    /// clusterrolebinding NAME --clusterrole=CR`, binding `--user`s, `--group`s and `--serviceaccount NS:NAME`s.
    public static func roleBinding(
        _ name: String, namespace: String?, clusterScoped: Bool, role: String?, clusterRole: String?, users: [String],
        groups: [String], serviceAccounts: [String]
    ) throws(CtlError) -> JSONValue {
        let roleRef: JSONValue
        switch (role.flatMap { $0.isEmpty ? nil : $0 }, clusterRole.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let role?, nil) where !clusterScoped:
            roleRef = ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(role)]
        case (nil, let clusterRole?):
            roleRef = ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterRole)]
        default:
            throw CtlError(
                clusterScoped
                    ? "required flag(s) \"clusterrole\" not set"
                    : "exactly one of clusterrole or role must be specified")
        }
        var subjects: [JSONValue] = []
        for user in users {
            subjects.append(["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": .string(user)])
        }
        for group in groups {
            subjects.append(["kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": .string(group)])
        }
        for account in serviceAccounts {
            let parts = account.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CtlError("serviceaccount must be <namespace>:<name>")
            }
            subjects.append(["kind": "ServiceAccount", "namespace": .string(parts[0]), "name": .string(parts[1])])
        }
        var object: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": clusterScoped ? "ClusterRoleBinding" : "RoleBinding",
            "metadata": metadata(name, namespace: clusterScoped ? nil : namespace), "roleRef": roleRef,
        ]
        if !subjects.isEmpty { object["subjects"] = .array(subjects) }
        return object
    }
}

/// `create service clusterip|nodeport|loadbalancer|externalname NAME`.
struct CreateService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Create a service: clusterip, nodeport, loadbalancer or externalname.",
        subcommands: [
            CreateServiceOfType<ClusterIPType>.self, CreateServiceOfType<NodePortType>.self,
            CreateServiceOfType<LoadBalancerType>.self, CreateServiceOfType<ExternalNameType>.self,
        ], aliases: ["svc"])

    @ParentCommand var parent: CreateCommand
}

/// What a `create service` subcommand is called and which Service type it makes.
protocol ServiceTypeName {
    static var command: String { get }
    static var type: String { get }
}
enum ClusterIPType: ServiceTypeName {
    static let command = "clusterip"
    static let type = "ClusterIP"
}
enum NodePortType: ServiceTypeName {
    static let command = "nodeport"
    static let type = "NodePort"
}
enum LoadBalancerType: ServiceTypeName {
    static let command = "loadbalancer"
    static let type = "LoadBalancer"
}
enum ExternalNameType: ServiceTypeName {
    static let command = "externalname"
    static let type = "ExternalName"
}

struct CreateServiceOfType<Kind: ServiceTypeName>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.command, abstract: "Create a \(Kind.type) service.")
    }

    @ParentCommand var service: CreateService
    @Argument var name: String
    @Option(help: "Port pairs, as '<port>:<targetPort>' (repeatable, or comma-separated).") var tcp: [String] = []
    @Option(help: "ClusterIP: your own cluster IP, or None for a headless service.") var clusterip: String?
    @Option(name: .customLong("node-port"), help: "NodePort: the port on every node.") var nodePort: Int?
    @Option(name: .customLong("external-name"), help: "ExternalName: the external DNS name.") var externalName: String?

    func run() async throws {
        let create = service.parent
        try await Console.run {
            if Kind.type == "ExternalName" && externalName == nil {
                throw CtlError("required flag(s) \"external-name\" not set")
            }
            let object = try CreateBuilder.service(
                name, namespace: create.global.namespace, type: Kind.type, tcp: tcp,
                clusterIP: Kind.type == "ClusterIP" ? clusterip : nil,
                nodePort: Kind.type == "NodePort" ? nodePort : nil,
                externalName: Kind.type == "ExternalName" ? externalName : nil)
            try await create.createAndReport(object)
        }
    }
}

/// `create role NAME --verb=... --resource=... [--resource-name=...]`.
struct CreateRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "role", abstract: "Create a role with single rule.")

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @OptionGroup var rule: RuleOptions

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.role(
                name, namespace: parent.global.namespace, clusterScoped: false, verbs: rule.verb,
                resources: rule.resource, resourceNames: rule.resourceName)
            try await parent.createAndReport(object)
        }
    }
}

/// `create clusterrole NAME --verb=... (--resource=... | --non-resource-url=...)`.
struct CreateClusterRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clusterrole", abstract: "Create a cluster role.")

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @OptionGroup var rule: RuleOptions
    @Option(name: .customLong("non-resource-url"), help: "Non-resource URLs the rule applies to (repeatable).")
    var nonResourceURL: [String] = []

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.role(
                name, namespace: nil, clusterScoped: true, verbs: rule.verb, resources: rule.resource,
                resourceNames: rule.resourceName, nonResourceURLs: nonResourceURL)
            try await parent.createAndReport(object)
        }
    }
}

/// `create rolebinding NAME --role=R|--clusterrole=CR [--user U] [--group G] [--serviceaccount NS:NAME]`.
struct CreateRoleBinding: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rolebinding", abstract: "Create a role binding for a particular role or cluster role.")

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "Role this RoleBinding should reference.") var role: String?
    @Option(help: "ClusterRole this RoleBinding should reference.") var clusterrole: String?
    @OptionGroup var subjects: SubjectOptions

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.roleBinding(
                name, namespace: parent.global.namespace, clusterScoped: false, role: role, clusterRole: clusterrole,
                users: subjects.user, groups: subjects.group, serviceAccounts: subjects.serviceaccount)
            try await parent.createAndReport(object)
        }
    }
}

/// `create clusterrolebinding NAME --clusterrole=CR [--user U] [--group G] [--serviceaccount NS:NAME]`.
struct CreateClusterRoleBinding: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusterrolebinding", abstract: "Create a cluster role binding for a particular cluster role.")

    @ParentCommand var parent: CreateCommand
    @Argument var name: String
    @Option(help: "ClusterRole this ClusterRoleBinding should reference.") var clusterrole: String?
    @OptionGroup var subjects: SubjectOptions

    func run() async throws {
        try await Console.run {
            let object = try CreateBuilder.roleBinding(
                name, namespace: nil, clusterScoped: true, role: nil, clusterRole: clusterrole,
                users: subjects.user, groups: subjects.group, serviceAccounts: subjects.serviceaccount)
            try await parent.createAndReport(object)
        }
    }
}

/// The rule flags of `create role` and `create clusterrole`.
struct RuleOptions: ParsableArguments {
    @Option(help: "Verbs that apply to the resources (repeatable, or comma-separated).") var verb: [String] = []
    @Option(help: "Resources the rule applies to (repeatable, or comma-separated).") var resource: [String] = []
    @Option(name: .customLong("resource-name"), help: "Resource names in the white list (repeatable).")
    var resourceName: [String] = []
}

/// The subject flags of `create rolebinding` and `create clusterrolebinding`.
struct SubjectOptions: ParsableArguments {
    @Option(help: "Usernames to bind to the role (repeatable).") var user: [String] = []
    @Option(help: "Groups to bind to the role (repeatable).") var group: [String] = []
    @Option(help: "Service accounts to bind to the role, as <namespace>:<name> (repeatable).")
    var serviceaccount: [String] = []
}
