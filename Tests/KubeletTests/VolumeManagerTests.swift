import Foundation
import Logging
import Schema
import Synchronization
import Testing

@testable import Kubelet

/// ConfigMaps, Secrets and claims in memory.
struct FakeVolumeSource: VolumeObjectSource {
    var configMaps: [String: ConfigMap] = [:]
    var claims: [String: PersistentVolumeClaim] = [:]
    var volumes: [String: PersistentVolume] = [:]

    func configMap(namespace: String, name: String) async throws -> ConfigMap? { configMaps[name] }
    func secret(namespace: String, name: String) async throws -> Secret? { nil }
    func persistentVolumeClaim(namespace: String, name: String) async throws -> PersistentVolumeClaim? { claims[name] }
    func persistentVolume(name: String) async throws -> PersistentVolume? { volumes[name] }
    /// Each request is counted; a token says who asked for it and how long it lives.
    let tokenRequests = Counter()
    var tokenLifetime: TimeInterval = 3600
    func serviceAccountToken(
        namespace: String, account: String, pod: String, podUID: String, audiences: [String], expirationSeconds: Int64
    ) async throws -> ProjectedToken {
        let n = tokenRequests.next()
        let now = Date()
        return ProjectedToken(
            token: "\(namespace)/\(account)/\(pod)/\(audiences.joined(separator: ","))/\(expirationSeconds)/#\(n)",
            issued: now.addingTimeInterval(-tokenAge), expires: now.addingTimeInterval(tokenLifetime - tokenAge))
    }
    /// How old each token is when it arrives (to make one that needs a refresh at once).
    var tokenAge: TimeInterval = 0
}

/// A thread-safe count.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
    var count: Int { value.withLock { $0 } }
}

@Suite struct VolumeManagerTests {
    func withState(_ source: FakeVolumeSource, _ body: (VolumeManager, String) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "kubus-vol-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await body(VolumeManager(stateDirectory: dir, source: source, logger: Logger(label: "test")), dir)
    }

    @Test func aProjectedTokenIsAskedForOnceAndRefreshedAtFourFifthsOfItsLife() async throws {
        var pod = Fixtures.pod()
        pod.spec.serviceAccountName = "reader"
        pod.spec.volumes = [
            Volume(
                name: "kube-api-access-x",
                projected: ProjectedVolumeSource(
                    sources: [
                        VolumeProjection(
                            serviceAccountToken: ServiceAccountTokenProjection(expirationSeconds: 3607, path: "token")),
                        VolumeProjection(
                            downwardAPI: DownwardAPIProjection(items: [
                                DownwardAPIVolumeFile(
                                    path: "namespace", fieldRef: ObjectFieldSelector(fieldPath: "metadata.namespace"))
                            ])),
                    ], defaultMode: 420))
        ]
        let namespace = pod.metadata.namespace ?? "default"
        let fresh = FakeVolumeSource()
        try await withState(fresh) { volumes, _ in
            let prepared = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
            let dir = try #require(prepared["kube-api-access-x"]).hostPath
            let token = try String(contentsOfFile: dir + "/token", encoding: .utf8)
            #expect(token == "\(namespace)/reader/\(pod.metadata.name ?? "")//3607/#1")
            #expect(try String(contentsOfFile: dir + "/namespace", encoding: .utf8) == namespace)
            _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil, mounted: true)
            #expect(fresh.tokenRequests.count == 1)
        }
        // A token past 80 % of its life is replaced at the next refresh.
        var old = FakeVolumeSource()
        old.tokenAge = 2900
        try await withState(old) { volumes, _ in
            let prepared = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
            _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil, mounted: true)
            #expect(old.tokenRequests.count == 2)
            let token = try String(
                contentsOfFile: try #require(prepared["kube-api-access-x"]).hostPath + "/token", encoding: .utf8)
            #expect(token.hasSuffix("#2"))
        }
    }

    @Test func configMapItemsAndEmptyDir() async throws {
        var cm = ConfigMap()
        cm.metadata.name = "cfg"
        cm.data = ["a": "1", "b": "2"]
        var pod = Fixtures.pod()
        pod.spec.volumes = [
            Volume(
                name: "cfg",
                configMap: ConfigMapVolumeSource(name: "cfg", items: [KeyToPath(key: "b", path: "sub/b.txt")])),
            Volume(name: "scratch", emptyDir: EmptyDirVolumeSource()),
        ]
        try await withState(FakeVolumeSource(configMaps: ["cfg": cm])) { volumes, dir in
            let prepared = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
            let cfg = try #require(prepared["cfg"])
            #expect(cfg.hostPath == "\(dir)/pods/uid-web/volumes/kubernetes.io~configmap/cfg")
            #expect(cfg.readOnly)
            #expect((try? String(contentsOfFile: cfg.hostPath + "/sub/b.txt", encoding: .utf8)) == "2")
            #expect(!FileManager.default.fileExists(atPath: cfg.hostPath + "/a"))
            #expect(prepared["scratch"]?.readOnly == false)
            volumes.tearDown(uid: "uid-web")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/pods/uid-web"))
        }
    }

    @Test func missingConfigMapFailsTheMount() async throws {
        var pod = Fixtures.pod()
        pod.spec.volumes = [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "absent"))]
        try await withState(FakeVolumeSource()) { volumes, _ in
            await #expect(throws: VolumeError.self) { _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil) }
            do {
                _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
            } catch let error as VolumeError {
                #expect(
                    error.description == "MountVolume.SetUp failed for volume \"cfg\" : configmap \"absent\" not found")
            }
        }
    }

    @Test func unboundClaimWaits() async throws {
        var claim = PersistentVolumeClaim()
        claim.metadata.name = "data"
        claim.status.phase = "Pending"
        var pod = Fixtures.pod()
        pod.spec.volumes = [
            Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "data"))
        ]
        try await withState(FakeVolumeSource(claims: ["data": claim])) { volumes, _ in
            do {
                _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
                Issue.record("an unbound claim must not mount")
            } catch let error as VolumeError {
                #expect(error.message.hasPrefix("persistentvolumeclaim \"data\" is not bound"))
            }
        }
    }

    @Test func aClaimBeingDeletedIsRefusedToANewPodOnly() async throws {
        let path = NSTemporaryDirectory() + "kubus-pv-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var claim = PersistentVolumeClaim()
        claim.metadata.name = "data"
        claim.metadata.deletionTimestamp = Time.now()
        claim.status.phase = "Bound"
        claim.spec.volumeName = "pv-1"
        var pv = PersistentVolume()
        pv.metadata.name = "pv-1"
        pv.spec.hostPath = HostPathVolumeSource(path: path)
        var pod = Fixtures.pod()
        pod.spec.volumes = [
            Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "data"))
        ]
        try await withState(FakeVolumeSource(claims: ["data": claim], volumes: ["pv-1": pv])) { volumes, _ in
            do {
                _ = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
                Issue.record("a claim being deleted must not be mounted by a new pod")
            } catch let error as VolumeError {
                #expect(error.message == "persistentvolumeclaim \"data\" is being deleted")
            }
            // A pod that already runs with it keeps it until it ends.
            let refreshed = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil, mounted: true)
            #expect(refreshed["data"]?.hostPath == path)
        }
    }

    @Test func boundClaimUsesThePersistentVolumesPath() async throws {
        let path = NSTemporaryDirectory() + "kubus-pv-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var claim = PersistentVolumeClaim()
        claim.metadata.name = "data"
        claim.status.phase = "Bound"
        claim.spec.volumeName = "pv-1"
        var pv = PersistentVolume()
        pv.metadata.name = "pv-1"
        pv.spec.hostPath = HostPathVolumeSource(path: path)
        var pod = Fixtures.pod()
        pod.spec.volumes = [
            Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "data"))
        ]
        try await withState(FakeVolumeSource(claims: ["data": claim], volumes: ["pv-1": pv])) { volumes, _ in
            let prepared = try await volumes.setUp(pod: pod, podIP: nil, hostIP: nil)
            #expect(prepared["data"]?.hostPath == path)
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func hostPathTypes() throws {
        let base = NSTemporaryDirectory() + "kubus-hp-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/d", type: "DirectoryOrCreate"), volume: "v")
        try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/d", type: "Directory"), volume: "v")
        try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/d/f", type: "FileOrCreate"), volume: "v")
        try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/d/f", type: "File"), volume: "v")
        #expect(throws: VolumeError.self) {
            try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/d/f", type: "Directory"), volume: "v")
        }
        #expect(throws: VolumeError.self) {
            try VolumeManager.checkHostPath(HostPathVolumeSource(path: base + "/nope", type: "Socket"), volume: "v")
        }
    }

    @Test func mountsHonourSubPathAndReadOnly() throws {
        let volumes = [
            "cfg": VolumeManager.Prepared(hostPath: "/state/cfg", readOnly: true),
            "data": VolumeManager.Prepared(
                hostPath: NSTemporaryDirectory() + "kubus-m-\(UUID().uuidString.prefix(8))", readOnly: false),
        ]
        defer { try? FileManager.default.removeItem(atPath: volumes["data"]!.hostPath) }
        let c = Container(
            name: "app",
            volumeMounts: [
                VolumeMount(name: "cfg", mountPath: "/etc/cfg"),
                VolumeMount(name: "data", readOnly: true, mountPath: "/data", subPath: "logs"),
            ])
        let mounts = try VolumeManager.mounts(for: c, volumes: volumes, env: [])
        #expect(
            mounts == [
                MountSpec(hostPath: "/state/cfg", containerPath: "/etc/cfg", readOnly: true),
                MountSpec(hostPath: volumes["data"]!.hostPath + "/logs", containerPath: "/data", readOnly: true),
            ])
        #expect(FileManager.default.fileExists(atPath: volumes["data"]!.hostPath + "/logs"))
        #expect(throws: VolumeError.self) {
            try VolumeManager.mounts(
                for: Container(
                    name: "x", volumeMounts: [VolumeMount(name: "data", mountPath: "/d", subPath: "../etc")]),
                volumes: volumes, env: [])
        }
    }
}
