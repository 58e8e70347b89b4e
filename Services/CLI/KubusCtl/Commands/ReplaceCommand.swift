import ArgumentParser
import Client
import Schema

/// `kubusctl replace -f FILE [--force]`: update objects to the files' content; with --force, delete and create.
struct ReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace a resource by file name or stdin.",
        discussion: """
            Each object is updated to the file's content (at the file's metadata.resourceVersion when it has one). \
            With --force it is deleted, waited for until gone, and created again.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Flag(help: "Delete and re-create the objects.")
    var force = false

    @Option(name: .customLong("grace-period"), help: "With --force: seconds a pod gets to stop; -1 uses its own.")
    var gracePeriod: Int = -1

    @Option(
        help: ArgumentHelp(
            "With --force: how long to wait for the deletion (Go duration); 0 waits forever.",
            valueName: "duration"))
    var timeout = GoDuration(.zero, text: "0s")

    @Option(name: .customLong("dry-run"), help: "none, client or server.")
    var dryRun: DryRunMode = .none

    @Option(name: [.short, .long], help: "Output: yaml, json or name.")
    var output: String?

    @Option(help: "Field validation: strict, warn or ignore.")
    var validate: ValidationMode = .warn

    func run() async throws {
        try await Console.run {
            guard !fileOptions.files.isEmpty else { throw CtlError("must specify --filename to replace") }
            let client = try global.client()
            let preparer = ManifestPreparer(
                namespace: global.resolvedNamespace, explicitNamespace: global.namespace != nil)
            var failed = false
            var warnings = WarningPrinter()
            for source in try ManifestFiles.collect(fileOptions.files, recursive: fileOptions.recursive) {
                do {
                    for item in try ManifestFiles.read(source) {
                        do {
                            let prepared = try preparer.prepare(item)
                            if force && dryRun == .none {
                                try await deleteAndWait(prepared, client: client)
                            }
                            var result = prepared.object
                            if dryRun != .client {
                                let reply: (object: JSONValue, warnings: [String])
                                do {
                                    reply = try await write(prepared, client: client)
                                } catch let error as APIError {
                                    throw ServerContextError(
                                        error: error, context: "error when replacing \"\(item.source)\"")
                                }
                                warnings.print(reply.warnings)
                                result = reply.object
                            }
                            Console.out(
                                try ObjectPrinter.print(
                                    result, info: prepared.info, operation: "replaced\(dryRun.suffix)", output: output))
                        } catch {
                            Console.err(ErrorFormatter.format(error))
                            failed = true
                        }
                    }
                } catch {
                    Console.err(ErrorFormatter.format(error))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// The update, or with --force the create, of one object.
    private func write(_ prepared: ManifestPreparer.Prepared, client: KubusClient) async throws(APIError)
        -> (object: JSONValue, warnings: [String])
    {
        if force {
            return try await client.create(
                Self.withoutVersion(prepared.object), fieldValidation: validate.fieldValidation,
                dryRun: dryRun == .server)
        }
        return try await client.update(
            prepared.object, fieldValidation: validate.fieldValidation, dryRun: dryRun == .server)
    }

    /// Deletes the object (absent is fine) and waits until it is gone, printing kubectl's `deleted` line.
    private func deleteAndWait(_ prepared: ManifestPreparer.Prepared, client: KubusClient) async throws {
        let info = prepared.info
        guard try await Self.delete(prepared, gracePeriod: gracePeriod, client: client) else { return }
        Console.line("\(ResourceName.quoted(info, prepared.name)) deleted")
        let clock = ContinuousClock()
        let start = clock.now
        while try await Self.exists(prepared, client: client) {
            if let limit = timeout.limit, clock.now - start >= limit {
                throw CtlError("timed out waiting for the condition on \(info.plural)/\(prepared.name)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Deletes the object; false when it was already absent.
    static func delete(_ prepared: ManifestPreparer.Prepared, gracePeriod: Int, client: KubusClient) async throws
        -> Bool
    {
        do {
            _ = try await client.delete(
                kind: prepared.info.kind, namespace: prepared.namespace, name: prepared.name,
                gracePeriodSeconds: gracePeriod >= 0 ? Int64(gracePeriod) : nil)
            return true
        } catch {
            guard error.isNotFound else { throw error }
            return false
        }
    }

    /// Whether the object still exists.
    static func exists(_ prepared: ManifestPreparer.Prepared, client: KubusClient) async throws -> Bool {
        do {
            _ = try await client.get(kind: prepared.info.kind, namespace: prepared.namespace, name: prepared.name)
            return true
        } catch {
            guard error.isNotFound else { throw error }
            return false
        }
    }

    /// A create must not carry the deleted object's resourceVersion or uid.
    static func withoutVersion(_ object: JSONValue) -> JSONValue {
        var copy = object
        if var meta = copy["metadata"]?.objectValue {
            meta["resourceVersion"] = nil
            meta["uid"] = nil
            copy["metadata"] = .object(meta)
        }
        return copy
    }
}
