public import Foundation
public import Schema

/// Where manifests come from: files, folders (`*.yaml`, `*.yml`, `*.json`, sorted) and `-` for stdin.
public enum ManifestSource: Sendable, Hashable {
    case file(String)
    case stdin

    /// How kubectl names the source in messages.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .stdin: return "STDIN"
        }
    }
}

/// One object read from a manifest, with where it came from.
public struct ManifestObject: Sendable, Hashable {
    /// The object as written.
    public var object: JSONValue
    /// The file (or `STDIN`).
    public var source: String
}

/// Collects manifest files and reads their objects.
public enum ManifestFiles {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// The sources named by `-f` arguments; folders expand to their manifest files (recursively with `-R`).
    public static func collect(
        _ paths: [String], recursive: Bool, fileManager: FileManager = .default
    ) throws(CtlError) -> [ManifestSource] {
        var sources: [ManifestSource] = []
        for path in paths {
            if path == "-" {
                sources.append(.stdin)
                continue
            }
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CtlError("the path \"\(path)\" does not exist")
            }
            if isDirectory.boolValue {
                sources += walk(path, recursive: recursive, fileManager: fileManager).map { .file($0) }
            } else {
                sources.append(.file(path))
            }
        }
        return sources
    }

    static func walk(_ directory: String, recursive: Bool, fileManager: FileManager) -> [String] {
        let entries = ((try? fileManager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var files: [String] = []
        for entry in entries {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive { files += walk(path, recursive: true, fileManager: fileManager) }
            } else if let ext = entry.split(separator: ".").last, entry.contains("."),
                extensions.contains(ext.lowercased())
            {
                files.append(path)
            }
        }
        return files
    }

    /// Reads the objects of one source; a malformed file yields an error and no objects.
    public static func read(_ source: ManifestSource, stdin: () -> String = readStandardInput) throws(CtlError)
        -> [ManifestObject]
    {
        let text: String
        switch source {
        case .stdin:
            text = stdin()
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CtlError("open \(path): cannot read the file")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        return try parse(text, source: source.displayName)
    }

    /// Parses manifest text (YAML or JSON, several documents, `List`s expanded).
    public static func parse(_ text: String, source: String) throws(CtlError) -> [ManifestObject] {
        do {
            return try Manifest.parse(yaml: text, source: source).map { ManifestObject(object: $0, source: source) }
        } catch {
            throw CtlError(error.message)
        }
    }

    /// All of standard input.
    public static func readStandardInput() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}
