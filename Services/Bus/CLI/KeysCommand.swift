import ArgumentParser
import Bus
import ServiceKit

/// `kubus-bus keys`: issues, revokes and lists the keys of the bus's registry. The broker reads the registry again
/// within a second of a change, so none of these needs a restart.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Issue, revoke and list the keys the bus admits (no restart needed).",
        subcommands: [Issue.self, Revoke.self, List.self])

    struct Folder: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp(
                "The bus's key folder. Env: KUBUS_KEYS_DIR; default: .kubus/keys (kubus-up's).", valueName: "path"))
        var keys: String?

        var keyring: BusKeyring {
            BusKeyring(directory: keys ?? Environment.get("KUBUS_KEYS_DIR") ?? ".kubus/keys")
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key pair NAME: its registry entry and a key file (0600) for the process that uses it.",
            discussion: """
                Lists are comma-separated service names or topic prefixes; a trailing * matches a prefix, * alone \
                everything. Prints the key file's path; give it to the process with --bus-key or KUBUS_BUS_KEY.
                """)
        @OptionGroup var folder: Folder
        @Argument(help: "The key's name: registry/NAME.json and NAME.key.") var name: String
        @Option(help: "The identity services see (default: NAME).") var identity: String?
        @Option(help: "The groups services see it in (RBAC subjects of kind Group), e.g. system:masters.")
        var groups = ""
        @Option(help: "Services it may send requests to (e.g. api).") var calls = ""
        @Option(help: "Services it may serve.") var serves = ""
        @Option(help: "Topics it may publish events on.") var publishes = ""
        @Option(
            help: """
                Event topic prefixes it may subscribe to (e.g. event/Pod/default/*; * for all). Default: none — its                 watches then follow the Sync beacons and read changes through the api, which checks RBAC.
                """)
        var subscribes = ""

        func run() throws {
            let list = { (text: String) in text.split(separator: ",").map(String.init).filter { !$0.isEmpty } }
            do {
                try folder.keyring.revoke(name)  // a new key pair, even when NAME was issued before
                print(
                    try folder.keyring.issue(
                        name, identity: identity ?? name, groups: list(groups), calls: list(calls),
                        serves: list(serves),
                        publishes: list(publishes), subscribes: list(subscribes)))
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove NAME's registry entry: the broker refuses its key within a second.")
        @OptionGroup var folder: Folder
        @Argument var name: String

        func run() throws {
            do {
                try folder.keyring.revoke(name)
            } catch {
                throw ValidationError(error.message)
            }
            print("revoked \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registry: each key's name, identity and rights.")
        @OptionGroup var folder: Folder

        func run() throws {
            let keyring = folder.keyring
            var rows = [["NAME", "IDENTITY", "GROUPS", "CALLS", "SERVES", "PUBLISHES", "SUBSCRIBES"]]
            for name in keyring.entryNames() {
                guard let fields = try? KeyFiles.readFlatJSON(path: keyring.entryFile(name), secret: false) else {
                    rows.append([name, "(unreadable)", "", "", "", "", ""])
                    continue
                }
                rows.append(
                    [name]
                        + ["identity", "groups", "calls", "serves", "publishes"].map {
                            fields[$0].flatMap { $0.isEmpty ? nil : $0 } ?? "-"
                        } + [fields["subscribes"].map { $0.isEmpty ? "-" : $0 } ?? "*"])
            }
            let widths = (0..<7).map { i in rows.map { $0[i].count }.max() ?? 0 }
            for row in rows {
                print(
                    row.enumerated().map { i, cell in
                        i == 6 ? cell : cell + String(repeating: " ", count: widths[i] + 2 - cell.count)
                    }
                    .joined())
            }
        }
    }
}
