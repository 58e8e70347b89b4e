public import Client
public import Foundation
public import Logging
public import Schema
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A volume could not be set up (`FailedMount`); the pod waits in `ContainerCreating` and is retried.
public struct VolumeError: Error, Sendable, CustomStringConvertible {
    public var volume: String
    public var message: String

    public init(volume: String, message: String) {
        self.volume = volume
        self.message = message
    }

    /// The FailedMount event's message, as the kubelet words it.
    public var description: String { "MountVolume.SetUp failed for volume \"\(volume)\" : \(message)" }
}

/// What the volume manager reads from the api (the `KubusClient`, or a fake in tests).
public protocol VolumeObjectSource: Sendable {
    func configMap(namespace: String, name: String) async throws -> ConfigMap?
    func secret(namespace: String, name: String) async throws -> Secret?
    func persistentVolumeClaim(namespace: String, name: String) async throws -> PersistentVolumeClaim?
    func persistentVolume(name: String) async throws -> PersistentVolume?
    /// A token for the ServiceAccount `account`, bound to the pod (the api's TokenRequest).
    func serviceAccountToken(
        namespace: String, account: String, pod: String, podUID: String, audiences: [String], expirationSeconds: Int64
    ) async throws -> ProjectedToken
}

/// A ServiceAccount token as the api issued it, and when it was asked for.
public struct ProjectedToken: Sendable, Hashable {
    public var token: String
    public var issued: Date
    public var expires: Date

    public init(token: String, issued: Date, expires: Date) {
        self.token = token
        self.issued = issued
        self.expires = expires
    }

    /// The kubelet's token manager asks for a new token once 80 % of its life is gone, or after 24 hours.
    public func needsRefresh(at now: Date) -> Bool {
        now >= issued.addingTimeInterval(min(expires.timeIntervalSince(issued) * 0.8, 24 * 3600))
    }
}

extension KubusClient: VolumeObjectSource {
    private func optional<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) async throws -> T? {
        do {
            return try await get(T.self, namespace: namespace, name: name)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    public func configMap(namespace: String, name: String) async throws -> ConfigMap? {
        try await optional(ConfigMap.self, namespace: namespace, name: name)
    }

    public func secret(namespace: String, name: String) async throws -> Secret? {
        try await optional(Secret.self, namespace: namespace, name: name)
    }

    public func persistentVolumeClaim(namespace: String, name: String) async throws -> PersistentVolumeClaim? {
        try await optional(PersistentVolumeClaim.self, namespace: namespace, name: name)
    }

    public func persistentVolume(name: String) async throws -> PersistentVolume? {
        try await optional(PersistentVolume.self, namespace: nil, name: name)
    }

    public func serviceAccountToken(
        namespace: String, account: String, pod: String, podUID: String, audiences: [String], expirationSeconds: Int64
    ) async throws -> ProjectedToken {
        let issued = Date()
        let reply = try await requestToken(
            namespace: namespace, account: account, pod: pod, podUID: podUID, audiences: audiences,
            expirationSeconds: expirationSeconds)
        guard let token = reply[path: ["status", "token"]]?.stringValue,
            let expires = reply[path: ["status", "expirationTimestamp"]]?.stringValue.flatMap({
                Time(rawValue: $0).date
            })
        else {
            throw VolumeError(volume: "", message: "the api's TokenRequest reply has no status.token")
        }
        return ProjectedToken(token: token, issued: issued, expires: expires)
    }
}

/// Sets up and tears down a pod's volumes under `<state>/pods/<uid>/volumes/<plugin>/<name>`.
public struct VolumeManager: Sendable {
    public let stateDirectory: String
    private let source: any VolumeObjectSource
    private let logger: Logger
    /// Projected ServiceAccount tokens by pod uid, volume and path, kept until they need a refresh.
    private let tokens = TokenCache()

    private final class TokenCache: Sendable {
        let held = Mutex<[String: ProjectedToken]>([:])
    }

    public init(stateDirectory: String, source: any VolumeObjectSource, logger: Logger) {
        self.stateDirectory = stateDirectory
        self.source = source
        self.logger = logger
    }

    /// A volume ready to mount: where it is on the host, and whether containers must see it read-only.
    public struct Prepared: Sendable, Hashable {
        public var hostPath: String
        public var readOnly: Bool
    }

    public func podDirectory(uid: String) -> String { "\(stateDirectory)/pods/\(uid)" }

    /// Sets up (or refreshes) every volume of `pod`; idempotent. `mounted` says the pod's volumes were set up
    /// before (a refresh): a claim being deleted is refused only to a pod that has not mounted it yet.
    public func setUp(pod: Pod, podIP: String?, hostIP: String?, mounted: Bool = false) async throws(VolumeError)
        -> [String: Prepared]
    {
        let uid = pod.metadata.uid ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        var prepared: [String: Prepared] = [:]
        for volume in pod.spec.volumes ?? [] {
            let name = volume.name
            func dir(_ plugin: String) -> String { "\(podDirectory(uid: uid))/volumes/kubernetes.io~\(plugin)/\(name)" }
            do {
                if let emptyDir = volume.emptyDir {
                    let path = dir("empty-dir")
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                    chmod(path, 0o777)
                    if emptyDir.medium == "Memory" && !Self.isMountPoint(path) {
                        var options = "mode=0777"
                        if let size = emptyDir.sizeLimit, size.value > 0 { options += ",size=\(size.value)" }
                        guard mount("tmpfs", path, "tmpfs", 0, options) == 0 else {
                            throw VolumeError(
                                volume: name, message: "mount tmpfs at \(path): \(String(cString: strerror(errno)))")
                        }
                    }
                    prepared[name] = Prepared(hostPath: path, readOnly: false)
                } else if let hostPath = volume.hostPath {
                    try Self.checkHostPath(hostPath, volume: name)
                    prepared[name] = Prepared(hostPath: hostPath.path, readOnly: false)
                } else if let cm = volume.configMap {
                    let files = try await configMapFiles(
                        namespace: namespace, name: cm.name ?? "", items: cm.items, defaultMode: cm.defaultMode,
                        optional: cm.optional, volume: name)
                    try AtomicWriter(directory: dir("configmap")).write(files)
                    prepared[name] = Prepared(hostPath: dir("configmap"), readOnly: true)
                } else if let secret = volume.secret {
                    let files = try await secretFiles(
                        namespace: namespace, name: secret.secretName ?? "", items: secret.items,
                        defaultMode: secret.defaultMode, optional: secret.optional, volume: name)
                    try AtomicWriter(directory: dir("secret")).write(files)
                    prepared[name] = Prepared(hostPath: dir("secret"), readOnly: true)
                } else if let downward = volume.downwardAPI {
                    let files = try downwardFiles(
                        downward.items ?? [], defaultMode: downward.defaultMode, pod: pod, podIP: podIP, hostIP: hostIP,
                        volume: name)
                    try AtomicWriter(directory: dir("downward-api")).write(files)
                    prepared[name] = Prepared(hostPath: dir("downward-api"), readOnly: true)
                } else if let projected = volume.projected {
                    var files: [String: AtomicWriter.File] = [:]
                    for p in projected.sources ?? [] {
                        if let cm = p.configMap {
                            files.merge(
                                try await configMapFiles(
                                    namespace: namespace, name: cm.name ?? "", items: cm.items,
                                    defaultMode: projected.defaultMode, optional: cm.optional, volume: name)
                            ) { $1 }
                        }
                        if let s = p.secret {
                            files.merge(
                                try await secretFiles(
                                    namespace: namespace, name: s.name ?? "", items: s.items,
                                    defaultMode: projected.defaultMode, optional: s.optional, volume: name)
                            ) { $1 }
                        }
                        if let d = p.downwardAPI {
                            files.merge(
                                try downwardFiles(
                                    d.items ?? [], defaultMode: projected.defaultMode, pod: pod, podIP: podIP,
                                    hostIP: hostIP, volume: name)
                            ) { $1 }
                        }
                        if let t = p.serviceAccountToken {
                            let token = try await projectedToken(t, pod: pod, volume: name)
                            files[t.path] = AtomicWriter.File(
                                bytes: Array(token.token.utf8), mode: projected.defaultMode ?? 0o644)
                        }
                    }
                    try AtomicWriter(directory: dir("projected")).write(files)
                    prepared[name] = Prepared(hostPath: dir("projected"), readOnly: true)
                } else if let claim = volume.persistentVolumeClaim {
                    let path = try await claimPath(
                        namespace: namespace, claim: claim.claimName, volume: name, refuseDeleting: !mounted)
                    prepared[name] = Prepared(hostPath: path, readOnly: claim.readOnly == true)
                } else if volume.nfs != nil {
                    throw VolumeError(volume: name, message: "nfs volumes are not supported by this kubelet")
                } else {
                    throw VolumeError(volume: name, message: "the volume has no source this kubelet supports")
                }
            } catch let error as VolumeError {
                throw error
            } catch {
                throw VolumeError(volume: name, message: "\(error)")
            }
        }
        return prepared
    }

    /// The container's mounts: each volumeMount with its subPath, read-only when the mount or the volume says so.
    public static func mounts(
        for container: Container, volumes: [String: Prepared], env: [EnvPair]
    ) throws(VolumeError) -> [MountSpec] {
        var mounts: [MountSpec] = []
        let vars = Dictionary(env.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        for m in container.volumeMounts ?? [] {
            guard let volume = volumes[m.name] else {
                throw VolumeError(volume: m.name, message: "volume \"\(m.name)\" is not defined in the pod")
            }
            var host = volume.hostPath
            let sub = m.subPath ?? m.subPathExpr.map { ContainerEnvironment.expand($0, with: vars) } ?? ""
            if !sub.isEmpty {
                guard !sub.hasPrefix("/"), !sub.split(separator: "/").contains("..") else {
                    throw VolumeError(
                        volume: m.name, message: "subPath \"\(sub)\" must be a relative path without \"..\"")
                }
                host += "/" + sub
                if !FileManager.default.fileExists(atPath: host) && !volume.readOnly {
                    try? FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
                }
            }
            mounts.append(
                MountSpec(hostPath: host, containerPath: m.mountPath, readOnly: m.readOnly == true || volume.readOnly))
        }
        return mounts
    }

    /// Unmounts what the pod's folder holds and removes it.
    public func tearDown(uid: String) {
        let dir = podDirectory(uid: uid)
        forgetTokens(uid: uid)
        Self.unmountAll(under: dir)
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The pod uids that have a folder here.
    public func podUIDs() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "\(stateDirectory)/pods"))?.filter { !$0.contains("_") }
            ?? []
    }

    // MARK: Sources

    /// The pod's token for a `serviceAccountToken` projection: the one asked for before while it is fresh, else a
    /// new one from the api, bound to the pod.
    private func projectedToken(_ source: ServiceAccountTokenProjection, pod: Pod, volume: String) async throws
        -> ProjectedToken
    {
        let uid = pod.metadata.uid ?? ""
        let key = "\(uid)/\(volume)/\(source.path)"
        let now = Date()
        if let held = tokens.held.withLock({ $0[key] }), !held.needsRefresh(at: now) { return held }
        let seconds = Int64(source.expirationSeconds ?? 3600)
        guard seconds >= 600 else {
            throw VolumeError(volume: volume, message: "expirationSeconds \(seconds) is less than 10 minutes")
        }
        let token: ProjectedToken
        do {
            token = try await self.source.serviceAccountToken(
                namespace: pod.metadata.namespace ?? "default", account: pod.spec.serviceAccountName ?? "default",
                pod: pod.metadata.name ?? "", podUID: uid, audiences: source.audience.map { [$0] } ?? [],
                expirationSeconds: seconds)
        } catch let error as APIError {
            throw VolumeError(
                volume: volume,
                message: "failed to fetch token: serviceaccounts \"\(pod.spec.serviceAccountName ?? "default")\": "
                    + error.message)
        }
        tokens.held.withLock { $0[key] = token }
        return token
    }

    /// Forgets the tokens of a pod that is gone.
    public func forgetTokens(uid: String) {
        tokens.held.withLock { held in held = held.filter { !$0.key.hasPrefix(uid + "/") } }
    }

    private func configMapFiles(
        namespace: String, name: String, items: [KeyToPath]?, defaultMode: Int?, optional: Bool?, volume: String
    ) async throws -> [String: AtomicWriter.File] {
        guard let map = try await source.configMap(namespace: namespace, name: name) else {
            if optional == true { return [:] }
            throw VolumeError(volume: volume, message: "configmap \"\(name)\" not found")
        }
        var data: [String: [UInt8]] = [:]
        for (k, v) in map.data ?? [:] { data[k] = Array(v.utf8) }
        for (k, v) in map.binaryData ?? [:] { data[k] = Data(base64Encoded: v).map(Array.init) ?? [] }
        return try Self.project(
            data, items: items, defaultMode: defaultMode, optional: optional, kind: "ConfigMap", name: name,
            volume: volume)
    }

    private func secretFiles(
        namespace: String, name: String, items: [KeyToPath]?, defaultMode: Int?, optional: Bool?, volume: String
    ) async throws -> [String: AtomicWriter.File] {
        guard let secret = try await source.secret(namespace: namespace, name: name) else {
            if optional == true { return [:] }
            throw VolumeError(volume: volume, message: "secret \"\(name)\" not found")
        }
        return try Self.project(
            ContainerEnvironment.secretData(secret), items: items, defaultMode: defaultMode, optional: optional,
            kind: "Secret", name: name, volume: volume)
    }

    static func project(
        _ data: [String: [UInt8]], items: [KeyToPath]?, defaultMode: Int?, optional: Bool?, kind: String, name: String,
        volume: String
    ) throws(VolumeError) -> [String: AtomicWriter.File] {
        let mode = defaultMode ?? 0o644
        var files: [String: AtomicWriter.File] = [:]
        if let items, !items.isEmpty {
            for item in items {
                guard let bytes = data[item.key] else {
                    if optional == true { continue }
                    throw VolumeError(
                        volume: volume,
                        message: "configmap references non-existent config key: \(item.key)"
                            .replacingOccurrences(of: "configmap", with: kind == "Secret" ? "secret" : "configmap"))
                }
                files[item.path] = AtomicWriter.File(bytes: bytes, mode: item.mode ?? mode)
            }
        } else {
            for (k, v) in data { files[k] = AtomicWriter.File(bytes: v, mode: mode) }
        }
        return files
    }

    private func downwardFiles(
        _ items: [DownwardAPIVolumeFile], defaultMode: Int?, pod: Pod, podIP: String?, hostIP: String?, volume: String
    ) throws(VolumeError) -> [String: AtomicWriter.File] {
        var files: [String: AtomicWriter.File] = [:]
        let sources = ContainerEnvironment.Sources(podIP: podIP, hostIP: hostIP)
        for item in items {
            var value = ""
            do {
                if let field = item.fieldRef {
                    value = try ContainerEnvironment.fieldValue(field.fieldPath, pod: pod, sources: sources)
                } else if let resource = item.resourceFieldRef {
                    let container = pod.spec.containers.first { $0.name == resource.containerName } ?? Container()
                    value = try ContainerEnvironment.resourceValue(
                        resource, container: container, pod: pod, sources: sources)
                }
            } catch {
                throw VolumeError(volume: volume, message: error.message)
            }
            files[item.path] = AtomicWriter.File(bytes: Array(value.utf8), mode: item.mode ?? defaultMode ?? 0o644)
        }
        return files
    }

    private func claimPath(namespace: String, claim: String, volume: String, refuseDeleting: Bool) async throws
        -> String
    {
        guard let pvc = try await source.persistentVolumeClaim(namespace: namespace, name: claim) else {
            throw VolumeError(volume: volume, message: "persistentvolumeclaim \"\(claim)\" not found")
        }
        // As kubelet's volume manager: a claim on its way out is not handed to a new pod (its protection
        // finalizer would otherwise keep it forever).
        if refuseDeleting, pvc.metadata.deletionTimestamp != nil {
            throw VolumeError(volume: volume, message: "persistentvolumeclaim \"\(claim)\" is being deleted")
        }
        guard pvc.status.phase == "Bound", let pvName = pvc.spec.volumeName, !pvName.isEmpty else {
            throw VolumeError(
                volume: volume,
                message: "persistentvolumeclaim \"\(claim)\" is not bound (phase \(pvc.status.phase ?? "Pending")); "
                    + "the pod starts once a PersistentVolume is bound to it")
        }
        guard let pv = try await source.persistentVolume(name: pvName) else {
            throw VolumeError(volume: volume, message: "persistentvolume \"\(pvName)\" not found")
        }
        if let hostPath = pv.spec.hostPath {
            var check = hostPath
            if check.type == nil || check.type == "" { check.type = "DirectoryOrCreate" }
            try Self.checkHostPath(check, volume: volume)
            return hostPath.path
        }
        if let local = pv.spec.local {
            guard FileManager.default.fileExists(atPath: local.path) else {
                throw VolumeError(volume: volume, message: "local volume path \"\(local.path)\" does not exist")
            }
            return local.path
        }
        throw VolumeError(
            volume: volume,
            message: "persistentvolume \"\(pvName)\" has no hostPath or local source this kubelet can mount")
    }

    // MARK: Host

    static func checkHostPath(_ source: HostPathVolumeSource, volume: String) throws(VolumeError) {
        let path = source.path
        var st = stat()
        let exists = lstat(path, &st) == 0
        let type = Int32(st.st_mode) & Int32(S_IFMT)
        func fail(_ what: String) -> VolumeError {
            VolumeError(volume: volume, message: "hostPath type check failed: \(path) is not \(what)")
        }
        switch source.type ?? "" {
        case "DirectoryOrCreate":
            if !exists {
                do {
                    try FileManager.default.createDirectory(
                        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                } catch { throw VolumeError(volume: volume, message: "cannot create \(path): \(error)") }
            } else if type != Int32(S_IFDIR) {
                throw fail("a directory")
            }
        case "Directory":
            if !exists || type != Int32(S_IFDIR) { throw fail("a directory") }
        case "FileOrCreate":
            if !exists {
                guard
                    FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
                else { throw VolumeError(volume: volume, message: "cannot create file \(path)") }
            } else if type != Int32(S_IFREG) {
                throw fail("a file")
            }
        case "File":
            if !exists || type != Int32(S_IFREG) { throw fail("a file") }
        case "Socket":
            if !exists || type != Int32(S_IFSOCK) { throw fail("a socket file") }
        case "CharDevice":
            if !exists || type != Int32(S_IFCHR) { throw fail("a character device") }
        case "BlockDevice":
            if !exists || type != Int32(S_IFBLK) { throw fail("a block device") }
        default:
            break
        }
    }

    /// Mount points at or below `path`, deepest first, from `/proc/self/mountinfo`.
    static func mountPoints(under path: String) -> [String] {
        let text = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let prefix = path.hasSuffix("/") ? path : path + "/"
        var points: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            let point = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
            if point == path || point.hasPrefix(prefix) { points.append(point) }
        }
        return points.sorted { $0.count > $1.count }
    }

    static func isMountPoint(_ path: String) -> Bool { mountPoints(under: path).contains(path) }

    /// Detaches every mount at or below `path` (tmpfs emptyDirs), deepest first.
    public static func unmountAll(under path: String) {
        for point in mountPoints(under: path) { umount2(point, Int32(MNT_DETACH)) }
    }
}
