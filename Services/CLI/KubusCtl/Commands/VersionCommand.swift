import ArgumentParser
import Client
import Schema

/// `kubusctl version`: the client's version and the server's (the api's `version` request).
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the client and server version information.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only the client version (no server needed).")
    var client = false

    @Option(name: [.short, .long], help: "Output: yaml or json.")
    var output: String?

    /// The client version; kubusctl speaks the Kubernetes 1.31 API, as the api does.
    static let version = "v1.31.0-kubus"

    /// The client's version object, shaped as the server's.
    static var clientInfo: JSONValue {
        var info = APIVersionInfo.current
        info["gitVersion"] = .string(version)
        return info
    }

    func run() async throws {
        try await Console.run {
            guard output == nil || output == "yaml" || output == "json" else {
                throw CtlError("--output must be 'yaml' or 'json'")
            }
            var server: JSONValue?
            var failure: (any Error)?
            if !client {
                do {
                    server = try await global.client().serverVersion()
                } catch {
                    failure = error
                }
            }
            Console.out(Self.render(client: Self.clientInfo, server: server, output: output))
            if let failure { throw failure }
        }
    }

    /// kubectl's text (`Client Version: ...`, `Server Version: ...`) or the yaml/json object.
    static func render(client: JSONValue, server: JSONValue?, output: String?) -> String {
        var document: JSONValue = ["clientVersion": client]
        if let server { document["serverVersion"] = server }
        switch output {
        case "yaml": return Manifest.yaml(from: document)
        case "json": return PrettyJSON.format(document)
        default:
            var text = "Client Version: \(client["gitVersion"]?.stringValue ?? "")\n"
            if let server { text += "Server Version: \(server["gitVersion"]?.stringValue ?? "")\n" }
            return text
        }
    }
}

/// The fields of Kubernetes' version object for this build.
enum APIVersionInfo {
    static var current: JSONValue {
        var platform = "linux"
        #if os(macOS)
            platform = "darwin"
        #endif
        #if arch(x86_64)
            platform += "/amd64"
        #elseif arch(arm64)
            platform += "/arm64"
        #endif
        return [
            "major": "1", "minor": "31", "gitVersion": "", "gitCommit": "", "gitTreeState": "", "buildDate": "",
            "compiler": "swift", "platform": .string(platform),
        ]
    }
}
