import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl diff -f FILE`: what `apply -f FILE` would change, as kubectl shows it — each object live and as the api
/// would make it (a server dry run of the apply), written to two folders and compared with `diff -u -N` (or
/// `$KUBECTL_EXTERNAL_DIFF`). Exit status 0: no differences; 1: differences; above 1: an error.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Diff the live version against a would-be applied version.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    /// kubectl's file name for an object: `[group.]version.Kind.namespace.name`.
    static func fileName(_ object: JSONValue, info: KindInfo, namespace: String?, name: String) -> String {
        (info.group.isEmpty ? "" : info.group + ".") + "\(info.version).\(info.kind).\(namespace ?? "").\(name)"
    }

    /// The object as diffed: without managedFields, a Secret's values masked as kubectl masks them (`***`, or
    /// `*** (before)` and `*** (after)` where they differ).
    static func prepared(_ live: JSONValue?, _ merged: JSONValue?) -> (JSONValue?, JSONValue?) {
        let isSecret = (live ?? merged)?["kind"] == "Secret"
        let before = live.map { withoutManagedFields($0) }
        let after = merged.map { withoutManagedFields($0) }
        guard isSecret else { return (before, after) }
        return (
            before.map { masked($0, against: after, suffix: "before") },
            after.map { masked($0, against: before, suffix: "after") }
        )
    }

    static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        guard var members = object.objectValue, var metadata = members["metadata"]?.objectValue else { return object }
        metadata["managedFields"] = nil
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// A Secret's `data` and `stringData` values as `***`, or `*** (SUFFIX)` where `other` has another value.
    static func masked(_ secret: JSONValue, against other: JSONValue?, suffix: String) -> JSONValue {
        guard var members = secret.objectValue else { return secret }
        for field in ["data", "stringData"] {
            guard let values = members[field]?.objectValue else { continue }
            let others = other?.objectValue?[field]?.objectValue ?? [:]
            var result: [String: JSONValue] = [:]
            for (key, value) in values {
                result[key] = .string(others[key] == value ? "***" : "*** (\(suffix))")
            }
            members[field] = .object(result)
        }
        return .object(members)
    }

    func run() async throws {
        let status = await Self.diff(files: fileOptions.files, recursive: fileOptions.recursive, global: global)
        if status != 0 { throw ExitCode(status) }
    }

    /// Writes the two folders, runs the diff program; its status (0 or 1), or 2 after printing an error.
    static func diff(files: [String], recursive: Bool, global: GlobalOptions) async -> Int32 {
        let base = FileManager.default.temporaryDirectory.path
        let suffix = String(UInt32.random(in: 0...UInt32.max))
        let liveFolder = "\(base)/LIVE-\(suffix)"
        let mergedFolder = "\(base)/MERGED-\(suffix)"
        defer {
            try? FileManager.default.removeItem(atPath: liveFolder)
            try? FileManager.default.removeItem(atPath: mergedFolder)
        }
        do {
            guard !files.isEmpty else { throw CtlError("must specify one of -f and -k") }
            try FileManager.default.createDirectory(atPath: liveFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: mergedFolder, withIntermediateDirectories: true)
            let client = try global.client()
            let preparer = ManifestPreparer(
                namespace: global.resolvedNamespace, explicitNamespace: global.namespace != nil)
            for source in try ManifestFiles.collect(files, recursive: recursive) {
                for item in try ManifestFiles.read(source) {
                    let (name, before, after) = try await versions(of: item, preparer: preparer, client: client)
                    if let before {
                        try Data(Manifest.yaml(from: before).utf8).write(
                            to: URL(fileURLWithPath: "\(liveFolder)/\(name)"))
                    }
                    if let after {
                        try Data(Manifest.yaml(from: after).utf8).write(
                            to: URL(fileURLWithPath: "\(mergedFolder)/\(name)"))
                    }
                }
            }
        } catch {
            Console.err(ErrorFormatter.format(error))
            return 2
        }
        return runDiffProgram(liveFolder, mergedFolder)
    }

    /// An object's file name, its live version (nil when absent) and the version an apply would make (a server dry
    /// run), both as diffed.
    static func versions(of item: ManifestObject, preparer: ManifestPreparer, client: KubusClient) async throws -> (
        String, JSONValue?, JSONValue?
    ) {
        let prepared = try preparer.prepare(item)
        let info = prepared.info
        let live = try await liveObject(client, info: info, namespace: prepared.namespace, name: prepared.name)
        let codec = KindRegistry.codec(for: info)
        let decision = ApplyPlanner.plan(desired: prepared.object, live: live) { object in
            try? codec?.normalize(object).object
        }
        let merged: JSONValue
        switch decision {
        case .unchanged:
            merged = live ?? prepared.object
        case .create(let object):
            merged = try await client.create(object, dryRun: true).object
        case .update(let object):
            merged = try await client.update(object, dryRun: true).object
        }
        let (before, after) = Self.prepared(live, merged)
        return (fileName(merged, info: info, namespace: prepared.namespace, name: prepared.name), before, after)
    }

    /// The object as the api has it; nil when there is none.
    static func liveObject(_ client: KubusClient, info: KindInfo, namespace: String?, name: String)
        async throws(APIError) -> JSONValue?
    {
        do {
            return try await client.get(kind: info.kind, namespace: namespace, name: name)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// `$KUBECTL_EXTERNAL_DIFF LIVE MERGED`, else `diff -u -N LIVE MERGED`, with this terminal: 0 or 1 as it says,
    /// 2 when it failed.
    static func runDiffProgram(_ live: String, _ merged: String) -> Int32 {
        let external = ProcessInfo.processInfo.environment["KUBECTL_EXTERNAL_DIFF"] ?? ""
        let program = external.isEmpty ? ["diff", "-u", "-N"] : external.split(separator: " ").map(String.init)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = program + [live, merged]
        do {
            try process.run()
        } catch {
            Console.err("error: failed to run \"\(program.joined(separator: " "))\": \(error.localizedDescription)")
            return 2
        }
        process.waitUntilExit()
        let status = process.terminationStatus
        return status <= 1 ? status : 2
    }
}
