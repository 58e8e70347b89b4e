import Client
import Schema

/// The objects a command names: `TYPE NAME...`, `TYPE/NAME...`, `-f FILE`, or `TYPE` with `-l`/`--all`.
struct ObjectTarget: Sendable {
    var info: KindInfo
    /// nil for cluster-scoped kinds.
    var namespace: String?
    var name: String
    /// The object as listed or read from a file, when known.
    var object: JSONValue?
}

enum ObjectTargets {
    /// Resolves arguments, files and selectors to objects, the way kubectl's resource builder does.
    static func resolve(
        _ arguments: [String], files: FileOptions? = nil, selector: String? = nil, all: Bool = false,
        allNamespaces: Bool = false, global: GlobalOptions, client: KubusClient
    ) async throws -> [ObjectTarget] {
        let namespace = global.resolvedNamespace
        if let files, !files.files.isEmpty {
            guard arguments.isEmpty else {
                throw CtlError("Unexpected args: \(arguments)\nSee 'kubusctl -h' for help and examples")
            }
            let preparer = ManifestPreparer(namespace: namespace, explicitNamespace: global.namespace != nil)
            var targets: [ObjectTarget] = []
            for source in try ManifestFiles.collect(files.files, recursive: files.recursive) {
                for item in try ManifestFiles.read(source) {
                    let prepared = try preparer.prepare(item)
                    targets.append(
                        ObjectTarget(
                            info: prepared.info, namespace: prepared.namespace, name: prepared.name,
                            object: prepared.object))
                }
            }
            return targets
        }
        var targets: [ObjectTarget] = []
        for target in try ResourceTypes.parse(arguments) {
            let ns = target.info.namespaced ? namespace : nil
            if !target.names.isEmpty {
                targets += target.names.map { ObjectTarget(info: target.info, namespace: ns, name: $0) }
                continue
            }
            guard all || selector != nil else { throw CtlError("resource(s) were provided, but no name was specified") }
            let list = try await client.list(
                kind: target.info.kind, namespace: allNamespaces ? nil : ns, labelSelector: selector)
            targets += list.items.map {
                ObjectTarget(
                    info: target.info, namespace: target.info.namespaced ? $0.namespace : nil, name: $0.name, object: $0
                )
            }
        }
        return targets
    }
}
