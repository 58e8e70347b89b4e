import Foundation
import Schema

/// `kubectl edit`'s loop as a state machine: it hands out the text to edit, reads what came back, asks for
/// objects to be saved, and reopens the text with the failures until they are fixed or the user gives up.
/// The driver (`EditCommand`) writes the file, runs the editor and calls the api.
struct EditSession {
    /// What the driver does next.
    enum Action: Equatable {
        /// Write this text to the file and open the editor on it.
        case edit(String)
        /// Update these objects (each with the resourceVersion it was read at); report with `saved`.
        case save([JSONValue])
        /// Finished; print these lines on stdout.
        case done([String])
        /// Failed: print this error; the user's last text is kept in a file.
        case fail(String, keep: String)
    }

    /// How one save went.
    enum SaveResult: Equatable {
        case saved(JSONValue)
        /// The object, and the comment lines that say why it was not saved.
        case failed(JSONValue, [String])
    }

    static let header = """
        # Please edit the object below. Lines beginning with a '#' will be ignored,
        # and an empty file will abort the edit. If an error occurs while saving this file will be
        # reopened with the relevant failures.
        #

        """

    /// The objects as read from the api, in the order shown.
    private(set) var originals: [JSONValue]
    /// `yaml` or `json`.
    let format: String
    /// The last text handed to the editor, comment lines removed (to tell "no change after an error").
    private var presented = ""
    private var pending: [JSONValue] = []
    private var reopened = false
    private var edited: [String] = []

    init(objects: [JSONValue], format: String = "yaml") {
        originals = objects
        self.format = format
    }

    /// The first text to edit.
    mutating func start() -> Action {
        open(render(originals), notes: [])
    }

    /// The editor closed with `text` in the file.
    mutating func edited(_ text: String) -> Action {
        let content = Self.stripComments(text)
        if reopened && content == presented {
            return .fail("Edit cancelled, no valid changes were saved.", keep: text)
        }
        if content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .done(edited + ["Edit cancelled, no changes made."])
        }
        let objects: [JSONValue]
        do {
            objects = try Manifest.parse(yaml: content, source: "edited file")
        } catch {
            return open(content, notes: ["The edited file had a syntax error: \(error.message)"])
        }
        guard objects.count == originals.count else {
            return open(
                content, notes: ["The edited file must keep its \(originals.count) object(s); it has \(objects.count)"])
        }
        var changed: [JSONValue] = []
        for (object, original) in zip(objects, originals) {
            for key in ["apiVersion", "kind"] where object[key] != original[key] {
                return open(content, notes: ["At least one of apiVersion, kind and name was changed"])
            }
            if object.name != original.name {
                return open(content, notes: ["At least one of apiVersion, kind and name was changed"])
            }
            if object != original { changed.append(object) }
        }
        if changed.isEmpty { return .done(edited + ["Edit cancelled, no changes made."]) }
        pending = changed
        return .save(changed)
    }

    /// The outcome of the saves asked for by `.save`.
    mutating func saved(_ results: [SaveResult]) -> Action {
        var failed: [(JSONValue, [String])] = []
        for result in results {
            switch result {
            case .saved(let object):
                edited.append("\(Self.kindPrefix(object))/\(object.name) edited")
            case .failed(let object, let lines):
                failed.append((object, lines))
            }
        }
        guard !failed.isEmpty else { return .done(edited) }
        // Reopen with the objects that failed, as edited, and why.
        var kept: [JSONValue] = []
        for (object, _) in failed {
            let original = originals.first { candidate in
                candidate.name == object.name && candidate["kind"] == object["kind"]
            }
            kept.append(original ?? object)
        }
        originals = kept
        return open(render(failed.map(\.0)), notes: failed.flatMap(\.1))
    }

    private mutating func open(_ body: String, notes: [String]) -> Action {
        reopened = reopened || !notes.isEmpty
        presented = Self.stripComments(body)
        var text = Self.header
        if !notes.isEmpty { text += notes.map { "# \($0)\n" }.joined() + "#\n" }
        return .edit(text + body)
    }

    private func render(_ objects: [JSONValue]) -> String {
        let document: JSONValue =
            objects.count == 1
            ? objects[0]
            : ["apiVersion": "v1", "kind": "List", "items": .array(objects), "metadata": ["resourceVersion": ""]]
        return format == "json" ? PrettyJSON.format(document) : Manifest.yaml(from: document)
    }

    /// The text without lines beginning with `#`.
    static func stripComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    /// `deployment.apps` for a Deployment object.
    static func kindPrefix(_ object: JSONValue) -> String {
        guard let info = KindRegistry.lookup(object["kind"]?.stringValue ?? "") else {
            return (object["kind"]?.stringValue ?? "").lowercased()
        }
        return ResourceName.prefix(info)
    }

    /// The comment lines for a save that failed: kubectl's `"web" was not valid:` and one `* cause` per field.
    static func failureLines(_ object: JSONValue, _ error: any Error) -> [String] {
        guard let api = error as? APIError, api.isInvalid else { return [ErrorFormatter.format(error)] }
        let info = KindRegistry.lookup(object["kind"]?.stringValue ?? "")
        var lines = ["\(info?.qualifiedResource ?? object.kindName) \"\(object.name)\" was not valid:"]
        let causes = api.status.details?.causes ?? []
        if causes.isEmpty {
            lines.append("* \(api.message)")
        } else {
            for cause in causes {
                let field = cause.field ?? ""
                lines.append("* " + (field.isEmpty ? "" : "\(field): ") + (cause.message ?? ""))
            }
        }
        return lines
    }
}
