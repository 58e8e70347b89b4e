import APIServer
import Foundation
import Schema
import Store
import Testing

/// Claims without `storageClassName` get the default StorageClass, as Kubernetes' DefaultStorageClass
/// admission gives it.
@Suite(.timeLimit(.minutes(1)))
struct DefaultStorageClassAdmissionTests {
    static func claim(_ name: String, storageClass: JSONValue? = nil) -> JSONValue {
        var spec: JSONValue = [
            "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]],
        ]
        if let storageClass { spec["storageClassName"] = storageClass }
        return [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)], "spec": spec,
        ]
    }

    static let standard: JSONValue = [
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": ["name": "standard", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
        "provisioner": "kubus.io/hostpath",
    ]

    @Test func claimWithoutClassGetsTheDefault() async throws {
        let api = try await APIHarness()
        #expect(await api.create(Self.standard).code == 201)
        let created = await api.create(Self.claim("data"))
        #expect(created.code == 201)
        #expect(created["spec", "storageClassName"] == "standard")
    }

    @Test func explicitClassesAndNoDefaultAreLeftAlone() async throws {
        let api = try await APIHarness()
        #expect(await api.create(Self.claim("before"))["spec", "storageClassName"] == nil)
        #expect(await api.create(Self.standard).code == 201)
        #expect(await api.create(Self.claim("none", storageClass: ""))["spec", "storageClassName"] == "")
        #expect(await api.create(Self.claim("fast", storageClass: "fast"))["spec", "storageClassName"] == "fast")
    }

    @Test func claimsAndVolumesGetTheirProtectionFinalizerOnce() async throws {
        let api = try await APIHarness()
        let claim = await api.create(Self.claim("data"))
        #expect(claim["metadata", "finalizers"] == ["kubernetes.io/pvc-protection"])
        var withOwn = Self.claim("own")
        withOwn[path: ["metadata", "finalizers"]] = ["example.com/keep", "kubernetes.io/pvc-protection"]
        #expect(
            await api.create(withOwn)["metadata", "finalizers"] == ["example.com/keep", "kubernetes.io/pvc-protection"])
        let volume: JSONValue = [
            "apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": "pv1"],
            "spec": [
                "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"], "hostPath": ["path": "/tmp/pv1"],
            ],
        ]
        #expect(await api.create(volume)["metadata", "finalizers"] == ["kubernetes.io/pv-protection"])
        // Other kinds get none.
        let map: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "m"]]
        #expect(await api.create(map)["metadata", "finalizers"] == nil)
    }
}
