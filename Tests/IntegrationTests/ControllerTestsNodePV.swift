import Bus
import Client
import Foundation
import Schema
import Testing

/// The node-lifecycle controller (with sim nodes and the replicaset controller) and the persistentvolume
/// controller, as real processes; each is killed and restarted mid-work once.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ControllerTestsNodePV {
    typealias RS = ControllerTestsReplicaSet

    static func volume(_ name: String, _ size: String, path: String, reclaim: String) -> PersistentVolume {
        PersistentVolume(
            metadata: ObjectMeta(name: name),
            spec: PersistentVolumeSpec(
                capacity: ["storage": Quantity(stringLiteral: size)], hostPath: HostPathVolumeSource(path: path),
                accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: reclaim, storageClassName: "manual"))
    }

    static func claim(_ name: String, _ size: String, storageClass: String?) -> PersistentVolumeClaim {
        PersistentVolumeClaim(
            metadata: ObjectMeta(name: name, namespace: "default"),
            spec: PersistentVolumeClaimSpec(
                accessModes: ["ReadWriteOnce"],
                resources: VolumeResourceRequirements(requests: ["storage": Quantity(stringLiteral: size)]),
                storageClassName: storageClass))
    }

    @Test func claimsBindToVolumesAndProvisionedOnesAreReclaimed() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let volumeDir = "\(cluster.dir)/volumes"
            try await cluster.startController("persistentvolume", args: ["--volume-dir", volumeDir])
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let log = { cluster.log("persistentvolume").suffix(3000) }

            // The default class appears.
            #expect(
                try await eventually {
                    let sc = try? await client.get(StorageClass.self, namespace: nil, name: "standard")
                    return sc?.metadata.annotations?["storageclass.kubernetes.io/is-default-class"] == "true"
                }, "\(log())")

            // A claim binds to the smallest matching volume; Retain leaves it Released when the claim goes.
            _ = try await client.create(Self.volume("big", "5Gi", path: "\(cluster.dir)/big", reclaim: "Retain"))
            _ = try await client.create(Self.volume("small", "1Gi", path: "\(cluster.dir)/small", reclaim: "Retain"))
            _ = try await client.create(Self.claim("manual", "500Mi", storageClass: "manual"))
            #expect(
                try await eventually {
                    let c = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "manual")
                    return c.status.phase == "Bound" && c.spec.volumeName == "small"
                }, "\(log())")
            let small = try await client.get(PersistentVolume.self, namespace: nil, name: "small")
            #expect(small.spec.claimRef?.name == "manual")
            #expect(small.metadata.annotations?["pv.kubernetes.io/bound-by-controller"] == "yes")
            #expect(
                try await eventually {
                    try await client.get(PersistentVolume.self, namespace: nil, name: "small").status.phase == "Bound"
                })
            let boundClaim = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "manual")
            #expect(boundClaim.metadata.annotations?["pv.kubernetes.io/bind-completed"] == "yes")
            #expect(
                try await client.get(PersistentVolume.self, namespace: nil, name: "big").status.phase == "Available")
            try await client.delete(PersistentVolumeClaim.self, namespace: "default", name: "manual")
            #expect(
                try await eventually {
                    try await client.get(PersistentVolume.self, namespace: nil, name: "small").status.phase
                        == "Released"
                }, "\(log())")

            // A claim without a class gets the default one and a provisioned hostPath volume.
            _ = try await client.create(Self.claim("auto", "1Gi", storageClass: nil))
            #expect(
                try await eventually {
                    let c = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "auto")
                    return c.status.phase == "Bound" && c.spec.storageClassName == "standard"
                }, "\(log())")
            let auto = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "auto")
            let name = "pvc-\(auto.metadata.uid ?? "")"
            #expect(auto.spec.volumeName == name)
            let provisioned = try await client.get(PersistentVolume.self, namespace: nil, name: name)
            let path = try #require(provisioned.spec.hostPath?.path)
            #expect(path == "\(volumeDir)/\(name)")
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(provisioned.spec.persistentVolumeReclaimPolicy == "Delete")

            // Reclaim Delete: the volume and its folder go with the claim.
            try await client.delete(PersistentVolumeClaim.self, namespace: "default", name: "auto")
            #expect(
                try await eventually {
                    (try? await client.get(PersistentVolume.self, namespace: nil, name: name)) == nil
                }, "\(log())")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func claimsInUseAndBoundVolumesOutliveTheirDeletion() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startController("persistentvolume", args: ["--volume-dir", "\(cluster.dir)/volumes"])
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let log = { cluster.log("persistentvolume").suffix(3000) }
            _ = try await client.create(Self.volume("kept", "1Gi", path: "\(cluster.dir)/kept", reclaim: "Retain"))
            _ = try await client.create(Self.claim("held", "1Gi", storageClass: "manual"))
            #expect(
                try await eventually {
                    try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "held").status.phase
                        == "Bound"
                }, "\(log())")
            let claim = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "held")
            #expect(claim.metadata.finalizers == [PersistentVolumeClaim.protectionFinalizer])
            #expect(
                try await client.get(PersistentVolume.self, namespace: nil, name: "kept").metadata.finalizers
                    == [PersistentVolume.protectionFinalizer])

            // A pod (never scheduled: no node here) uses the claim. Deleting the claim and the volume leaves
            // both in place, Terminating, while it does.
            var pod = Pod(metadata: ObjectMeta(name: "user", namespace: "default"))
            pod.spec.containers = [Container(name: "c", image: "busybox")]
            pod.spec.volumes = [
                Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "held"))
            ]
            _ = try await client.create(pod)
            try await client.delete(PersistentVolumeClaim.self, namespace: "default", name: "held")
            try await client.delete(PersistentVolume.self, namespace: nil, name: "kept")
            // The controller sees both deletions (it writes nothing else here): give it time to act wrongly.
            try await Task.sleep(for: .seconds(2))
            let stillClaim = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "held")
            #expect(stillClaim.metadata.deletionTimestamp != nil && stillClaim.status.phase == "Bound")
            let stillVolume = try await client.get(PersistentVolume.self, namespace: nil, name: "kept")
            #expect(stillVolume.metadata.deletionTimestamp != nil && stillVolume.status.phase == "Bound")

            // The pod goes: the claim goes, then the volume it was bound to.
            try await client.delete(Pod.self, namespace: "default", name: "user")
            #expect(
                try await eventually {
                    (try? await client.get(PersistentVolumeClaim.self, namespace: "default", name: "held")) == nil
                }, "\(log())")
            #expect(
                try await eventually {
                    (try? await client.get(PersistentVolume.self, namespace: nil, name: "kept")) == nil
                }, "\(log())")
        }
    }

    @Test func restartedVolumeControllerProvisionsEachClaimOnce() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let volumeDir = "\(cluster.dir)/volumes"
            let args = ["--volume-dir", volumeDir]
            try await cluster.startController("persistentvolume", args: args)
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            #expect(
                try await eventually {
                    (try? await client.get(StorageClass.self, namespace: nil, name: "standard")) != nil
                })
            let count = 6
            for i in 0..<count { _ = try await client.create(Self.claim("data-\(i)", "1Gi", storageClass: "standard")) }
            // Killed mid-work; the new instance finishes what the old one began.
            cluster.stop("persistentvolume", signal: SIGKILL)
            try await cluster.startController("persistentvolume", args: args)
            #expect(
                try await eventually(within: .seconds(60)) {
                    let claims = try await client.list(PersistentVolumeClaim.self, namespace: "default").items
                    return claims.count == count && claims.allSatisfy { $0.status.phase == "Bound" }
                }, "\(cluster.log("persistentvolume").suffix(3000))")
            let volumes = try await client.list(PersistentVolume.self).items
            #expect(volumes.count == count)
            #expect(Set(volumes.compactMap { $0.spec.claimRef?.name }).count == count)
            #expect(volumes.allSatisfy { $0.status.phase == "Bound" })
            let folders = try FileManager.default.contentsOfDirectory(atPath: volumeDir)
            #expect(folders.count == count)
        }
    }

    @Test func podsOfAnUnreachableNodeAreEvictedAndRecreatedElsewhere() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try cluster.start("scheduler", args: TestCluster.fastElection)
            let suffix = BusClock.randomID().prefix(5).lowercased()
            let failing = "gone-\(suffix)"
            let healthy = "kept-\(suffix)"
            try cluster.start("kubelet", name: "kubelet-a", args: ["--runtime", "sim", "--node-name", failing])
            try await cluster.startController("replicaset")
            // The sim kubelet renews its Leases every 10 s: the grace period must be longer.
            let lifecycleArgs = ["--node-monitor-grace-period", "15"]
            try await cluster.startController("node-lifecycle", args: lifecycleArgs)
            let client = try cluster.apiClient()
            defer { client.bus.close() }

            var rs = RS.replicaSet("web", replicas: 2, app: "web")
            rs.spec.template?.spec.tolerations = [
                Toleration(
                    key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 4
                )
            ]
            _ = try await client.create(rs)
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await client.get(ReplicaSet.self, namespace: "default", name: "web").status.readyReplicas == 2
                }, "\(cluster.log("replicaset").suffix(2000))")
            let original = try await RS.activePods(client, app: "web")
            #expect(original.allSatisfy { $0.spec.nodeName == "\(failing)-0" })
            let unreachable = try #require(
                original.first?.spec.tolerations?.first { $0.key == "node.kubernetes.io/unreachable" })
            #expect(unreachable.tolerationSeconds == 4)
            #expect(original.first?.spec.tolerations?.contains { $0.key == "node.kubernetes.io/not-ready" } == true)

            // A second node, then the first node's kubelet dies: its Lease stops.
            try cluster.start(
                "kubelet", name: "kubelet-b",
                args: ["--runtime", "sim", "--node-name", healthy, "--sim-index-offset", "1"])
            #expect(
                try await eventually {
                    (try? await client.get(Node.self, namespace: nil, name: "\(healthy)-0")) != nil
                })
            cluster.stop("kubelet-a", signal: SIGKILL)

            #expect(
                try await eventually(within: .seconds(60)) {
                    let node = try await client.get(Node.self, namespace: nil, name: "\(failing)-0")
                    let ready = node.status.conditions?.first { $0.type == "Ready" }
                    return ready?.status == "Unknown" && ready?.reason == "NodeStatusUnknown"
                        && node.spec.taints?.contains {
                            $0.key == "node.kubernetes.io/unreachable" && $0.effect == "NoExecute"
                        } == true
                }, "\(cluster.log("node-lifecycle").suffix(3000))")
            // Killed while the pods' tolerations run; the new instance evicts them on time all the same.
            cluster.stop("node-lifecycle", signal: SIGKILL)
            try await cluster.startController("node-lifecycle", args: lifecycleArgs)

            #expect(
                try await eventually(within: .seconds(60)) {
                    let active = try await RS.activePods(client, app: "web")
                    return active.count == 2 && active.allSatisfy { $0.spec.nodeName == "\(healthy)-0" }
                        && active.allSatisfy(\.isPodReadyForTest)
                }, "\(cluster.log("node-lifecycle").suffix(3000))\n\(cluster.log("replicaset").suffix(1500))")
            let all = try await RS.pods(client, app: "web")
            // Every original pod was evicted (being deleted: no kubelet finishes it) and none is running twice.
            for pod in original {
                let now = all.first { $0.metadata.uid == pod.metadata.uid }
                #expect(now == nil || now?.metadata.deletionTimestamp != nil)
            }
            #expect(all.filter { $0.metadata.deletionTimestamp == nil }.count == 2)
            #expect(try await RS.reasons(client, "TaintManagerEviction", about: original[0].metadata.name ?? "") >= 1)

            // The kubelet comes back: the node is Ready again, loses the taints, and finishes the evicted pods.
            try cluster.start("kubelet", name: "kubelet-a2", args: ["--runtime", "sim", "--node-name", failing])
            #expect(
                try await eventually(within: .seconds(60)) {
                    let node = try await client.get(Node.self, namespace: nil, name: "\(failing)-0")
                    return node.status.conditions?.first { $0.type == "Ready" }?.status == "True"
                        && !(node.spec.taints ?? []).contains { $0.key == "node.kubernetes.io/unreachable" }
                }, "\(cluster.log("node-lifecycle").suffix(3000))")
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await RS.pods(client, app: "web").count == 2
                })
        }
    }
}

extension ControllerTestsNodePV {
    @Test func losingEveryNodeEvictsNothingUntilOneIsReadyAgain() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try cluster.start("scheduler", args: TestCluster.fastElection)
            let suffix = BusClock.randomID().prefix(5).lowercased()
            let failing = "all-\(suffix)"
            try cluster.start(
                "kubelet", name: "kubelet-a", args: ["--runtime", "sim", "--node-name", failing, "--sim-nodes", "2"])
            try await cluster.startController("replicaset")
            try await cluster.startController("node-lifecycle", args: ["--node-monitor-grace-period", "15"])
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let log = { cluster.log("node-lifecycle").suffix(3000) }

            var rs = RS.replicaSet("web", replicas: 2, app: "web")
            rs.spec.template?.spec.tolerations = [
                Toleration(
                    key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 2
                )
            ]
            _ = try await client.create(rs)
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await client.get(ReplicaSet.self, namespace: "default", name: "web").status.readyReplicas == 2
                })
            let original = try await RS.activePods(client, app: "web")

            // Every node's kubelet goes at once (as when the control plane is cut off from all of them).
            cluster.stop("kubelet-a", signal: SIGKILL)
            func taints(_ node: String) async throws -> [Taint] {
                try await client.get(Node.self, namespace: nil, name: node).spec.taints ?? []
            }
            #expect(
                try await eventually(within: .seconds(60)) {
                    for i in 0..<2 {
                        let node = try await client.get(Node.self, namespace: nil, name: "\(failing)-\(i)")
                        guard node.status.conditions?.first(where: { $0.type == "Ready" })?.status == "Unknown",
                            node.spec.taints?.contains(where: { $0.effect == "NoSchedule" }) == true
                        else { return false }
                    }
                    return true
                }, "\(log())")
            // Well past the pods' 2 s toleration: no NoExecute taint, no pod evicted.
            try await Task.sleep(for: .seconds(6))
            for i in 0..<2 {
                let nodeTaints = try await taints("\(failing)-\(i)")
                #expect(!nodeTaints.contains { $0.effect == "NoExecute" }, "\(nodeTaints)\n\(log())")
            }
            let kept = try await RS.pods(client, app: "web")
            #expect(Set(kept.map(\.metadata.uid)) == Set(original.map(\.metadata.uid)))
            #expect(kept.allSatisfy { $0.metadata.deletionTimestamp == nil })

            // One Ready node: the NoExecute taints come back with a fresh timeAdded, and the pods move to it.
            let healthy = "new-\(suffix)"
            try cluster.start(
                "kubelet", name: "kubelet-b",
                args: ["--runtime", "sim", "--node-name", healthy, "--sim-index-offset", "2"])
            #expect(
                try await eventually(within: .seconds(60)) {
                    let active = try await RS.activePods(client, app: "web")
                    return active.count == 2 && active.allSatisfy { $0.spec.nodeName == "\(healthy)-0" }
                }, "\(log())")
            // Both nodes get it back, through the zone's rate limit (0.1 node/s, burst 1): one at once, the
            // other at least ~10 s later.
            var added: [Date] = []
            #expect(
                try await eventually(within: .seconds(60)) {
                    added = []
                    for i in 0..<2 {
                        let noExecute = try await taints("\(failing)-\(i)").first { $0.effect == "NoExecute" }
                        guard noExecute?.key == "node.kubernetes.io/unreachable", let at = noExecute?.timeAdded?.date
                        else { return false }
                        added.append(at)
                    }
                    return true
                }, "\(log())")
            if added.count == 2 {
                #expect(added.allSatisfy { $0 > (original.first?.metadata.creationTimestamp?.date ?? .distantFuture) })
                #expect(abs(added[0].timeIntervalSince(added[1])) >= 9, "\(added)")
            }
        }
    }
}

extension Pod {
    fileprivate var isPodReadyForTest: Bool {
        status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }
}
