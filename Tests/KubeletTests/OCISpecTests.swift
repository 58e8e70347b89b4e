import Foundation
import Testing

@testable import Kubelet

@Suite struct OCISpecTests {
    private func config(
        argv: [String] = ["/bin/sh", "-c", "echo hi"], env: [EnvPair] = [], netns: String? = nil, tty: Bool = false
    ) -> ContainerConfig {
        ContainerConfig(
            podUID: "0b7e4f3c-uid", podNamespace: "default", podName: "web", name: "app", attempt: 1, argv: argv,
            env: env, workingDir: "/srv",
            mounts: [
                MountSpec(hostPath: "/var/data", containerPath: "/data"),
                MountSpec(hostPath: "/var/conf", containerPath: "/conf", readOnly: true),
            ],
            hostname: "web", networkNamespacePath: netns, logPath: "/tmp/app.log", cpuLimitMillis: 500,
            memoryLimitBytes: 64 << 20, cpuRequestMillis: 250, tty: tty, runAsUser: 1000, runAsGroup: 2000,
            image: "busybox")
    }

    private let image = ResolvedImage(
        image: "busybox", imageID: "busybox@sha256:00", entrypoint: ["/entry"], cmd: ["sh"],
        env: [EnvPair(name: "PATH", value: "/bin"), EnvPair(name: "FOO", value: "image")], workingDir: "/img",
        rootfs: "/cache/rootfs")

    private func make(_ config: ContainerConfig, etc: OCISpec.EtcFiles = OCISpec.EtcFiles()) -> OCISpec {
        OCISpec.make(containerID: "c1", config: config, image: image, rootfs: "/state/c1/bundle/rootfs", etc: etc)
    }

    @Test func processComesFromTheContainerConfig() {
        let spec = make(config(env: [EnvPair(name: "FOO", value: "pod"), EnvPair(name: "BAR", value: "1")]))
        #expect(spec.process.args == ["/bin/sh", "-c", "echo hi"])
        #expect(spec.process.cwd == "/srv")
        #expect(spec.process.user.uid == 1000 && spec.process.user.gid == 2000)
        #expect(spec.process.terminal == false)
        #expect(spec.process.env == ["PATH=/bin", "FOO=pod", "BAR=1", "HOSTNAME=web", "HOME=/root"])
        #expect(spec.hostname == "web")
        #expect(spec.root.path == "/state/c1/bundle/rootfs")
    }

    @Test func emptyArgvFallsBackToTheImage() {
        var empty = config(argv: [], tty: true)
        empty.workingDir = nil
        let spec = make(empty)
        #expect(spec.process.args == ["/entry", "sh"])
        #expect(spec.process.cwd == "/img")
        #expect(spec.process.terminal)
        #expect(spec.process.env.contains("TERM=xterm"))
    }

    @Test func namespacesJoinThePodNetworkWhenGiven() {
        let own = make(config()).linux.namespaces.map(\.type)
        #expect(Set(own) == ["pid", "ipc", "uts", "mount"])
        let joined = make(config(netns: "/run/netns/kubus-x")).linux.namespaces
        #expect(joined.contains(OCISpec.Namespace(type: "network", path: "/run/netns/kubus-x")))
    }

    @Test func cgroupAndResources() {
        let linux = make(config()).linux
        #expect(linux.cgroupsPath == "/kubus/0b7e4f3c-uid/c1")
        #expect(linux.resources?.memory?.limit == 64 << 20)
        #expect(linux.resources?.cpu?.quota == 50_000)
        #expect(linux.resources?.cpu?.period == 100_000)
        #expect(linux.resources?.cpu?.shares == 256)
        var unlimited = config()
        unlimited.cpuLimitMillis = nil
        unlimited.cpuRequestMillis = nil
        unlimited.memoryLimitBytes = nil
        let resources = make(unlimited).linux.resources
        #expect(resources?.cpu == nil && resources?.memory == nil)
    }

    @Test func mountsHoldTheSystemFilesystemsVolumesAndEtcFiles() {
        let spec = make(
            config(), etc: OCISpec.EtcFiles(hosts: "/s/hosts", hostname: "/s/hostname", resolvConf: "/s/resolv.conf"))
        let byDestination = Dictionary(spec.mounts.map { ($0.destination, $0) }, uniquingKeysWith: { $1 })
        for system in ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"] {
            #expect(byDestination[system] != nil, "missing \(system)")
        }
        #expect(byDestination["/sys"]?.options?.contains("ro") == true)
        #expect(byDestination["/data"]?.source == "/var/data")
        #expect(byDestination["/data"]?.options?.contains("ro") == false)
        #expect(byDestination["/conf"]?.options?.contains("ro") == true)
        #expect(byDestination["/etc/hosts"]?.source == "/s/hosts")
        #expect(byDestination["/etc/hostname"]?.source == "/s/hostname")
        #expect(byDestination["/etc/resolv.conf"]?.source == "/s/resolv.conf")
        let order = spec.mounts.map(\.destination)
        #expect(order.firstIndex(of: "/data")! < order.firstIndex(of: "/etc/hosts")!)
    }

    @Test func jsonUsesTheRuntimeSpecFieldNamesAndOmitsUnset() throws {
        var plain = config()
        plain.cpuLimitMillis = nil
        plain.cpuRequestMillis = nil
        let data = try make(plain).jsonData()
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["ociVersion"] as? String == "1.0.2")
        let linux = try #require(json["linux"] as? [String: Any])
        #expect(linux["cgroupsPath"] as? String == "/kubus/0b7e4f3c-uid/c1")
        let resources = try #require(linux["resources"] as? [String: Any])
        #expect(resources["cpu"] == nil)
        let annotations = try #require(json["annotations"] as? [String: String])
        #expect(annotations[OCISpec.Annotation.podName] == "web")
        #expect(try JSONDecoder().decode(OCISpec.self, from: data) == make(plain))
    }
}
