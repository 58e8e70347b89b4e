import Foundation
import Testing

@testable import Kubelet

@Suite struct ImageCatalogTests {
    @Test(arguments: [
        ("nginx", "nginx"), ("nginx:1.25", "nginx"), ("docker.io/library/nginx:latest", "nginx"),
        ("library/nginx", "nginx"), ("index.docker.io/library/nginx", "nginx"),
        ("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", "nginx"),
        ("nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", "nginx"),
        ("registry.k8s.io/pause:3.9", "registry.k8s.io/pause"), ("localhost:5000/app:v1", "localhost:5000/app"),
        ("bitnami/redis:7", "bitnami/redis"), ("docker.io/bitnami/redis", "bitnami/redis"),
    ])
    func normalisesLikeDocker(image: String, expected: String) {
        #expect(ImageCatalog.normalize(image) == expected)
    }

    @Test func theRepositoryCatalogResolvesTheCommonImages() throws {
        let catalog = try ImageCatalog.load(path: repositoryRoot() + "/compose/images.yaml")
        let nginx = try catalog.resolve("nginx:1.25", shimPath: nil)
        #expect(nginx.entrypoint == ["/usr/sbin/nginx", "-g", "daemon off;"])
        #expect(nginx.imageID.hasPrefix("sha256:") && nginx.imageID.count == 71)
        #expect(try catalog.resolve("docker.io/library/nginx", shimPath: nil).imageID == nginx.imageID)
        #expect(try catalog.resolve("busybox", shimPath: nil).cmd == ["sh"])
        #expect(try catalog.resolve("redis", shimPath: nil).cmd == ["--protected-mode", "no"])
        #expect(
            try catalog.resolve("registry.k8s.io/pause:3.9", shimPath: "/bin/true").entrypoint == [
                "/bin/true", "pause",
            ])
        for image in ["debian", "ubuntu:22.04", "perl", "python:3.12", "alpine"] {
            #expect(throws: Never.self) { try catalog.resolve(image, shimPath: nil) }
        }
    }

    @Test func anUnknownImageSaysHowToAddIt() throws {
        let catalog = ImageCatalog(entries: [:], path: "compose/images.yaml")
        let error = #expect(throws: ImagePullError.self) { try catalog.resolve("foo:1.0", shimPath: nil) }
        #expect(
            error?.message == "image \"foo:1.0\" is not in the image catalog compose/images.yaml and is not an OCI "
                + "layout: add an entry that maps it to a program on this host (see docs/operations.md), or give the "
                + "container a command")
        #expect(error?.image == "foo:1.0")
    }

    @Test func aMissingProgramNamesItsDebianPackage() throws {
        let catalog = try ImageCatalog.parse(
            yaml: """
                images:
                  docker.io/library/memcached:
                    package: memcached
                    entrypoint: [/usr/bin/kubus-no-such-memcached]
                """)
        let error = #expect(throws: ImagePullError.self) { try catalog.resolve("memcached:1.6", shimPath: nil) }
        #expect(error?.message.contains("install the Debian package memcached") == true)
    }

    @Test func parsesEnvAndWorkingDirAndAppletsAndIDsAreStable() throws {
        let yaml = """
            images:
              tool:
                cmd: [sh]
                env: [A=1, B=x=y]
                workingDir: /srv
                applets: /bin/busybox
            """
        let catalog = try ImageCatalog.parse(yaml: yaml)
        let tool = try catalog.resolve("tool", shimPath: nil)
        #expect(tool.env == [EnvPair(name: "A", value: "1"), EnvPair(name: "B", value: "x=y")])
        #expect(tool.workingDir == "/srv")
        #expect(catalog.entry(for: "tool:latest")?.applets == "/bin/busybox")
        #expect(try ImageCatalog.parse(yaml: yaml).resolve("tool", shimPath: nil).imageID == tool.imageID)
        #expect(throws: ImageCatalogError.self) { try ImageCatalog.parse(yaml: "images: [1, 2]") }
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256Digest.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256Digest.hex(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hex(of: Array(String(repeating: "a", count: 1000).utf8))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func defaultPathPrefersTheFlagThenTheEnvironment() {
        #expect(ImageCatalog.defaultPath(flag: "/a.yaml", environment: ["KUBUS_IMAGE_CATALOG": "/b.yaml"]) == "/a.yaml")
        #expect(ImageCatalog.defaultPath(flag: nil, environment: ["KUBUS_IMAGE_CATALOG": "/b.yaml"]) == "/b.yaml")
    }
}
