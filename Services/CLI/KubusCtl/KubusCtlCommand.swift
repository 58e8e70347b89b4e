public import ArgumentParser

/// `kubusctl`: the kubectl of Kubus.
public struct KubusCtlCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubusctl",
        abstract: "kubusctl controls the Kubus cluster, the way kubectl controls Kubernetes.",
        discussion: """
            Global flags (-n/--namespace, --bus or -s/--server, --request-timeout) may come before the command, \
            as in kubectl: kubusctl -n kube-system get pods.
            """,
        subcommands: [
            // kubectl's order: basic, deploy, cluster management, troubleshooting, advanced, settings, other.
            CreateCommand.self, ExposeCommand.self, RunCommand.self, SetCommand.self, ExplainCommand.self,
            GetCommand.self,
            EditCommand.self, DeleteCommand.self, DiffCommand.self, RolloutCommand.self, ScaleCommand.self,
            AutoscaleCommand.self,
            CordonCommand.self,
            UncordonCommand.self, DrainCommand.self, TaintCommand.self, ClusterInfoCommand.self, DescribeCommand.self,
            LogsCommand.self, ExecCommand.self, PortForwardCommand.self, CpCommand.self, ApplyCommand.self,
            PatchCommand.self, ReplaceCommand.self, WaitCommand.self, LabelCommand.self, AnnotateCommand.self,
            EventsCommand.self, TopCommand.self, APIResourcesCommand.self, AuthCommand.self, ConfigCommand.self,
            VersionCommand.self,
        ])

    @OptionGroup var global: GlobalOptions

    public init() {}
}

extension KubusCtlCommand {
    /// Parses and runs `arguments` (without the program name) as kubectl would: global flags may come before
    /// the verb, every error exits 1 (a usage error in kubectl's words), `--help` exits 0, and a command's own
    /// status (exec's) is kept. Returns the exit status.
    public static func run(arguments: [String]) async -> Int32 {
        let rewritten = GlobalFlagHoister.rewrite(arguments, tree: CommandTree(Self.self))
        do {
            var command = try await parseWithGoBooleans(rewritten.arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            if exitCode(for: error) == .success {
                let text = fullMessage(for: error)
                if !text.isEmpty { Console.line(text) }
                return 0
            }
            Console.err(usageError(error, path: rewritten.path))
            return 1
        }
    }

    /// Parses as kubectl reads boolean flags: `--show-labels=true` is `--show-labels` and `--wait=false` leaves the
    /// flag unset (Go's flag package takes a value after `=`; swift-argument-parser refuses one on a flag). Only a
    /// flag the parser names as taking no value is rewritten, and nothing after `--`.
    static func parseWithGoBooleans(_ arguments: [String]) async throws -> any ParsableCommand {
        var arguments = arguments
        while true {
            do {
                return try await asyncParseAsRoot(arguments)
            } catch {
                guard let rewritten = GoBooleanFlags.rewrite(arguments, afterParseError: message(for: error)) else {
                    throw error
                }
                arguments = rewritten
            }
        }
    }

    /// kubectl's text for a parse error: unknown commands and flags, bad values.
    static func usageError(_ error: any Error, path: [String]) -> String {
        let message = message(for: error)
        if path.isEmpty, message.hasPrefix("Unexpected argument '") {
            let name = message.dropFirst("Unexpected argument '".count).prefix { $0 != "'" }
            return "error: unknown command \"\(name)\" for \"kubusctl\"\nRun 'kubusctl --help' for usage."
        }
        return UsageErrorText.format(message, path: path)
    }
}

/// `--flag=true|false` for flags that take no value, as Go's flag package reads them.
enum GoBooleanFlags {
    /// Go's spellings of true and false.
    static let truths: Set<String> = ["1", "t", "T", "TRUE", "true", "True"]
    static let falsehoods: Set<String> = ["0", "f", "F", "FALSE", "false", "False"]

    /// `arguments` with the flag that the parse error `The option '--NAME' does not take any value, but 'VALUE' was
    /// specified.` names rewritten (`--NAME` for a true value, removed for a false one); nil when the error is another
    /// or the value is not a boolean.
    static func rewrite(_ arguments: [String], afterParseError message: String) -> [String]? {
        let prefix = "The option '"
        guard message.hasPrefix(prefix), message.contains("' does not take any value, but '") else { return nil }
        let option = String(message.dropFirst(prefix.count).prefix { $0 != "'" })
        guard option.hasPrefix("--") else { return nil }
        var result = arguments
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { break }
            guard argument.hasPrefix(option + "=") else { continue }
            let value = String(argument.dropFirst(option.count + 1))
            if truths.contains(value) {
                result[index] = option
            } else if falsehoods.contains(value) {
                result.remove(at: index)
            } else {
                return nil
            }
            return result
        }
        return nil
    }
}
