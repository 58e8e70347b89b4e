import ArgumentParser
import Client
import Foundation
import Schema

/// `kubusctl edit TYPE NAME`: the object in `$KUBE_EDITOR`/`$EDITOR`/vi, saved as an update at the version read.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a resource in your editor.",
        discussion: """
            Opens the object as YAML (or -o json) in $KUBE_EDITOR, else $EDITOR, else vi. Saving updates it at the \
            resourceVersion it was read at; if the update fails (invalid, or changed meanwhile), the file reopens \
            with the errors at the top. An empty file, or one left unchanged, cancels.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fileOptions: FileOptions

    @Argument(help: "TYPE NAME..., or TYPE/NAME...")
    var arguments: [String] = []

    @Option(name: [.short, .long], help: "The format to edit in: yaml (default) or json.")
    var output: String = "yaml"

    func run() async throws {
        try await Console.run {
            guard output == "yaml" || output == "json" else {
                throw CtlError("the edit mode must be one of [yaml json], not \"\(output)\"")
            }
            let client = try global.client()
            let targets = try await ObjectTargets.resolve(arguments, files: fileOptions, global: global, client: client)
            guard !targets.isEmpty else { throw CtlError("edit cancelled, no objects found") }
            var objects: [JSONValue] = []
            for target in targets {
                objects.append(
                    try await client.get(kind: target.info.kind, namespace: target.namespace, name: target.name))
            }
            let file = NSTemporaryDirectory() + "kubusctl-edit-\(UInt32.random(in: 0...UInt32.max)).\(output)"
            defer { try? FileManager.default.removeItem(atPath: file) }
            var session = EditSession(objects: objects, format: output)
            var warnings = WarningPrinter()
            var action = session.start()
            while true {
                switch action {
                case .edit(let text):
                    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
                    try EditorLauncher.launch(file)
                    let data = FileManager.default.contents(atPath: file) ?? Data()
                    action = session.edited(String(decoding: data, as: UTF8.self))
                case .save(let changed):
                    var results: [EditSession.SaveResult] = []
                    for object in changed {
                        do {
                            let reply = try await client.update(object)
                            warnings.print(reply.warnings)
                            results.append(.saved(reply.object))
                        } catch {
                            results.append(.failed(object, EditSession.failureLines(object, error)))
                        }
                    }
                    action = session.saved(results)
                case .done(let lines):
                    for line in lines { Console.line(line) }
                    return
                case .fail(let message, let kept):
                    let copy = NSTemporaryDirectory() + "kubusctl-edit-\(UInt32.random(in: 0...UInt32.max)).\(output)"
                    try? Data(kept.utf8).write(to: URL(fileURLWithPath: copy))
                    Console.err("A copy of your changes has been stored to \"\(copy)\"")
                    throw CtlError(message)
                }
            }
        }
    }
}
