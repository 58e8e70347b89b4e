import Foundation

/// One side of `cp`: a local path, or `[namespace/]pod:path` in a container.
struct CopySpec: Equatable, Sendable {
    var namespace: String?
    var pod: String?
    var path: String

    var isRemote: Bool { pod != nil }

    /// Parses as kubectl's `extractFileSpec` does.
    init(_ argument: String) throws(CtlError) {
        guard let colon = argument.firstIndex(of: ":") else {
            path = argument
            return
        }
        guard colon != argument.startIndex else { throw Self.formatError }
        let podPart = argument[..<colon]
        path = String(argument[argument.index(after: colon)...])
        let pieces = podPart.split(separator: "/", omittingEmptySubsequences: false)
        switch pieces.count {
        case 1: pod = String(pieces[0])
        case 2:
            namespace = String(pieces[0])
            pod = String(pieces[1])
        default: throw Self.formatError
        }
    }

    init(namespace: String? = nil, pod: String? = nil, path: String) {
        self.namespace = namespace
        self.pod = pod
        self.path = path
    }

    static let formatError = CtlError("filespec must match the canonical format: [[namespace/]pod:]file/path")

    /// Which way the copy goes, with kubectl's checks.
    static func direction(_ source: CopySpec, _ destination: CopySpec) throws(CtlError) -> Bool {
        if source.isRemote && destination.isRemote {
            throw CtlError("one of src or dest must be a local file specification")
        }
        if !source.isRemote && !destination.isRemote {
            throw CtlError("one of src or dest must be a remote file specification")
        }
        if source.path.isEmpty || destination.path.isEmpty { throw CtlError("filepath can not be empty") }
        return destination.isRemote
    }
}

/// The file work of `cp`, on both sides of the tar stream.
enum CopyFiles {
    /// The archive entries for copying local `source` to a container path named `name` (entries are relative
    /// to the destination's folder, as kubectl's `makeTar` writes them).
    static func entries(from source: String, as name: String, fileManager: FileManager = .default) throws(CtlError)
        -> [TarArchive.Entry]
    {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw CtlError("\(source) doesn't exist in local filesystem")
        }
        var entries: [TarArchive.Entry] = []
        func mode(_ path: String) -> Int {
            ((try? fileManager.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? 0o644
        }
        func add(_ path: String, _ entryName: String) throws(CtlError) {
            var directory: ObjCBool = false
            _ = fileManager.fileExists(atPath: path, isDirectory: &directory)
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: path) {
                entries.append(TarArchive.Entry(name: entryName, kind: .symlink(target), mode: 0o777))
            } else if directory.boolValue {
                entries.append(TarArchive.Entry(name: entryName, kind: .directory, mode: mode(path)))
                let children = ((try? fileManager.contentsOfDirectory(atPath: path)) ?? []).sorted()
                for child in children { try add(path + "/" + child, entryName + "/" + child) }
            } else {
                guard let data = fileManager.contents(atPath: path) else {
                    throw CtlError("open \(path): permission denied")
                }
                entries.append(TarArchive.Entry(name: entryName, kind: .file, mode: mode(path), data: data))
            }
        }
        try add(source, name)
        return entries
    }

    /// Where each entry of `tar cf - SOURCE` lands under local `destination` (kubectl's `untarAll`): the part
    /// after the source's own path, joined to the destination; entries outside it are refused.
    static func destinations(of entries: [TarArchive.Entry], source: String, destination: String) throws(CtlError)
        -> [(path: String, entry: TarArchive.Entry)]
    {
        let prefix = strippedPrefix(source)
        var result: [(path: String, entry: TarArchive.Entry)] = []
        for entry in entries {
            guard entry.name == prefix || entry.name.hasPrefix(prefix + "/") || prefix.isEmpty else {
                throw CtlError("tar contents corrupted")
            }
            let relative = String(entry.name.dropFirst(prefix.count)).drop { $0 == "/" }
            if relative.split(separator: "/").contains("..") {
                throw CtlError("illegal file path \(entry.name): it would be written outside \(destination)")
            }
            result.append((relative.isEmpty ? destination : destination + "/" + relative, entry))
        }
        return result
    }

    /// `/var/log/` as tar names it: `var/log`.
    static func strippedPrefix(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
