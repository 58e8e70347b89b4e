import Foundation
public import Logging

/// Finds images for the runc runtime in local folders and unpacks them once into a cache.
///
/// An image `name[:tag]` resolves, in each images directory in order, to
/// - an OCI image layout `<dir>/<name>` (with `index.json`) holding the ref `tag` (default `latest`),
/// - a ref `name:tag` inside a layout at `<dir>` itself (as `skopeo copy ... oci:<dir>:name:tag` writes it), or
/// - a plain root filesystem folder `<dir>/<name>` (its `rootfs/` subfolder when it has one).
/// Docker Hub prefixes (`docker.io/`, `library/`) are dropped; other registries stay part of the folder path.
/// An absolute path names a layout (`/path/layout:tag`) or a rootfs folder directly.
public actor OCIImageStore {
    /// Where layouts and rootfs folders are looked up, in order.
    public let imageDirectories: [String]
    /// Where layouts are unpacked, one folder per manifest digest.
    public let cacheDirectory: String
    private let umociPath: String
    private let logger: Logger
    private var unpacking: [String: Task<String, any Error>] = [:]

    /// Creates a store that looks in `imageDirectories` and unpacks into `cacheDirectory`.
    public init(
        imageDirectories: [String], cacheDirectory: String, umociPath: String = "/usr/bin/umoci", logger: Logger
    ) {
        self.imageDirectories = imageDirectories
        self.cacheDirectory = cacheDirectory
        self.umociPath = umociPath
        self.logger = logger
    }

    /// The images directories a kubelet uses by default: `<stateDirectory>/images`, then the `images/` folder
    /// (where `scripts/build-busybox-image.sh` writes) of the repository around the working directory or the
    /// running executable.
    public static func defaultImageDirectories(stateDirectory: String) -> [String] {
        var directories = [(stateDirectory as NSString).appendingPathComponent("images")]
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        for start in [FileManager.default.currentDirectoryPath, (executable as NSString).deletingLastPathComponent]
        where !start.isEmpty {
            var folder = start
            while folder != "/" && !folder.isEmpty {
                if FileManager.default.fileExists(atPath: folder + "/Package.swift") {
                    let images = folder + "/images"
                    if !directories.contains(images) { directories.append(images) }
                    break
                }
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        return directories
    }

    /// Resolves `image` to an unpacked root filesystem and its config; throws `ImagePullError` when no folder
    /// holds it.
    public func resolve(_ image: String) async throws -> ResolvedImage {
        let reference = ImageReference(image)
        for candidate in candidates(for: reference) {
            switch candidate {
            case .layout(let path, let ref):
                guard let manifest = try layoutManifest(layout: path, ref: ref, image: image) else { continue }
                return try await resolveLayout(image: image, reference: reference, layout: path, manifest: manifest)
            case .rootfs(let path):
                return ResolvedImage(image: image, imageID: "rootfs://\(path)", cmd: ["sh"], rootfs: path)
            }
        }
        throw notFound(image, reference: reference)
    }

    // MARK: Finding the image

    private enum Candidate {
        case layout(path: String, ref: String)
        case rootfs(path: String)
    }

    private func candidates(for reference: ImageReference) -> [Candidate] {
        let files = FileManager.default
        var result: [Candidate] = []
        func consider(folder: String, ref: String) {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return }
            if files.fileExists(atPath: folder + "/index.json") {
                result.append(.layout(path: folder, ref: ref))
            } else if files.fileExists(atPath: folder + "/rootfs") {
                result.append(.rootfs(path: folder + "/rootfs"))
            } else if reference.digest == nil {
                result.append(.rootfs(path: folder))
            }
        }
        if reference.name.hasPrefix("/") {
            consider(folder: reference.name, ref: reference.ref)
            return result
        }
        for directory in imageDirectories {
            consider(folder: (directory as NSString).appendingPathComponent(reference.name), ref: reference.ref)
            if files.fileExists(atPath: (directory as NSString).appendingPathComponent("index.json")) {
                result.append(.layout(path: directory, ref: "\(reference.name):\(reference.ref)"))
            }
        }
        return result
    }

    private struct Descriptor: Codable {
        var mediaType: String?
        var digest: String
        var size: Int64?
        var annotations: [String: String]?

        var refName: String? { annotations?["org.opencontainers.image.ref.name"] }
    }

    private struct Index: Codable {
        var manifests: [Descriptor]
    }

    private struct Manifest: Codable {
        var config: Descriptor
        var layers: [Descriptor]
    }

    private struct ImageConfigFile: Codable {
        var config: ImageConfig?

        struct ImageConfig: Codable {
            var entrypoint: [String]?
            var cmd: [String]?
            var env: [String]?
            var workingDir: String?

            /// The OCI image configuration's capitalised keys.
            enum CodingKeys: String, CodingKey {
                case entrypoint = "Entrypoint"
                case cmd = "Cmd"
                case env = "Env"
                case workingDir = "WorkingDir"
            }
        }
    }

    /// The manifest a ref (tag or `sha256:` digest) names in a layout, with the ref name umoci unpacks by.
    private struct LayoutManifest {
        var refName: String
        var digest: String
    }

    private func layoutManifest(layout: String, ref: String, image: String) throws -> LayoutManifest? {
        let index = try readJSON(Index.self, at: layout + "/index.json", image: image)
        let byDigest = ref.hasPrefix("sha256:")
        let match =
            index.manifests.first { byDigest ? $0.digest == ref : $0.refName == ref }
            ?? (index.manifests.count == 1 && index.manifests[0].refName == nil ? index.manifests[0] : nil)
        guard let match else {
            if ref.contains(":") && !byDigest { return nil }  // a `name:tag` ref in a shared layout: look further.
            let tags = index.manifests.compactMap(\.refName).sorted()
            throw ImagePullError(
                image: image,
                message: "image \"\(image)\" not found: the OCI image layout \(layout) has no tag \"\(ref)\""
                    + " (it has: \(tags.isEmpty ? "no tags" : tags.joined(separator: ", "))); build or copy that"
                    + " tag into the layout, or use one it has")
        }
        guard let refName = match.refName else {
            throw ImagePullError(
                image: image,
                message: "image \"\(image)\": the manifest \(match.digest) in \(layout) has no ref name, which umoci"
                    + " needs to unpack it; tag it (umoci tag --image \(layout)@\(match.digest) latest)")
        }
        return LayoutManifest(refName: refName, digest: match.digest)
    }

    private func resolveLayout(
        image: String, reference: ImageReference, layout: String, manifest: LayoutManifest
    ) async throws -> ResolvedImage {
        let hex = try digestHex(manifest.digest, image: image)
        guard
            let manifestDocument = try? readJSON(
                Manifest.self, at: blobPath(layout, manifest.digest, image), image: image)
        else {
            throw ImagePullError(
                image: image,
                message: "image \"\(image)\": \(manifest.digest) in \(layout) is not a single image manifest (a"
                    + " multi-platform index?), which umoci cannot unpack; copy one platform into the layout"
                    + " (skopeo copy --override-os linux --override-arch amd64 ...)")
        }
        let configFile = try readJSON(
            ImageConfigFile.self, at: blobPath(layout, manifestDocument.config.digest, image), image: image)
        let bundle = try await unpack(layout: layout, refName: manifest.refName, hex: hex, image: image)
        let config = configFile.config
        return ResolvedImage(
            image: image,
            imageID: "\(reference.name)@\(manifest.digest)",
            entrypoint: config?.entrypoint ?? [],
            cmd: config?.cmd ?? [],
            env: (config?.env ?? []).map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return EnvPair(name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
            },
            workingDir: config?.workingDir.flatMap { $0.isEmpty ? nil : $0 },
            rootfs: bundle + "/rootfs")
    }

    // MARK: Unpacking

    /// Unpacks the layout's ref into `<cache>/<hex>` unless it is there already; one unpack per digest at a time.
    private func unpack(layout: String, refName: String, hex: String, image: String) async throws -> String {
        let target = (cacheDirectory as NSString).appendingPathComponent(hex)
        if FileManager.default.fileExists(atPath: target + "/rootfs") { return target }
        if let running = unpacking[hex] { return try await running.value }
        let task = Task { [umociPath, cacheDirectory, logger] () throws -> String in
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            let temporary = (cacheDirectory as NSString).appendingPathComponent(
                ".unpack-\(hex.prefix(12))-\(UInt32.random(in: 0...UInt32.max))")
            defer { try? FileManager.default.removeItem(atPath: temporary) }
            logger.info(
                "unpacking image", metadata: ["kubus.image": "\(image)", "kubus.layout": "\(layout):\(refName)"])
            let result = try await HostCommand.run([umociPath, "unpack", "--image", "\(layout):\(refName)", temporary])
            guard result.succeeded else {
                throw ImagePullError(
                    image: image,
                    message: "image \"\(image)\": umoci could not unpack \(layout):\(refName): \(result.stderrText)")
            }
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
            return target
        }
        unpacking[hex] = task
        defer { unpacking[hex] = nil }
        return try await task.value
    }

    // MARK: Helpers

    private func blobPath(_ layout: String, _ digest: String, _ image: String) throws -> String {
        "\(layout)/blobs/sha256/\(try digestHex(digest, image: image))"
    }

    private func digestHex(_ digest: String, image: String) throws -> String {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : ""
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else {
            throw ImagePullError(image: image, message: "image \"\(image)\": unsupported digest \"\(digest)\"")
        }
        return hex
    }

    private func readJSON<T: Decodable>(_ type: T.Type, at path: String, image: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ImagePullError(image: image, message: "image \"\(image)\": cannot read \(path): \(error)")
        }
    }

    private func notFound(_ image: String, reference: ImageReference) -> ImagePullError {
        let folders =
            imageDirectories.isEmpty ? "(no images directory configured)" : imageDirectories.joined(separator: ", ")
        var message =
            "image \"\(image)\" not found: no OCI image layout or rootfs folder named \"\(reference.name)\""
            + " in \(folders); build or copy an OCI image layout there"
        if let first = imageDirectories.first {
            message +=
                reference.name == "busybox"
                ? " (scripts/build-busybox-image.sh \(first))"
                : " (e.g. skopeo copy docker://\(image) oci:\(first)/\(reference.name):\(reference.ref))"
        }
        return ImagePullError(image: image, message: message)
    }
}

/// An image name split the way Docker reads it: `[registry/]repository[:tag][@digest]`.
struct ImageReference: Sendable, Hashable {
    /// The repository with Docker Hub's `docker.io/` and `library/` dropped (`busybox`, `quay.io/x/y`).
    var name: String
    var tag: String?
    var digest: String?

    /// The ref to look up in a layout: the digest, else the tag, else `latest`.
    var ref: String { digest ?? tag ?? "latest" }

    init(_ image: String) {
        var rest = image
        if let at = rest.range(of: "@") {
            digest = String(rest[at.upperBound...])
            rest = String(rest[..<at.lowerBound])
        }
        // A colon after the last slash starts the tag; one before it belongs to a registry's port.
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        for prefix in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] where rest.hasPrefix(prefix) {
            rest = String(rest.dropFirst(prefix.count))
        }
        if rest.hasPrefix("library/") { rest = String(rest.dropFirst("library/".count)) }
        name = rest
    }
}
