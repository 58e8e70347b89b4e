import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files an image of the catalog puts over the host's, as a read-only overlay layer between the host's `/`
/// and the container's writable layer (what an image layer is to a registry image): the official nginx image's
/// configuration and log links, busybox's `/bin/sh`, the small programs that stand in for test images.
///
/// Built once per content into `<folder>/<hash>/` and shared by every container of the image. A path whose parent
/// is a symlink on the host (`/bin` → `usr/bin` on a merged-/usr system) is placed where the host resolves it, so
/// the layer never hides a host symlink behind a directory.
public enum ImageLayer {
    /// One file of a layer; exactly one of `content`, `source`, `symlink`, `append`/`prepend` or `remove` is set.
    public struct File: Sendable, Hashable, Codable {
        /// The file's text.
        public var content: String?
        /// A file to copy, relative to the catalog's folder.
        public var source: String?
        /// Makes the path a symbolic link to this target.
        public var symlink: String?
        /// The host's file with these lines added at its end, or at its start (a user in /etc/passwd that owns a
        /// uid the host gives another name).
        public var append: String?
        public var prepend: String?
        /// Hides the host's file or folder (an overlay whiteout).
        public var remove: Bool?
        /// Permission bits, octal text ("0755"); default 0644 (0755 for a `source` that is executable).
        public var mode: String?

        public init(
            content: String? = nil, source: String? = nil, symlink: String? = nil, append: String? = nil,
            prepend: String? = nil, remove: Bool? = nil, mode: String? = nil
        ) {
            self.content = content
            self.source = source
            self.symlink = symlink
            self.append = append
            self.prepend = prepend
            self.remove = remove
            self.mode = mode
        }
    }

    /// Builds (once) the layer of `files` under `folder` and returns its path. `catalogFolder` resolves `source`
    /// paths; `hostRoot` is where host paths are read (`/`, or a test's folder).
    public static func build(
        _ files: [String: File], in folder: String, catalogFolder: String, hostRoot: String = "/"
    ) throws -> String {
        var planned: [(path: String, file: File)] = []
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            guard path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw ImageCatalogError("image layer path \"\(path)\" must be absolute, without \"..\"")
            }
            planned.append((hostResolved(path, hostRoot: hostRoot), file))
        }
        var digestInput: [UInt8] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (path, file) in planned {
            digestInput += Array(path.utf8) + [0]
            digestInput += Array(try encoder.encode(file)) + [0]
            if let source = file.source {
                digestInput += Array((FileManager.default.contents(atPath: catalogFolder + "/" + source) ?? Data()))
            }
            if file.append != nil || file.prepend != nil {
                digestInput += Array(FileManager.default.contents(atPath: hostRoot + path) ?? Data())
            }
        }
        let target = folder + "/" + String(SHA256Digest.hex(of: digestInput).prefix(16))
        if access(target, F_OK) == 0 { return target }
        let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            for (path, file) in planned {
                try write(file, at: temporary + path, hostPath: hostRoot + path, catalogFolder: catalogFolder)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if rename(temporary, target) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)  // another container built it first
        }
        return target
    }

    /// `path` with its parent folders resolved as the host resolves them (a symlinked parent followed, within
    /// `hostRoot`).
    static func hostResolved(_ path: String, hostRoot: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var resolved = ""
        for component in parent.split(separator: "/") {
            var candidate = resolved + "/" + component
            for _ in 0..<8 {
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: hostRoot + candidate)
                else { break }
                candidate = link.hasPrefix("/") ? link : resolved + "/" + link
                candidate = (candidate as NSString).standardizingPath
            }
            resolved = candidate
        }
        return resolved + "/" + name
    }

    private static func write(_ file: File, at path: String, hostPath: String, catalogFolder: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let mode = file.mode.flatMap { mode_t($0, radix: 8) }
        if let target = file.symlink {
            guard symlink(target, path) == 0 else { throw failure("link \(path) to \(target)") }
        } else if file.remove == true {
            // An overlay whiteout: a character device 0/0 hides the lower layers' file or folder.
            guard mknod(path, S_IFCHR | 0o000, 0) == 0 else { throw failure("hide \(path) (whiteout)") }
        } else if let source = file.source {
            let from = catalogFolder + "/" + source
            guard let data = FileManager.default.contents(atPath: from) else {
                throw ImageCatalogError("image layer source \(from) cannot be read")
            }
            try data.write(to: URL(fileURLWithPath: path))
            let executable = access(from, X_OK) == 0
            chmod(path, mode ?? (executable ? 0o755 : 0o644))
        } else {
            var text = file.content ?? ""
            if file.append != nil || file.prepend != nil {
                let host = (try? String(contentsOfFile: hostPath, encoding: .utf8)) ?? ""
                text =
                    (file.prepend ?? "") + host + (host.isEmpty || host.hasSuffix("\n") ? "" : "\n")
                    + (file.append ?? "")
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, mode ?? 0o644)
        }
    }

    private static func failure(_ what: String) -> ImageCatalogError {
        ImageCatalogError("cannot \(what): \(String(cString: strerror(errno)))")
    }
}
