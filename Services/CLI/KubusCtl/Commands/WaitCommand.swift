import ArgumentParser
import Client
import Schema

/// `kubusctl wait`: wait for a condition, a JSONPath value or the deletion of objects of any kind.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait for a specific condition on one or many resources.",
        discussion: """
            --for=condition=Complete waits for status.conditions to hold a condition of type Complete with status \
            True (condition=Ready=false for another status); --for=delete waits until the objects are gone; \
            --for=jsonpath='{.status.phase}'=Running waits for a value. Prints "<kind>/<name> condition met" for \
            each object and exits 1 on timeout.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE NAME..., or TYPE/NAME...")
    var arguments: [String] = []

    @Option(name: .customLong("for"), help: "The condition: delete, condition=NAME[=VALUE] or jsonpath=EXPR[=VALUE].")
    var condition: String?

    @Option(help: ArgumentHelp("How long to wait (Go duration, e.g. 60s); 0 checks once.", valueName: "duration"))
    var timeout = GoDuration(.seconds(30), text: "30s")

    @OptionGroup var selectorOption: SelectorOption

    @Flag(help: "Every object of the type in the namespace.")
    var all = false

    @Flag(name: [.customShort("A"), .long], help: "With -l or --all, across all namespaces.")
    var allNamespaces = false

    /// What `--for` asks for.
    enum Condition: Equatable {
        case delete
        case condition(type: String, status: String)
        case jsonPath(expression: String, value: String?)
    }

    /// Parses `--for` as kubectl does.
    static func parseCondition(_ text: String) throws(CtlError) -> Condition {
        let lower = text.lowercased()
        if lower == "delete" { return .delete }
        if lower.hasPrefix("condition=") {
            let rest = text.dropFirst("condition=".count)
            let parts = rest.split(separator: "=", maxSplits: 1).map(String.init)
            guard let type = parts.first, !type.isEmpty else {
                throw CtlError("condition name must be specified: --for=condition=NAME")
            }
            var status = parts.count > 1 ? parts[1] : "True"
            if status.lowercased() == "true" {
                status = "True"
            } else if status.lowercased() == "false" {
                status = "False"
            }
            return .condition(type: type, status: status)
        }
        if lower.hasPrefix("jsonpath=") {
            let rest = String(text.dropFirst("jsonpath=".count))
            // The expression ends at the last `}`; `=value` may follow.
            if let close = rest.lastIndex(of: "}") {
                let expression = String(rest[...close])
                let tail = rest[rest.index(after: close)...]
                if tail.isEmpty { return .jsonPath(expression: expression, value: nil) }
                guard tail.hasPrefix("=") else {
                    throw CtlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3")
                }
                return .jsonPath(expression: expression, value: String(tail.dropFirst()))
            }
            let parts = rest.split(separator: "=", maxSplits: 1).map(String.init)
            guard let expression = parts.first, !expression.isEmpty else {
                throw CtlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3")
            }
            let braced = expression.hasPrefix("{") ? expression : "{\(expression)}"
            return .jsonPath(expression: braced, value: parts.count > 1 ? parts[1] : nil)
        }
        throw CtlError("unrecognized condition: \"\(text)\"")
    }

    /// Whether `object` meets `condition` (not `.delete`).
    static func isMet(_ condition: Condition, _ object: JSONValue) throws(CtlError) -> Bool {
        switch condition {
        case .delete:
            return false
        case .condition(let type, let status):
            for entry in object[path: ["status", "conditions"]]?.arrayValue ?? [] {
                guard entry["type"]?.stringValue?.lowercased() == type.lowercased() else { continue }
                return entry["status"]?.stringValue?.lowercased() == status.lowercased()
            }
            return false
        case .jsonPath(let expression, let value):
            let rendered: String
            do {
                rendered = try JSONPathTemplate(expression).render(object)
            } catch {
                return false
            }
            guard let value else { return !rendered.isEmpty }
            return rendered == value
        }
    }

    func run() async throws {
        try await Console.run {
            guard let text = condition else { throw CtlError("--for must be specified") }
            let condition = try Self.parseCondition(text)
            let limit = timeout.limit
            let client = try global.client()
            let deadline = ContinuousClock.now + (limit ?? .zero)
            if try ResourceTypes.parse(arguments).allSatisfy({ $0.names.isEmpty }), selectorOption.selector == nil, !all
            {
                throw CtlError("resource name may not be empty")
            }
            let targets = try await ObjectTargets.resolve(
                arguments, selector: selectorOption.selector, all: all, allNamespaces: allNamespaces, global: global,
                client: client)
            guard !targets.isEmpty else { throw CtlError("no matching resources found") }
            for target in targets {
                let met = try await Self.wait(
                    client, target.info, namespace: target.namespace, name: target.name, for: condition,
                    until: deadline)
                guard met else {
                    throw CtlError("timed out waiting for the condition on \(target.info.plural)/\(target.name)")
                }
                Console.line("\(ResourceName.slashed(target.info, target.name)) condition met")
            }
        }
    }

    /// Polls the object until `condition` holds (true) or `deadline` passes (false).
    static func wait(
        _ client: KubusClient, _ info: KindInfo, namespace: String?, name: String, for condition: Condition,
        until deadline: ContinuousClock.Instant
    ) async throws -> Bool {
        let ns = namespace
        while true {
            do {
                let object = try await client.get(kind: info.kind, namespace: ns, name: name)
                if try isMet(condition, object) { return true }
            } catch let error as APIError where error.isNotFound {
                if condition == .delete { return true }
                throw error
            }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
