import ArgumentParser
import Client
import Schema

/// `kubusctl auth`: inspect authorization, as kubectl's.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Inspect authorization.", subcommands: [CanICommand.self, WhoAmICommand.self])
}

/// `kubusctl auth can-i VERB TYPE[/NAME] [NAME]`, `auth can-i VERB /PATH` and `auth can-i --list`: asks the api
/// with a SelfSubjectAccessReview (or SelfSubjectRulesReview), as kubectl does; with `--as`, for that user.
struct CanICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-i", abstract: "Check whether an action is allowed.",
        discussion: """
            Prints yes or no and exits 0 or 1. VERB is a Kubernetes verb (get, list, watch, create, update, patch, \
            delete, exec is create on pods/exec, ...); TYPE a resource (pods, deployments.apps, *); a path starting \
            with / asks about a non-resource URL. --list prints every rule that applies in the namespace.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "VERB TYPE[/NAME] [NAME], or VERB /PATH.") var arguments: [String] = []

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Ask about all namespaces.")
    var allNamespaces = false

    @Flag(help: "List every action allowed in the namespace.") var list = false

    @Flag(name: [.short, .long], help: "Print nothing; the exit status says yes (0) or no (1).") var quiet = false

    @Option(help: "The subresource, e.g. log or exec.") var subresource: String?

    func run() async throws {
        try await Console.run {
            let client = try global.client()
            if list {
                guard arguments.isEmpty else { throw CtlError("--list takes no VERB or TYPE") }
                let review: JSONValue = [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                    "spec": ["namespace": .string(global.resolvedNamespace)],
                ]
                let (reply, _) = try await client.create(review)
                Console.out(Self.renderRules(reply["status"] ?? [:]))
                return
            }
            let spec = try attributes()
            let review: JSONValue = [
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": spec,
            ]
            let (reply, _) = try await client.create(review)
            let allowed = reply[path: ["status", "allowed"]]?.boolValue ?? false
            if !quiet { Console.line(allowed ? "yes" : "no") }
            if !allowed { throw ExitCode.failure }
        }
    }

    /// The review's spec from the arguments: `resourceAttributes` or `nonResourceAttributes`.
    func attributes() throws(CtlError) -> JSONValue {
        guard arguments.count >= 2, arguments.count <= 3 else {
            throw CtlError("you must specify two or three arguments: verb, resource, and optional resourceName")
        }
        let verb = arguments[0]
        if arguments[1].hasPrefix("/") {
            return ["nonResourceAttributes": ["verb": .string(verb), "path": .string(arguments[1])]]
        }
        var type = arguments[1]
        var name = arguments.count == 3 ? arguments[2] : ""
        if let slash = type.firstIndex(of: "/") {
            name = String(type[type.index(after: slash)...])
            type = String(type[..<slash])
        }
        var group = ""
        var resource = type
        if type != "*" {
            if let info = KindRegistry.lookup(type) {
                group = info.group
                resource = info.plural
            } else {
                // kubectl asks anyway, for a type the server may learn later.
                Console.warn("the server doesn't have a resource type '\(type)'")
                if let dot = type.firstIndex(of: ".") {
                    resource = String(type[..<dot])
                    group = String(type[type.index(after: dot)...])
                }
            }
        }
        var attributes: JSONValue = [
            "verb": .string(verb), "resource": .string(resource), "group": .string(group),
            "namespace": .string(allNamespaces ? "" : global.resolvedNamespace),
        ]
        if let info = KindRegistry.lookup(type), !info.namespaced { attributes["namespace"] = "" }
        if !name.isEmpty { attributes["name"] = .string(name) }
        if let subresource, !subresource.isEmpty { attributes["subresource"] = .string(subresource) }
        return ["resourceAttributes": attributes]
    }

    /// Columns aligned as kubectl's tabwriter aligns them.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        TabWriter.format(([header] + rows).map { $0.joined(separator: "\t") }, padding: 3).joined(separator: "\n")
            + "\n"
    }

    /// kubectl's table: Resources, Non-Resource URLs, Resource Names, Verbs.
    static func renderRules(_ status: JSONValue) -> String {
        func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }
        func list(_ values: [String]) -> String { "[" + values.joined(separator: " ") + "]" }
        var rows: [[String]] = []
        for rule in status["resourceRules"]?.arrayValue ?? [] {
            let groups = strings(rule["apiGroups"])
            let resources = strings(rule["resources"]).flatMap { resource in
                groups.map { $0.isEmpty || $0 == "*" && resource == "*" ? resource : "\(resource).\($0)" }
            }
            rows.append([
                resources.joined(separator: ", "), "[]", list(strings(rule["resourceNames"])),
                list(strings(rule["verbs"])),
            ])
        }
        for rule in status["nonResourceRules"]?.arrayValue ?? [] {
            rows.append(["", list(strings(rule["nonResourceURLs"])), "[]", list(strings(rule["verbs"]))])
        }
        rows.sort { $0[0] < $1[0] }
        return table(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"], rows)
    }
}

/// `kubusctl auth whoami`: the user and groups the api sees (a SelfSubjectReview in Kubernetes; here the
/// SelfSubjectRulesReview's subject is not echoed, so the api's `whoami` answer is used).
struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Print the user and groups the cluster sees for this client.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Console.run {
            let review: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"]
            let (reply, _) = try await global.client().create(review)
            let info = reply[path: ["status", "userInfo"]] ?? [:]
            let groups = (info["groups"]?.arrayValue ?? []).compactMap(\.stringValue)
            var rows = [["Username", info["username"]?.stringValue ?? ""]]
            rows.append(["Groups", "[" + groups.joined(separator: " ") + "]"])
            Console.out(CanICommand.table(["ATTRIBUTE", "VALUE"], rows))
        }
    }
}
