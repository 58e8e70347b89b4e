public import Foundation
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// Image name → entrypoint, cmd, env and working directory of a program on this host: what the `process` runtime
/// runs for an image it cannot unpack (`compose/images.yaml`, see docs/runtime-process.md).
public struct ImageCatalog: Sendable, Hashable {
    /// One image of the catalog.
    public struct Entry: Sendable, Hashable, Codable {
        /// Docker ENTRYPOINT; `@kubus-shim` stands for the runtime's shim (the pause image).
        public var entrypoint: [String]?
        /// Docker CMD.
        public var cmd: [String]?
        /// `NAME=value` pairs, in order.
        public var env: [String]?
        public var workingDir: String?
        /// The Debian package that provides the program, named in the error when it is missing.
        public var package: String?
        /// The program that must exist on the host; defaults to the first word of entrypoint, else of cmd.
        public var program: String?
        /// A multi-call binary (`/bin/busybox`) whose applets the runtime puts first on the container's PATH, so
        /// `sh`, `wget` or `nslookup` are the image's and not the host's.
        public var applets: String?
        /// Scripts that stand in for some applets (applet → script), where the host's build of the multi-call
        /// binary lacks what the image's has.
        public var appletWrappers: [String: String]?
        /// Other names of the same image (`registry.k8s.io/nginx-slim` for nginx), normalised like the key.
        public var aliases: [String]?
        /// The image's USER, `uid` or `uid:gid`: what the container runs as when its securityContext sets no user.
        public var user: String?
        /// Files the image puts over the host's (a read-only layer under the container's own): path → file.
        public var files: [String: ImageLayer.File]?

        public init(
            entrypoint: [String]? = nil, cmd: [String]? = nil, env: [String]? = nil, workingDir: String? = nil,
            package: String? = nil, program: String? = nil, applets: String? = nil,
            appletWrappers: [String: String]? = nil, aliases: [String]? = nil, user: String? = nil,
            files: [String: ImageLayer.File]? = nil
        ) {
            self.appletWrappers = appletWrappers
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.env = env
            self.workingDir = workingDir
            self.package = package
            self.program = program
            self.applets = applets
            self.aliases = aliases
            self.user = user
            self.files = files
        }
    }

    /// Entries by normalised image name (`nginx`, `registry.k8s.io/pause`).
    public var entries: [String: Entry]
    /// Normalised alias → the entry's key.
    public var aliases: [String: String]
    /// Where the catalog came from, for messages; `source` paths of image layers are relative to its folder.
    public var path: String

    /// Creates a catalog from entries whose names are normalised here.
    public init(entries: [String: Entry], path: String = "compose/images.yaml") {
        var normalised: [String: Entry] = [:]
        var aliases: [String: String] = [:]
        for (name, entry) in entries {
            let key = Self.normalize(name)
            normalised[key] = entry
            for alias in entry.aliases ?? [] { aliases[Self.normalize(alias)] = key }
        }
        self.entries = normalised
        self.aliases = aliases
        self.path = path
    }

    /// Registries that mirror Docker Hub's images or publish the same ones under the same names: an image of one
    /// of them that the catalog lacks is looked up without the registry (`registry.k8s.io/busybox` → `busybox`).
    static let mirrorRegistries = [
        "registry.k8s.io", "k8s.gcr.io", "gcr.io/google_containers", "gcr.io/google-containers", "quay.io",
        "ghcr.io", "mirror.gcr.io", "public.ecr.aws/docker/library", "registry-1.docker.io",
    ]

    /// The catalog key for `image`: its normalised name, an alias of an entry, or the name without a mirror
    /// registry; nil when the catalog has none of them.
    public func key(for image: String) -> String? {
        let name = Self.normalize(image)
        if entries[name] != nil { return name }
        if let key = aliases[name] { return key }
        for registry in Self.mirrorRegistries where name.hasPrefix(registry + "/") {
            let rest = Self.normalize(String(name.dropFirst(registry.count + 1)))
            if entries[rest] != nil { return rest }
            if let key = aliases[rest] { return key }
        }
        return nil
    }

    /// The tag of an image reference (`nginx:1.25` → `1.25`); `latest` when it has none or only a digest.
    public static func tag(of image: String) -> String {
        var name = Substring(image.trimmingCharacters(in: .whitespaces))
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            return String(name[name.index(after: colon)...])
        }
        return "latest"
    }

    private struct File: Codable {
        var images: [String: Entry]?
    }

    /// Parses a catalog from YAML (`images: {name: {entrypoint, cmd, env, workingDir, package, program}}`).
    public static func parse(yaml: String, path: String = "compose/images.yaml") throws -> ImageCatalog {
        do {
            let file = try YAMLDecoder().decode(File.self, from: yaml)
            return ImageCatalog(entries: file.images ?? [:], path: path)
        } catch {
            throw ImageCatalogError("image catalog \(path) is not valid: \(error)")
        }
    }

    /// Reads the catalog at `path`.
    public static func load(path: String) throws -> ImageCatalog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageCatalogError("cannot read the image catalog \(path): set --image-catalog or KUBUS_IMAGE_CATALOG")
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The catalog's path: `flag`, else `KUBUS_IMAGE_CATALOG`, else `compose/images.yaml` in the current folder or
    /// one above it, or in the repository that holds the running executable.
    public static func defaultPath(
        flag: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let path = environment["KUBUS_IMAGE_CATALOG"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        for start in [FileManager.default.currentDirectoryPath, (executable as NSString).deletingLastPathComponent]
        where !start.isEmpty {
            var folder = start
            while !folder.isEmpty {
                let candidate = folder == "/" ? "/compose/images.yaml" : folder + "/compose/images.yaml"
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                if folder == "/" { break }
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        return nil
    }

    /// Loads the catalog `defaultPath(flag:)` finds; an empty catalog when there is none.
    public static func loadDefault(flag: String? = nil) throws -> ImageCatalog {
        guard let path = defaultPath(flag: flag) else { return ImageCatalog(entries: [:]) }
        return try load(path: path)
    }

    /// Normalises an image reference as Docker does: `nginx`, `nginx:1.25`, `library/nginx`,
    /// `docker.io/library/nginx:latest` and `nginx@sha256:…` all become `nginx`; other registries stay
    /// (`registry.k8s.io/pause:3.9` → `registry.k8s.io/pause`).
    public static func normalize(_ image: String) -> String {
        var name = Substring(image.trimmingCharacters(in: .whitespaces))
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") { name = name[..<colon] }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry: String?
        if parts.count > 1, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" {
            registry = parts.removeFirst()
        }
        if let registry, !["docker.io", "index.docker.io", "registry-1.docker.io"].contains(registry) {
            return ([registry] + parts).joined(separator: "/")
        }
        if parts.count == 2 && parts[0] == "library" { return parts[1] }
        return parts.joined(separator: "/")
    }

    /// The entry for `image`, if the catalog has one.
    public func entry(for image: String) -> Entry? { key(for: image).flatMap { entries[$0] } }

    /// Resolves `image` to a program on this host; `@kubus-shim` in the entry becomes `shimPath`, `${IMAGE_TAG}`
    /// in its env the reference's tag.
    public func resolve(_ image: String, shimPath: String?) throws -> ResolvedImage {
        guard let key = key(for: image), let entry = entries[key] else {
            throw ImagePullError(
                image: image,
                message: "image \"\(image)\" is not in the image catalog \(path) and is not an OCI layout: add an "
                    + "entry that maps it to a program on this host (see docs/operations.md), or give the container "
                    + "a command")
        }
        func substitute(_ words: [String]?) -> [String] {
            (words ?? []).map { $0 == "@kubus-shim" ? (shimPath ?? "kubus-shim") : $0 }
        }
        let entrypoint = substitute(entry.entrypoint)
        let cmd = substitute(entry.cmd)
        let program = entry.program.map { substitute([$0])[0] } ?? entrypoint.first ?? cmd.first
        if let program, Self.findProgram(program) == nil {
            let usesShim = (entry.entrypoint ?? []).contains("@kubus-shim") || entry.program == "@kubus-shim"
            let install =
                entry.package.map { "install the Debian package \($0) (apt-get install \($0))" }
                ?? (usesShim ? "build kubus-shim (swift build --product kubus-shim) or set KUBUS_SHIM" : "install it")
            throw ImagePullError(
                image: image,
                message: "image \"\(image)\" maps to \(program) in the image catalog \(path), which is not on this "
                    + "host: \(install)")
        }
        let tag = Self.tag(of: image)
        let env = (entry.env ?? []).map { pair -> EnvPair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            return EnvPair(name: String(parts[0]), value: value.replacingOccurrences(of: "${IMAGE_TAG}", with: tag))
        }
        var resolved = ResolvedImage(
            image: image, imageID: Self.imageID(of: entry, name: key), entrypoint: entrypoint, cmd: cmd, env: env,
            workingDir: entry.workingDir)
        if let user = entry.user {
            let parts = user.split(separator: ":").map { Int64($0) }
            guard let uid = parts.first ?? nil, parts.count <= 2, parts.allSatisfy({ $0 != nil }) else {
                throw ImageCatalogError("image catalog \(path): user of \(key) must be uid or uid:gid, not \"\(user)\"")
            }
            resolved.user = uid
            resolved.group = parts.count == 2 ? parts[1] : nil
        }
        return resolved
    }

    /// The folder that `source` paths of image layers are relative to.
    public var folder: String { (path as NSString).deletingLastPathComponent }

    /// A stable `sha256:` id of an entry (and its name), as `containerStatuses[].imageID` shows.
    public static func imageID(of entry: Entry, name: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data(name.utf8)
        data.append(0)
        data.append((try? encoder.encode(entry)) ?? Data())
        return "sha256:" + SHA256Digest.hex(of: Array(data))
    }

    /// The absolute path of `program`: itself when it holds a `/`, else found in the default PATH.
    static func findProgram(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        for folder in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let candidate = folder + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// The image catalog file could not be read or parsed.
public struct ImageCatalogError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
