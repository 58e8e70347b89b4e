public import Foundation

/// The part of the OCI runtime-spec `config.json` that Kubus writes for runc.
public struct OCISpec: Sendable, Hashable, Codable {
    public var ociVersion: String
    public var process: Process
    public var root: Root
    public var hostname: String?
    public var mounts: [Mount]
    public var linux: Linux
    public var annotations: [String: String]?

    /// The container's main process.
    public struct Process: Sendable, Hashable, Codable {
        public var terminal: Bool
        public var user: User
        public var args: [String]
        public var env: [String]
        public var cwd: String
        public var capabilities: Capabilities?
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool?
    }

    /// The user the process runs as.
    public struct User: Sendable, Hashable, Codable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32]?
    }

    /// Capability sets of the process.
    public struct Capabilities: Sendable, Hashable, Codable {
        public var bounding: [String]
        public var effective: [String]
        public var permitted: [String]
        public var inheritable: [String]?
        public var ambient: [String]?
    }

    /// One resource limit of the process.
    public struct Rlimit: Sendable, Hashable, Codable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64
    }

    /// The container's root filesystem.
    public struct Root: Sendable, Hashable, Codable {
        public var path: String
        public var readonly: Bool?
    }

    /// One mount inside the container.
    public struct Mount: Sendable, Hashable, Codable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]?
    }

    /// Linux-specific settings: namespaces, cgroups, masked paths.
    public struct Linux: Sendable, Hashable, Codable {
        public var namespaces: [Namespace]
        public var cgroupsPath: String?
        public var resources: Resources?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
    }

    /// A namespace the container gets (`path` nil) or joins (`path` set).
    public struct Namespace: Sendable, Hashable, Codable {
        public var type: String
        public var path: String?
    }

    /// Cgroup limits.
    public struct Resources: Sendable, Hashable, Codable {
        public var devices: [DeviceRule]?
        public var memory: Memory?
        public var cpu: CPU?
    }

    /// A device cgroup rule.
    public struct DeviceRule: Sendable, Hashable, Codable {
        public var allow: Bool
        public var access: String?
    }

    /// Memory limits in bytes.
    public struct Memory: Sendable, Hashable, Codable {
        public var limit: Int64?
    }

    /// CPU shares and CFS quota/period in microseconds.
    public struct CPU: Sendable, Hashable, Codable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?
    }
}

extension OCISpec {
    /// The files a container's bundle holds besides `config.json`, bind-mounted into its `/etc`.
    public struct EtcFiles: Sendable, Hashable {
        public var hosts: String?
        public var hostname: String?
        public var resolvConf: String?

        public init(hosts: String? = nil, hostname: String? = nil, resolvConf: String? = nil) {
            self.hosts = hosts
            self.hostname = hostname
            self.resolvConf = resolvConf
        }
    }

    /// The CFS period Kubus uses, as Kubernetes does (100 ms).
    public static let cpuPeriodMicros: UInt64 = 100_000

    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Annotation keys that let `runc state` and `runc list` name the pod a container belongs to.
    public enum Annotation {
        public static let podUID = "io.kubus.pod.uid"
        public static let podNamespace = "io.kubus.pod.namespace"
        public static let podName = "io.kubus.pod.name"
        public static let containerName = "io.kubus.container.name"
        public static let attempt = "io.kubus.container.attempt"
        public static let image = "io.kubus.image"
    }

    /// The cgroup a container's processes live in: `/kubus/<podUID>/<containerID>`.
    public static func cgroupsPath(podUID: String, containerID: String) -> String {
        "/kubus/\(podUID)/\(containerID)"
    }

    /// Builds the spec for one container from the kubelet's config, the image and the prepared root filesystem.
    ///
    /// `rootfs` is the merged overlay the container writes into; `etc` maps `/etc/hosts`, `/etc/hostname` and
    /// `/etc/resolv.conf` to files on the host.
    public static func make(
        containerID: String, config: ContainerConfig, image: ResolvedImage, rootfs: String, etc: EtcFiles
    ) -> OCISpec {
        let argv = config.argv.isEmpty ? image.entrypoint + image.cmd : config.argv
        let security = config.security ?? ContainerSecurity()
        let capabilities = security.capabilities
        let process = Process(
            terminal: config.tty,
            user: User(uid: UInt32(clamping: config.runAsUser ?? 0), gid: UInt32(clamping: config.runAsGroup ?? 0)),
            args: argv,
            env: mergedEnvironment(image: image.env, container: config.env, hostname: config.hostname, tty: config.tty),
            cwd: nonEmpty(config.workingDir) ?? nonEmpty(image.workingDir) ?? "/",
            capabilities: Capabilities(bounding: capabilities, effective: capabilities, permitted: capabilities),
            // No rlimits: the container inherits the kubelet's, which the host may not let runc raise.
            rlimits: nil,
            noNewPrivileges: security.noNewPrivileges)

        var mounts = [
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            Mount(
                destination: "/dev", type: "tmpfs", source: "tmpfs",
                options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount(
                destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Mount(
                destination: "/dev/shm", type: "tmpfs", source: "shm",
                options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount(
                destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        ]
        for volume in config.mounts {
            var options = ["rbind", "rprivate"]
            if volume.readOnly { options.append("ro") }
            mounts.append(
                Mount(destination: volume.containerPath, type: "bind", source: volume.hostPath, options: options))
        }
        // After the volumes, as Kubernetes does, so a volume at /etc cannot hide the pod's name resolution.
        for (destination, source) in [
            ("/etc/hosts", etc.hosts), ("/etc/hostname", etc.hostname), ("/etc/resolv.conf", etc.resolvConf),
        ] {
            guard let source else { continue }
            mounts.append(
                Mount(destination: destination, type: "bind", source: source, options: ["rbind", "rprivate"]))
        }

        var namespaces = [
            Namespace(type: "pid"), Namespace(type: "ipc"), Namespace(type: "uts"), Namespace(type: "mount"),
        ]
        if let path = config.networkNamespacePath, !path.isEmpty {
            namespaces.append(Namespace(type: "network", path: path))
        }

        var cpu = CPU()
        if let limit = config.cpuLimitMillis, limit > 0 {
            cpu.quota = max(1000, limit * Int64(cpuPeriodMicros) / 1000)
            cpu.period = cpuPeriodMicros
        }
        // Kubernetes derives shares from the request, and from the limit when no request is given.
        if let millis = config.cpuRequestMillis ?? config.cpuLimitMillis, millis > 0 {
            cpu.shares = max(2, UInt64(millis) * 1024 / 1000)
        }
        let resources = Resources(
            devices: [DeviceRule(allow: false, access: "rwm")],
            memory: config.memoryLimitBytes.map { Memory(limit: $0) },
            cpu: cpu == CPU() ? nil : cpu)

        let linux = Linux(
            namespaces: namespaces,
            cgroupsPath: cgroupsPath(podUID: config.podUID, containerID: containerID),
            resources: resources,
            maskedPaths: [
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            ],
            readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])

        return OCISpec(
            ociVersion: "1.0.2",
            process: process,
            root: Root(path: rootfs, readonly: security.readOnlyRootFilesystem),
            hostname: config.hostname,
            mounts: mounts,
            linux: linux,
            annotations: [
                Annotation.podUID: config.podUID, Annotation.podNamespace: config.podNamespace,
                Annotation.podName: config.podName, Annotation.containerName: config.name,
                Annotation.attempt: String(config.attempt), Annotation.image: config.image,
            ])
    }

    /// The image's environment overridden by the container's, with `PATH`, `HOSTNAME`, `HOME` and `TERM` filled
    /// in the way Docker does when nobody set them.
    static func mergedEnvironment(image: [EnvPair], container: [EnvPair], hostname: String, tty: Bool) -> [String] {
        var names: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { names.append(name) }
            values[name] = value
        }
        for pair in image + container { set(pair.name, pair.value) }
        if values["PATH"] == nil { set("PATH", defaultPath) }
        if values["HOSTNAME"] == nil { set("HOSTNAME", hostname) }
        if values["HOME"] == nil { set("HOME", "/root") }
        if tty, values["TERM"] == nil { set("TERM", "xterm") }
        return names.map { "\($0)=\(values[$0] ?? "")" }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// The spec as runc reads it.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
