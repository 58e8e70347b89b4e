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
        // CMD, not ENTRYPOINT, as the official image: a pod's args replace it.
        #expect(nginx.entrypoint == [])
        #expect(nginx.cmd == ["nginx", "-g", "daemon off;"])
        #expect(nginx.imageID.hasPrefix("sha256:") && nginx.imageID.count == 71)
        #expect(try catalog.resolve("docker.io/library/nginx", shimPath: nil).imageID == nginx.imageID)
        #expect(try catalog.resolve("busybox", shimPath: nil).cmd == ["sh"])
        #expect(try catalog.resolve("redis", shimPath: nil).cmd == ["redis-server"])
        #expect(try catalog.resolve("redis", shimPath: nil).workingDir == "/data")
        #expect(
            try catalog.resolve("registry.k8s.io/pause:3.9", shimPath: "/bin/true").entrypoint == [
                "/bin/true", "pause",
            ])
        for image in ["debian", "ubuntu:22.04", "perl", "python:3.12", "alpine"] {
            #expect(throws: Never.self) { try catalog.resolve(image, shimPath: nil) }
        }
    }

    /// The names the official examples use reach the catalog's entry: mirror registries, aliases, tags.
    @Test(arguments: [
        ("registry.k8s.io/busybox:1.27.2", "busybox"), ("registry.k8s.io/busybox", "busybox"),
        ("k8s.gcr.io/busybox", "busybox"), ("quay.io/curlimages/curl:8.1.0", "curlimages/curl"),
        ("registry.k8s.io/nginx-slim:0.21", "nginx"), ("docker.io/library/busybox:1.36", "busybox"),
        ("k8s.gcr.io/pause:3.1", "registry.k8s.io/pause"),
        (
            "registry.k8s.io/e2e-test-images/agnhost:2.39",
            "registry.k8s.io/e2e-test-images/agnhost"
        ), ("fedora:39", "debian"),
    ])
    func examplesNamesFindTheirEntry(image: String, key: String) throws {
        let catalog = try ImageCatalog.load(path: repositoryRoot() + "/compose/images.yaml")
        #expect(catalog.key(for: image) == key)
    }

    @Test func tagsUsersAndTheTagInTheEnvironment() throws {
        #expect(ImageCatalog.tag(of: "nginx:1.25") == "1.25")
        #expect(ImageCatalog.tag(of: "localhost:5000/app") == "latest")
        #expect(ImageCatalog.tag(of: "nginx@sha256:abc") == "latest")
        let catalog = try ImageCatalog.load(path: repositoryRoot() + "/compose/images.yaml")
        let hello = try catalog.resolve("gcr.io/google-samples/hello-app:2.0", shimPath: nil)
        #expect(hello.env.contains(EnvPair(name: "HELLO_APP_VERSION", value: "2.0")))
        #expect(hello.user == 65532)
        let pause = try catalog.resolve("registry.k8s.io/pause:3.9", shimPath: "/bin/true")
        #expect(pause.user == 65535 && pause.group == 65535)
        #expect(try catalog.resolve("busybox", shimPath: nil).user == nil)
    }

    /// A layer's paths land where the host resolves them (a symlinked /bin), whiteouts hide, appends extend.
    @Test func imageLayersFollowTheHostsLinks() throws {
        let root = NSTemporaryDirectory() + "kubus-layer-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let host = root + "/host"
        try FileManager.default.createDirectory(atPath: host + "/usr/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: host + "/etc", withIntermediateDirectories: true)
        #expect(symlink("usr/bin", host + "/bin") == 0)
        try "root:x:0:0::/root:/bin/sh\n".write(toFile: host + "/etc/passwd", atomically: true, encoding: .utf8)
        let files: [String: ImageLayer.File] = [
            "/bin/sh": ImageLayer.File(symlink: "/bin/busybox"),
            "/etc/passwd": ImageLayer.File(append: "nginx:x:101:101::/nonexistent:/usr/sbin/nologin\n"),
            "/etc/app/run.sh": ImageLayer.File(content: "echo hi\n", mode: "0755"),
        ]
        let layer = try ImageLayer.build(files, in: root + "/layers", catalogFolder: root, hostRoot: host)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: layer + "/usr/bin/sh") == "/bin/busybox")
        #expect(!FileManager.default.fileExists(atPath: layer + "/bin"))
        #expect(
            try String(contentsOfFile: layer + "/etc/passwd", encoding: .utf8)
                == "root:x:0:0::/root:/bin/sh\nnginx:x:101:101::/nonexistent:/usr/sbin/nologin\n")
        #expect(access(layer + "/etc/app/run.sh", X_OK) == 0)
        // The same content is the same layer; built once.
        #expect(try ImageLayer.build(files, in: root + "/layers", catalogFolder: root, hostRoot: host) == layer)
        #expect(throws: ImageCatalogError.self) {
            try ImageLayer.build(["relative": ImageLayer.File(content: "")], in: root + "/l", catalogFolder: root)
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
