public import Schema

/// What a container's `securityContext` (over its pod's) asks of the runtime, resolved once by the kubelet and
/// applied by both runtimes: the capabilities the process keeps, `no_new_privs`, a read-only root and the
/// seccomp profile. The user it runs as travels in `ContainerConfig.runAsUser`/`runAsGroup`.
public struct ContainerSecurity: Sendable, Hashable, Codable {
    /// Kubernetes' `privileged`: every capability, no seccomp filter.
    public var privileged = false
    /// The capabilities the process may hold, `CAP_`-prefixed, in kernel order.
    public var capabilities: [String] = ContainerSecurity.defaultCapabilities
    /// `allowPrivilegeEscalation: false`: the kernel's `no_new_privs`, so setuid binaries and file capabilities
    /// grant nothing.
    public var noNewPrivileges = false
    /// `readOnlyRootFilesystem`.
    public var readOnlyRootFilesystem = false
    /// `RuntimeDefault`, or nil for none (Kubernetes' `Unconfined`, its default without the kubelet's
    /// `--seccomp-default`).
    public var seccomp: String?

    public init(
        privileged: Bool = false, capabilities: [String] = ContainerSecurity.defaultCapabilities,
        noNewPrivileges: Bool = false, readOnlyRootFilesystem: Bool = false, seccomp: String? = nil
    ) {
        self.privileged = privileged
        self.capabilities = capabilities
        self.noNewPrivileges = noNewPrivileges
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.seccomp = seccomp
    }

    /// Every capability Linux defines, by number (`CAP_CHOWN` is 0).
    public static let allCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// What a container holds unless it says otherwise: Docker's and containerd's default set.
    public static let defaultCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE",
        "CAP_SETFCAP",
    ]

    /// The capabilities as a bit mask, bit N for capability N.
    public var capabilityMask: UInt64 {
        capabilities.reduce(0) { mask, name in
            guard let bit = Self.allCapabilities.firstIndex(of: name) else { return mask }
            return mask | (1 << UInt64(bit))
        }
    }

    /// Resolves a container's security context over its pod's, as the kubelet and containerd do; throws for what
    /// the runtime cannot do (an unknown capability, a `Localhost` seccomp profile).
    public static func resolve(_ container: Container, pod: PodSpec) throws(ContainerEnvironment.ConfigError)
        -> ContainerSecurity
    {
        let context = container.securityContext
        var security = ContainerSecurity()
        security.privileged = context?.privileged == true
        security.noNewPrivileges = context?.allowPrivilegeEscalation == false && !security.privileged
        security.readOnlyRootFilesystem = context?.readOnlyRootFilesystem == true
        if security.privileged {
            security.capabilities = allCapabilities
        } else {
            func names(_ list: [String]?) throws(ContainerEnvironment.ConfigError) -> [String] {
                var result: [String] = []
                for raw in list ?? [] {
                    let name = raw.uppercased().hasPrefix("CAP_") ? raw.uppercased() : "CAP_" + raw.uppercased()
                    guard name == "CAP_ALL" || allCapabilities.contains(name) else {
                        throw ContainerEnvironment.ConfigError(
                            "container \(container.name): unknown capability \"\(raw)\" in securityContext.capabilities"
                        )
                    }
                    result.append(name)
                }
                return result
            }
            let add = try names(context?.capabilities?.add)
            let drop = try names(context?.capabilities?.drop)
            var kept = Set(drop.contains("CAP_ALL") ? [] : defaultCapabilities)
            kept.subtract(drop)
            kept.formUnion(add.contains("CAP_ALL") ? allCapabilities : add.filter { $0 != "CAP_ALL" })
            security.capabilities = allCapabilities.filter { kept.contains($0) }
        }
        let profile = context?.seccompProfile ?? pod.securityContext?.seccompProfile
        switch profile?.type {
        case nil, "Unconfined": security.seccomp = nil
        case "RuntimeDefault": security.seccomp = security.privileged ? nil : "RuntimeDefault"
        case let other?:
            throw ContainerEnvironment.ConfigError(
                "container \(container.name): seccomp profile type \"\(other)\" is not supported by this runtime "
                    + "(RuntimeDefault and Unconfined are)")
        }
        return security
    }

    /// Kubernetes' `runAsNonRoot` check: the kubelet refuses to start a container that would run as root.
    /// `explicitUser` is the security context's `runAsUser`, `imageUser` the image's.
    public static func checkNonRoot(
        _ container: Container, pod: Pod, explicitUser: Int64?, imageUser: Int64?
    ) throws(ContainerEnvironment.ConfigError) {
        guard (container.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) == true else {
            return
        }
        let who =
            "(pod: \"\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))\", "
            + "container: \(container.name))"
        if explicitUser == 0 {
            throw ContainerEnvironment.ConfigError("container's runAsUser breaks non-root policy \(who)")
        }
        if explicitUser == nil, (imageUser ?? 0) == 0 {
            throw ContainerEnvironment.ConfigError("container has runAsNonRoot and image will run as root \(who)")
        }
    }
}
