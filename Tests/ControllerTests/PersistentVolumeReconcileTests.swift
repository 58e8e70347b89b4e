import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Foundation
import Schema
import Testing

/// The persistentvolume controller against the in-memory api: static binding of the official task-pv example
/// and its Retain policy, and dynamic provisioning through the default StorageClass with its Delete policy.
@Suite(.timeLimit(.minutes(1)))
struct PersistentVolumeReconcileTests {
    /// kubernetes/website's pods/storage/pv-volume.yaml and pv-claim.yaml.
    static let taskPV = """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: task-pv-volume
          labels:
            type: local
        spec:
          storageClassName: manual
          capacity:
            storage: 10Gi
          accessModes:
            - ReadWriteOnce
          hostPath:
            path: "/mnt/data"
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: task-pv-claim
        spec:
          storageClassName: manual
          accessModes:
            - ReadWriteOnce
          resources:
            requests:
              storage: 3Gi
        """

    /// A harness whose provisioned volumes go to a fresh folder, removed by `body`'s end.
    static func withHarness(_ body: (ControllerHarness, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-pv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = ControllerConfiguration()
        configuration.volumeDirectory = folder
        let harness = try await ControllerHarness([PersistentVolumeController.self], configuration: configuration)
        defer { harness.close() }
        try await body(harness, folder)
    }

    @Test func theTaskClaimBindsToTheTaskVolumeAndReleasesItOnDelete() async throws {
        try await Self.withHarness { harness, _ in
            try await harness.create(yaml: Self.taskPV)
            try await harness.settle()

            let claim = try await harness.api.get(
                PersistentVolumeClaim.self, namespace: "default", name: "task-pv-claim")
            let volume = try await harness.api.get(PersistentVolume.self, namespace: nil, name: "task-pv-volume")
            #expect(claim.spec.volumeName == "task-pv-volume")
            #expect(claim.status.phase == "Bound")
            #expect(claim.status.capacity?["storage"]?.description == "10Gi")
            #expect(volume.status.phase == "Bound")
            #expect(volume.spec.claimRef?.uid == claim.metadata.uid)
            #expect(volume.spec.persistentVolumeReclaimPolicy == "Retain")

            _ = try await harness.api.delete(kind: "PersistentVolumeClaim", namespace: "default", name: "task-pv-claim")
            try await harness.settle()
            await #expect(throws: APIError.self) {
                try await harness.api.get(PersistentVolumeClaim.self, namespace: "default", name: "task-pv-claim")
            }
            let released = try await harness.api.get(PersistentVolume.self, namespace: nil, name: "task-pv-volume")
            #expect(released.status.phase == "Released")
        }
    }

    @Test func aClaimWithoutAClassIsProvisionedAndItsVolumeDeletedWithIt() async throws {
        try await Self.withHarness { harness, folder in
            // The controller makes the default StorageClass at start; admission then gives it to new claims.
            try await harness.settle()
            let standard = try await harness.api.get(StorageClass.self, namespace: nil, name: "standard")
            #expect(standard.metadata.annotations?["storageclass.kubernetes.io/is-default-class"] == "true")
            try await harness.create(
                yaml: """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                    """)
            try await harness.settle()

            let claim = try await harness.api.get(PersistentVolumeClaim.self, namespace: "default", name: "data")
            #expect(claim.spec.storageClassName == "standard")
            #expect(claim.status.phase == "Bound")
            let volumeName = try #require(claim.spec.volumeName)
            let volume = try await harness.api.get(PersistentVolume.self, namespace: nil, name: volumeName)
            let path = try #require(volume.spec.hostPath?.path)
            #expect(path.hasPrefix(folder))
            #expect(FileManager.default.fileExists(atPath: path))
            let events = try await harness.api.list(Event.self, namespace: "default").items
            #expect(events.contains { $0.reason == "ProvisioningSucceeded" && $0.involvedObject.name == "data" })

            _ = try await harness.api.delete(kind: "PersistentVolumeClaim", namespace: "default", name: "data")
            try await harness.settle()
            await #expect(throws: APIError.self) {
                try await harness.api.get(PersistentVolume.self, namespace: nil, name: volumeName)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
