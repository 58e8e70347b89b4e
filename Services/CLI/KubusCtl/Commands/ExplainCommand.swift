import ArgumentParser
import Schema

/// `kubusctl explain TYPE[.field.path]`: the fields of a kind and their JSON types, from the schema types.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Get the fields of a resource and their types.",
        discussion: """
            kubusctl explain pods; kubusctl explain deploy.spec.template.spec.containers --recursive. The fields and \
            their JSON types are read from Kubus' schema types; field descriptions are not available.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "TYPE or TYPE.field.path") var resource: String?

    @Flag(help: "Print the fields of fields, as a tree.") var recursive = false

    func run() async throws {
        try await Console.run {
            guard let resource, !resource.isEmpty else {
                throw CtlError(
                    "You must specify the type of resource to explain. Use \"kubusctl api-resources\" for a complete "
                        + "list of supported resources.")
            }
            Console.out(try Self.text(for: resource, recursive: recursive))
        }
    }

    /// The explanation of `TYPE[.field.path]`.
    static func text(for resource: String, recursive: Bool) throws(CtlError) -> String {
        let parts = resource.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let info = try ResourceTypes.kind(parts[0])
        guard let codec = KindRegistry.codec(for: info), let shaped = codec as? any SchemaShaped else {
            throw CtlError("couldn't find resource for \"\(info.qualifiedResource)\"")
        }
        return try Explainer.explain(info, shape: shaped.shape, path: Array(parts.dropFirst()), recursive: recursive)
    }
}
