import ArgumentParser

/// `kubusctl top node|pod`: kubectl's answer when the cluster has no metrics API, which Kubus does not have yet.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Display resource (CPU/memory) usage (not available: Kubus has no metrics yet).",
        subcommands: [TopResource.self])

    @OptionGroup var global: GlobalOptions
}

/// `top node|nodes|no|pod|pods|po [NAME] [flags]`: every form answers that the metrics API is not there.
struct TopResource: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Display the resource usage of nodes or pods (not available yet).",
        aliases: ["nodes", "no", "pod", "pods", "po"])

    @Argument(parsing: .allUnrecognized) var rest: [String] = []

    /// kubectl's words when metrics-server is missing, and what Kubus offers meanwhile.
    static let message =
        "Metrics API not available: Kubus has no metrics pipeline yet (it comes with autoscaling); "
        + "`kubusctl describe node NAME` shows each node's requested and allocatable CPU and memory"

    func run() async throws {
        try await Console.run { throw CtlError(Self.message) }
    }
}
