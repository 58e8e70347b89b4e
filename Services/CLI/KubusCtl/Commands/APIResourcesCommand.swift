import ArgumentParser
import Schema

/// `kubusctl api-resources`: the kinds the cluster serves.
struct APIResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-resources", abstract: "Print the supported API resources.")

    @OptionGroup var global: GlobalOptions

    @Option(name: [.short, .long], help: "Output: name prints resource names only.")
    var output: String?

    func run() async throws {
        Console.out(output == "name" ? Self.names() : Self.table().render())
    }

    /// NAME SHORTNAMES APIVERSION NAMESPACED KIND, sorted by group then name as kubectl does.
    static func table() -> Table {
        let kinds = KindRegistry.all.sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
        return Table(
            columns: ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
            rows: kinds.map {
                [
                    $0.plural, $0.shortNames.joined(separator: ","), $0.apiVersion,
                    $0.namespaced ? "true" : "false", $0.kind,
                ]
            })
    }

    static func names() -> String {
        KindRegistry.all.sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
            .map { $0.qualifiedResource + "\n" }.joined()
    }
}
