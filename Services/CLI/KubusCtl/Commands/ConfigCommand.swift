import ArgumentParser
import Client

/// `kubusctl config`: the kubeconfig (clusters, users, contexts), as kubectl's.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Modify kubeconfig files (--kubeconfig, else $KUBUSCONFIG, else ~/.kube/kubus.yaml).",
        subcommands: [
            ConfigViewCommand.self, ConfigGetContextsCommand.self, ConfigCurrentContextCommand.self,
            ConfigUseContextCommand.self, ConfigSetContextCommand.self,
        ])
}

extension GlobalOptions {
    /// The kubeconfig file's content; an unreadable file is an error that names it.
    func loadConfig() throws(CtlError) -> KubusConfig {
        do {
            return try KubusConfig.load(path: kubeconfigPath)
        } catch {
            throw CtlError("error loading config file \"\(kubeconfigPath)\": \(error.message)")
        }
    }

    func saveConfig(_ config: KubusConfig) throws(CtlError) {
        do {
            try config.save(path: kubeconfigPath)
        } catch {
            throw CtlError("error writing config file \"\(kubeconfigPath)\": \(error)")
        }
    }
}

struct ConfigViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "view", abstract: "Display the kubeconfig.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Only the current context's cluster, user and context.") var minify = false

    func run() async throws {
        try await Console.run {
            var config = try global.loadConfig()
            if minify, let (context, cluster, user) = config.resolve(global.context) {
                var small = KubusConfig()
                small.contexts = [context]
                small.clusters = cluster.map { [$0] } ?? []
                small.users = user.map { [$0] } ?? []
                small.currentContext = context.name
                config = small
            }
            Console.out(config.yaml)
        }
    }
}

struct ConfigGetContextsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-contexts", abstract: "Describe one or many contexts.")
    @OptionGroup var global: GlobalOptions
    @Argument var names: [String] = []
    @Option(name: [.short, .long], help: "Output: name.") var output: String?

    func run() async throws {
        try await Console.run {
            let config = try global.loadConfig()
            var contexts = config.contexts
            if !names.isEmpty {
                for name in names where !contexts.contains(where: { $0.name == name }) {
                    throw CtlError("context \(name) not found")
                }
                contexts = contexts.filter { names.contains($0.name) }
            }
            if output == "name" {
                for context in contexts { Console.line(context.name) }
                return
            }
            let rows = contexts.map { c in
                [c.name == config.currentContext ? "*" : "", c.name, c.cluster, c.user, c.namespace ?? ""]
            }
            Console.out(CanICommand.table(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows))
        }
    }
}

struct ConfigCurrentContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "current-context", abstract: "Display the current context.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Console.run {
            let config = try global.loadConfig()
            guard !config.currentContext.isEmpty else { throw CtlError("current-context is not set") }
            Console.line(config.currentContext)
        }
    }
}

struct ConfigUseContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use-context", abstract: "Set the current context.")
    @OptionGroup var global: GlobalOptions
    @Argument var name: String

    func run() async throws {
        try await Console.run {
            var config = try global.loadConfig()
            guard config.contexts.contains(where: { $0.name == name }) else {
                throw CtlError("no context exists with the name: \"\(name)\"")
            }
            config.currentContext = name
            try global.saveConfig(config)
            Console.line("Switched to context \"\(name)\".")
        }
    }
}

/// `config set-context NAME|--current [--cluster C] [--user U] [--namespace N]` (the namespace is the global
/// `-n/--namespace`, as in kubectl).
struct ConfigSetContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-context", abstract: "Set a context entry in kubeconfig.")
    @OptionGroup var global: GlobalOptions
    @Argument var name: String?
    @Flag(help: "Modify the current context.") var current = false
    @Option(help: "The cluster of the context.") var cluster: String?
    @Option(help: "The user of the context.") var user: String?

    func run() async throws {
        try await Console.run {
            var config = try global.loadConfig()
            guard let target = current ? config.currentContext : name, !target.isEmpty else {
                throw CtlError(current ? "no current context is set" : "you must specify a context name or --current")
            }
            var context =
                config.contexts.first { $0.name == target } ?? KubusConfig.Context(name: target, cluster: "", user: "")
            let existed = config.contexts.contains { $0.name == target }
            if let cluster { context.cluster = cluster }
            if let user { context.user = user }
            if let namespace = global.namespace { context.namespace = namespace }
            config.contexts.removeAll { $0.name == target }
            config.contexts.append(context)
            try global.saveConfig(config)
            Console.line("Context \"\(target)\" \(existed ? "modified" : "created").")
        }
    }
}
