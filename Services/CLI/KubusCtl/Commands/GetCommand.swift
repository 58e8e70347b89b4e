import ArgumentParser
import Bus
import Client
public import Foundation
public import Schema

/// How `get` prints what it found.
enum OutputFormat: Equatable {
    case table
    case wide
    case yaml
    case json
    case name
    case jsonpath(String)
    /// `custom-columns=SPEC`.
    case customColumns(String)
    /// `custom-columns-file=FILE`: the file's text.
    case customColumnsTemplate(String)

    init(_ text: String?, read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) throws(CtlError) {
        guard let text else {
            self = .table
            return
        }
        switch text {
        case "wide": self = .wide
        case "yaml": self = .yaml
        case "json": self = .json
        case "name": self = .name
        default:
            if text.hasPrefix("jsonpath=") {
                self = .jsonpath(String(text.dropFirst("jsonpath=".count)))
            } else if text.hasPrefix("jsonpath-as-json=") {
                self = .jsonpath(String(text.dropFirst("jsonpath-as-json=".count)))
            } else if text == "custom-columns" || text.hasPrefix("custom-columns=") {
                self = .customColumns(String(text.dropFirst("custom-columns".count).drop { $0 == "=" }))
            } else if text.hasPrefix("custom-columns-file=") {
                let path = String(text.dropFirst("custom-columns-file=".count))
                guard let data = read(path) else {
                    throw CtlError("error reading template \(path), open \(path): no such file or directory")
                }
                self = .customColumnsTemplate(String(decoding: data, as: UTF8.self))
            } else {
                throw CtlError(
                    "unable to match a printer suitable for the output format \"\(text)\", allowed formats are: "
                        + "custom-columns,custom-columns-file,json,jsonpath,name,wide,yaml")
            }
        }
    }

    /// Whether the output is a table (headers and the "No resources found" message apply).
    var isTable: Bool {
        switch self {
        case .table, .wide, .customColumns, .customColumnsTemplate: return true
        default: return false
        }
    }
}

/// Renders what `get` found, without a bus: used by `get` and its tests.
public enum GetRenderer {
    /// One kind's objects as found.
    public struct Found: Sendable {
        public var info: KindInfo
        public var objects: [JSONValue]
        /// True when the user named objects (a single named object prints bare in yaml/json).
        public var named: Bool

        public init(info: KindInfo, objects: [JSONValue], named: Bool) {
            self.info = info
            self.objects = objects
            self.named = named
        }
    }

    /// The text for stdout; `output` is the `-o` value, `sortBy` the `--sort-by` field.
    public static func render(
        _ found: [Found], output: String?, options: TableOptions, sortBy: String? = nil, now: Date = Date()
    ) throws(CtlError) -> String {
        let format = try OutputFormat(output)
        var found = found
        if let sortBy, !sortBy.isEmpty {
            for index in found.indices { found[index].objects = try SortBy.sort(found[index].objects, by: sortBy) }
        }
        let all = found.flatMap(\.objects)
        let single = found.count == 1 && found[0].named && all.count == 1
        let document: JSONValue =
            single
            ? all[0] : ["apiVersion": "v1", "kind": "List", "items": .array(all), "metadata": ["resourceVersion": ""]]
        switch format {
        case .yaml:
            return Manifest.yaml(from: document)
        case .json:
            return PrettyJSON.format(document)
        case .name:
            return found.flatMap { f in f.objects.map { ResourceName.slashed(f.info, $0.name) + "\n" } }.joined()
        case .jsonpath(let template):
            return try JSONPathTemplate(template).render(document)
        case .customColumns(let spec):
            return try CustomColumns(spec: spec).table(all).render(headers: options.headers)
        case .customColumnsTemplate(let template):
            return try CustomColumns(template: template).table(all).render(headers: options.headers)
        case .table, .wide:
            var options = options
            options.wide = format == .wide
            options.withKind = options.withKind || found.count > 1
            var blocks: [String] = []
            for f in found where !f.objects.isEmpty {
                blocks.append(
                    ResourceTable.table(f.objects, info: f.info, options: options, now: now)
                        .render(headers: options.headers))
            }
            return blocks.joined(separator: "\n")
        }
    }
}

/// `kubusctl get`: list or read resources.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Display one or many resources.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE[,TYPE] [NAME...], TYPE/NAME..., or all.")
    var arguments: [String] = []

    @Flag(name: [.customShort("A"), .long], help: "List across all namespaces.")
    var allNamespaces = false

    @Option(
        name: [.short, .long],
        help: """
            Output: wide, yaml, json, name, jsonpath=TEMPLATE, custom-columns=HEADER:FIELD,..., \
            custom-columns-file=FILE.
            """)
    var output: String?

    @Option(name: .customLong("sort-by"), help: "Sort list items by a field, e.g. .metadata.creationTimestamp.")
    var sortBy: String?

    @Option(
        name: [.customShort("L"), .customLong("label-columns")],
        help: "Labels to show as columns, comma-separated or repeated (-L app -L tier).")
    var labelColumns: [String] = []

    @OptionGroup var selectorOption: SelectorOption
    var selector: String? { selectorOption.selector }

    @Option(name: .customLong("field-selector"), help: "Field selector, e.g. status.phase=Running.")
    var fieldSelector: String?

    @Flag(name: .customLong("show-labels"), help: "Show labels as the last column.")
    var showLabels = false

    @Flag(name: .customLong("no-headers"), help: "Do not print headers.")
    var noHeaders = false

    @Flag(name: [.short, .long], help: "After listing, watch for changes.")
    var watch = false

    @Flag(name: .customLong("ignore-not-found"), help: "Do not fail when a named object is absent.")
    var ignoreNotFound = false

    func run() async throws {
        try await Console.run {
            let targets = try ResourceTypes.parse(arguments)
            let format = try OutputFormat(output)
            if let sortBy { _ = try JSONPathTemplate.relaxed(sortBy) }
            let client = try global.client()
            let namespace = global.resolvedNamespace
            if watch {
                if sortBy != nil { throw CtlError("--watch and --sort-by cannot be used together") }
                guard targets.count == 1, targets[0].names.count <= 1 else {
                    throw CtlError("you may only specify a single resource type to watch")
                }
                try await watchKind(targets[0].info, name: targets[0].names.first, client: client)
                return
            }
            var found: [GetRenderer.Found] = []
            var failed = false
            for target in targets {
                let ns = target.info.namespaced ? (allNamespaces ? nil : namespace) : nil
                if target.names.isEmpty {
                    let list = try await listAll(client, target.info, namespace: ns)
                    found.append(GetRenderer.Found(info: target.info, objects: list.items, named: false))
                } else {
                    var objects: [JSONValue] = []
                    for name in target.names {
                        do {
                            objects.append(try await client.get(kind: target.info.kind, namespace: ns, name: name))
                        } catch let error as APIError where error.isNotFound && ignoreNotFound {
                            continue
                        } catch {
                            Console.err(ErrorFormatter.format(error))
                            failed = true
                        }
                    }
                    found.append(GetRenderer.Found(info: target.info, objects: objects, named: true))
                }
            }
            let text = try GetRenderer.render(found, output: output, options: tableOptions, sortBy: sortBy)
            if found.allSatisfy({ $0.objects.isEmpty }) && !found.contains(where: \.named), format.isTable {
                let clusterScoped = !(targets.first?.info.namespaced ?? true)
                Console.err(noResourcesMessage(namespace: allNamespaces || clusterScoped ? nil : namespace))
                return
            }
            Console.out(text)
            if failed { throw ExitCode.failure }
        }
    }

    /// The table options from the flags.
    var tableOptions: TableOptions {
        TableOptions(
            allNamespaces: allNamespaces, showLabels: showLabels, headers: !noHeaders,
            labelColumns: labelColumns.flatMap { $0.split(separator: ",").map(String.init) })
    }

    func listAll(_ client: KubusClient, _ info: KindInfo, namespace: String?) async throws -> ListResult {
        var result = try await client.list(
            kind: info.kind, namespace: namespace, labelSelector: selector, fieldSelector: fieldSelector, limit: 500)
        var token = result.continue
        while let next = token {
            let page = try await client.list(
                kind: info.kind, namespace: namespace, labelSelector: selector, fieldSelector: fieldSelector,
                limit: 500, continue: next)
            result.items += page.items
            token = page.continue
        }
        return result
    }

    /// Prints the table, then a row per change, until interrupted. Changes come from the bus's events when this
    /// key may subscribe to them; otherwise (a user's key, docs/security.md) each Sync beacon that shows the kind
    /// moved on brings them from the api's `changes`, which RBAC checks — and either way a lost event is caught up.
    func watchKind(_ info: KindInfo, name: String?, client: KubusClient) async throws {
        let namespace: String? = info.namespaced && !allNamespaces ? global.resolvedNamespace : nil
        var topic = "event/\(info.kind)/"
        if let namespace { topic += "\(namespace)/" } else if !info.namespaced { topic += "/" }
        if let name, namespace != nil || !info.namespaced { topic += name }
        // Subscribe before listing, so no change between the list and the subscription is lost.
        let subscriber: Subscriber
        do {
            subscriber = try Subscriber(endpoints: try global.endpoints(), topics: [topic, "sync/store"])
        } catch let error as BusError {
            throw CtlError("cannot subscribe to the bus: \(error.message)")
        }
        defer { subscriber.close() }
        let list = try await listAll(client, info, namespace: namespace)
        let items = list.items.filter { name == nil || $0.name == name }
        let listRevision = Int64(list.resourceVersion) ?? 0
        var options = tableOptions
        let format = try OutputFormat(output)
        options.wide = format == .wide
        let headerTable = ResourceTable.table(items, info: info, options: options)
        if items.isEmpty {
            Console.err(noResourcesMessage(namespace: namespace))
        } else {
            Console.out(format == .table || format == .wide ? headerTable.render(headers: !noHeaders) : "")
            if format != .table && format != .wide {
                for item in items {
                    Console.out(
                        try GetRenderer.render(
                            [.init(info: info, objects: [item], named: true)], output: output, options: options))
                }
            }
        }
        var seen = listRevision
        func show(_ object: JSONValue) throws {
            if let name, object.name != name { return }
            if let selector, !selector.isEmpty,
                let parsed = try? LabelSelectorParser.parse(selector),
                !parsed.matches(object.stringMap("metadata.labels"))
            {
                return
            }
            if format == .table || format == .wide {
                var table = ResourceTable.table([object], info: info, options: options)
                table.columns = headerTable.columns
                Console.out(table.render(headers: false))
            } else {
                Console.out(
                    try GetRenderer.render(
                        [.init(info: info, objects: [object], named: true)], output: output, options: options))
            }
        }
        for await message in subscriber.messages {
            if message.envelope.type == "Sync" {
                let latest = (try? JSONValue.parse(message.payload))?[path: ["kinds", info.kind]]?.intValue ?? 0
                guard latest > seen else { continue }
                var more = true
                while more {
                    let page = try await client.changes(kind: info.kind, namespace: namespace, since: String(seen))
                    for change in page.changes where change.revision > seen { try show(change.object) }
                    seen = max(seen, page.revision)
                    more = page.more
                }
                continue
            }
            guard let rev = message.envelope.rev, rev > seen, let object = try? JSONValue.parse(message.payload)
            else { continue }
            seen = rev
            try show(object)
        }
    }
}
