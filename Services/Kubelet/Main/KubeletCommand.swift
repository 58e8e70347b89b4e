import ArgumentParser

/// `kubus-kubelet`: runs the pods bound to one node.
@main
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-kubelet",
        abstract: "The Kubus kubelet: registers a node and runs the pods bound to it.")

    func run() async throws {
        throw ValidationError("kubus-kubelet is not built yet (issue 3)")
    }
}
