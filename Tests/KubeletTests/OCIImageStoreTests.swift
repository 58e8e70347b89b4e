import Foundation
import Logging
import Testing

@testable import Kubelet

@Suite struct OCIImageStoreTests {
    @Test func imageReferencesNormaliseAsDockerDoes() {
        #expect(ImageReference("busybox").name == "busybox")
        #expect(ImageReference("busybox").ref == "latest")
        #expect(ImageReference("docker.io/library/busybox:1.36").name == "busybox")
        #expect(ImageReference("docker.io/library/busybox:1.36").ref == "1.36")
        #expect(ImageReference("library/nginx").name == "nginx")
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(ImageReference("busybox@\(digest)").ref == digest)
        let local = ImageReference("localhost:5000/team/app:v2")
        #expect(local.name == "localhost:5000/team/app" && local.tag == "v2")
    }

    @Test func unknownImageSaysHowToMakeItAvailable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-oci-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = OCIImageStore(
            imageDirectories: [folder], cacheDirectory: folder + "/cache", logger: Logger(label: "test"))
        await #expect {
            _ = try await store.resolve("busybox:1.36")
        } throws: { error in
            let message = (error as? ImagePullError)?.message ?? ""
            return message.contains("not found") && message.contains("build-busybox-image.sh")
                && message.contains(folder)
        }
    }

    @Test func aPlainRootfsFolderIsAnImage() async throws {
        try await withImagesFolder { folder, store in
            try FileManager.default.createDirectory(
                atPath: folder + "/tools/rootfs/bin", withIntermediateDirectories: true)
            let image = try await store.resolve("tools:1.0")
            #expect(image.rootfs == folder + "/tools/rootfs")
            #expect(image.imageID == "rootfs://\(folder)/tools/rootfs")
        }
    }

    @Test func aMissingTagNamesTheTagsTheLayoutHas() async throws {
        try await withImagesFolder { folder, store in
            let layout = folder + "/app"
            try FileManager.default.createDirectory(atPath: layout, withIntermediateDirectories: true)
            let digest = "sha256:" + String(repeating: "b", count: 64)
            let index = """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "digest":"\(digest)","size":1,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}
                """
            try Data(index.utf8).write(to: URL(fileURLWithPath: layout + "/index.json"))
            await #expect {
                _ = try await store.resolve("app:v2")
            } throws: { error in
                let message = (error as? ImagePullError)?.message ?? ""
                return message.contains("has no tag \"v2\"") && message.contains("it has: v1")
            }
        }
    }

    private func withImagesFolder(_ body: (String, OCIImageStore) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-oci-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = OCIImageStore(
            imageDirectories: [folder], cacheDirectory: folder + "/cache", logger: Logger(label: "test"))
        try await body(folder, store)
    }
}
