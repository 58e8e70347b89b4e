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
            EditCommand.self, DeleteCommand.self, RolloutCommand.self, ScaleCommand.self, AutoscaleCommand.self,
            CordonCommand.self,
            UncordonCommand.self, DrainCommand.self, TaintCommand.self, ClusterInfoCommand.self, DescribeCommand.self,
            LogsCommand.self, ExecCommand.self, PortForwardCommand.self, CpCommand.self, ApplyCommand.self,
            PatchCommand.self, ReplaceCommand.self, WaitCommand.self, LabelCommand.self, AnnotateCommand.self,
            TopCommand.self, APIResourcesCommand.self, AuthCommand.self, ConfigCommand.self, VersionCommand.self,
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
            var command = try await asyncParseAsRoot(rewritten.arguments)
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
