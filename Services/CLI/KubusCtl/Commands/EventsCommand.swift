import ArgumentParser
import Schema

/// `kubusctl events [--for TYPE/NAME] [--types Normal,Warning] [-A] [-w] [-o ...]`: kubectl's events command, as a
/// `get events` with the matching field selector.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List events.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("for"), help: "Only the events of this object, as TYPE/NAME (pod/web).")
    var forObject: String?
    @Option(help: "Only events of these types: Normal, Warning (repeatable, or comma-separated).")
    var types: [String] = []
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Events of every namespace.")
    var allNamespaces = false
    @Flag(name: [.short, .long], help: "After listing, watch for new events.") var watch = false
    @Option(name: [.short, .long], help: "Output: json, yaml, name, wide...") var output: String?
    @Flag(name: .customLong("no-headers"), help: "Do not print headers.") var noHeaders = false

    /// The `get events` arguments (after `get events`) for these flags.
    static func getArguments(
        forObject: String?, types: [String], allNamespaces: Bool, watch: Bool, output: String?, noHeaders: Bool
    ) throws(CtlError) -> [String] {
        var selectors: [String] = []
        if let forObject {
            let parts = forObject.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw CtlError("--for must be in resource/name form")
            }
            let info = try ResourceTypes.kind(parts[0])
            selectors += ["involvedObject.kind=\(info.kind)", "involvedObject.name=\(parts[1])"]
        }
        let wanted = Set(types.flatMap { $0.split(separator: ",").map { String($0).lowercased() } })
        for type in wanted where type != "normal" && type != "warning" {
            throw CtlError("valid --types are Normal, Warning; not \(type)")
        }
        // Both types is every event; one is a field selector.
        if wanted.count == 1, let type = wanted.first {
            selectors.append("type=\(type == "normal" ? "Normal" : "Warning")")
        }
        var arguments: [String] = []
        if !selectors.isEmpty { arguments.append("--field-selector=\(selectors.joined(separator: ","))") }
        if allNamespaces { arguments.append("-A") }
        if watch { arguments.append("--watch") }
        if let output { arguments.append("--output=\(output)") }
        if noHeaders { arguments.append("--no-headers") }
        return arguments
    }

    func run() async throws {
        try await Console.run {
            let arguments = try Self.getArguments(
                forObject: forObject, types: types, allNamespaces: allNamespaces, watch: watch, output: output,
                noHeaders: noHeaders)
            var get = try GetCommand.parse(["events"] + arguments)
            get.global = global
            try await get.run()
        }
    }
}
