import ArgumentParser

/// `kubusctl`: the kubectl of Kubus.
public struct KubusCtlCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubusctl",
        abstract: "kubusctl controls the Kubus cluster, the way kubectl controls Kubernetes.",
        subcommands: [
            ApplyCommand.self, CreateCommand.self, GetCommand.self, DescribeCommand.self, DeleteCommand.self,
            LabelCommand.self, AnnotateCommand.self, LogsCommand.self, ExecCommand.self, CordonCommand.self,
            UncordonCommand.self, DrainCommand.self, TaintCommand.self, ScaleCommand.self, APIResourcesCommand.self,
            RolloutCommand.self,
            VersionCommand.self, WaitCommand.self,
        ])

    public init() {}
}
