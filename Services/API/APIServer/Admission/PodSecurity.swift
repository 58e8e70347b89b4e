import Schema

/// The Pod Security Standards, as Kubernetes' PodSecurity admission applies them: `privileged` allows anything,
/// `baseline` stops known privilege escalations, `restricted` adds the hardening best practices.
enum PodSecurityLevel: String, CaseIterable, Comparable, Sendable {
    case privileged, baseline, restricted

    static func < (a: Self, b: Self) -> Bool { a.order < b.order }
    private var order: Int { Self.allCases.firstIndex(of: self)! }
}

/// A level at a version, as a namespace's labels name it: `restricted:latest`, `baseline:v1.29`. Kubus checks
/// every version against the latest standard (the checks have only grown stricter with versions).
struct PodSecurityStandard: Hashable, Sendable, CustomStringConvertible {
    var level: PodSecurityLevel
    var version: String

    var description: String { "\(level.rawValue):\(version)" }
}

/// What a namespace's `pod-security.kubernetes.io/<mode>` labels ask for. A mode without a label is
/// `privileged:latest` (Kubernetes' default admission configuration); a value that does not parse — only a
/// namespace written before the label was checked could hold one — is evaluated as `restricted`, failing
/// closed as Kubernetes does.
struct PodSecurityLabels: Hashable, Sendable {
    static let prefix = "pod-security.kubernetes.io/"
    static let modes = ["enforce", "audit", "warn"]

    var enforce: PodSecurityStandard
    var audit: PodSecurityStandard
    var warn: PodSecurityStandard

    static let none = PodSecurityLabels(labels: [:])

    init(labels: [String: String]) {
        func standard(_ mode: String) -> PodSecurityStandard {
            let level = labels[Self.prefix + mode].map { PodSecurityLevel(rawValue: $0) ?? .restricted } ?? .privileged
            var version = labels[Self.prefix + mode + "-version"] ?? "latest"
            if !Self.validVersion(version) { version = "latest" }
            return PodSecurityStandard(level: level, version: version)
        }
        enforce = standard("enforce")
        audit = standard("audit")
        warn = standard("warn")
    }

    /// Whether every mode is `privileged`: nothing to check.
    var isPrivileged: Bool { enforce.level == .privileged && audit.level == .privileged && warn.level == .privileged }

    /// The errors in a namespace's Pod Security labels, each naming the label and what is allowed.
    static func validate(_ labels: [String: String]) -> [FieldError] {
        var errors: [FieldError] = []
        for mode in modes {
            let key = prefix + mode
            if let value = labels[key], PodSecurityLevel(rawValue: value) == nil {
                errors.append(
                    .notSupported(
                        "metadata.labels[\(key)]", value, supported: PodSecurityLevel.allCases.map(\.rawValue)))
            }
            if let value = labels[key + "-version"], !validVersion(value) {
                errors.append(
                    .invalid(
                        "metadata.labels[\(key)-version]", .string(value),
                        "must be \"latest\" or a Kubernetes minor version such as \"v1.30\""))
            }
        }
        return errors
    }

    static func validVersion(_ text: String) -> Bool {
        if text == "latest" { return true }
        guard text.hasPrefix("v1."), let minor = Int(text.dropFirst(3)), minor >= 0 else { return false }
        return String(minor) == text.dropFirst(3)
    }
}

/// One failed check: Kubernetes' reason (`privileged`) and what in the pod failed it.
struct PodSecurityViolation: Hashable, Sendable, CustomStringConvertible {
    var reason: String
    var detail: String

    var description: String { detail.isEmpty ? reason : "\(reason) (\(detail))" }
}

/// The checks of the Pod Security Standards over a typed pod spec, in Kubernetes' order: the baseline checks,
/// then the restricted ones (which replace baseline's capabilities and seccomp checks).
enum PodSecurityCheck {
    /// Capabilities a baseline container may add.
    static let baselineCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ]
    /// Sysctls a baseline pod may set: namespaced and safe.
    static let safeSysctls: Set<String> = [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    ]
    static let appArmorPrefix = "container.apparmor.security.beta.kubernetes.io/"

    /// What the pod (or template) breaks of the level; empty when it meets it.
    static func violations(
        of spec: PodSpec, annotations: [String: String], level: PodSecurityLevel
    ) -> [PodSecurityViolation] {
        guard level != .privileged else { return [] }
        let containers = (spec.initContainers ?? []) + spec.containers
        let restricted = level == .restricted
        var found: [PodSecurityViolation?] = [
            appArmor(annotations),
            restricted ? nil : baselineCapabilities(containers),
            hostNamespaces(spec),
            hostPathVolumes(spec),
            hostPorts(containers),
            privileged(containers),
            probeHosts(containers),
            restricted ? nil : baselineSeccomp(spec, containers),
            sysctls(spec),
        ]
        if restricted {
            found += [
                allowPrivilegeEscalation(containers),
                restrictedCapabilities(containers),
                restrictedVolumes(spec),
                runAsNonRoot(spec, containers),
                runAsUser(spec, containers),
                restrictedSeccomp(spec, containers),
            ]
        }
        return found.compactMap { $0 }
    }

    // MARK: baseline

    static func appArmor(_ annotations: [String: String]) -> PodSecurityViolation? {
        let bad = annotations.filter { key, value in
            key.hasPrefix(appArmorPrefix) && value != "runtime/default" && !value.hasPrefix("localhost/")
        }
        guard !bad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "forbidden AppArmor profile" + (bad.count == 1 ? "" : "s"),
            detail: bad.keys.sorted().map { "\($0)=\"\(bad[$0]!)\"" }.joined(separator: ", "))
    }

    static func baselineCapabilities(_ containers: [Container]) -> PodSecurityViolation? {
        var names: [String] = []
        var added: [String] = []
        for container in containers {
            let bad = (container.securityContext?.capabilities?.add ?? []).filter { !baselineCapabilities.contains($0) }
            guard !bad.isEmpty else { continue }
            names.append(container.name)
            added += bad.filter { !added.contains($0) }
        }
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "non-default capabilities",
            detail: "\(containerList(names)) must not include \(quoted(added)) in securityContext.capabilities.add")
    }

    static func hostNamespaces(_ spec: PodSpec) -> PodSecurityViolation? {
        let set = [("hostNetwork", spec.hostNetwork), ("hostPID", spec.hostPID), ("hostIPC", spec.hostIPC)]
            .filter { $0.1 == true }.map { "\($0.0)=true" }
        guard !set.isEmpty else { return nil }
        return PodSecurityViolation(reason: "host namespaces", detail: set.joined(separator: ", "))
    }

    static func hostPathVolumes(_ spec: PodSpec) -> PodSecurityViolation? {
        let names = (spec.volumes ?? []).filter { $0.hostPath != nil }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "hostPath volumes", detail: "\(names.count == 1 ? "volume" : "volumes") \(quoted(names))")
    }

    static func hostPorts(_ containers: [Container]) -> PodSecurityViolation? {
        var names: [String] = []
        var ports: [String] = []
        for container in containers {
            let used = (container.ports ?? []).compactMap(\.hostPort).filter { $0 != 0 }.map(String.init)
            guard !used.isEmpty else { continue }
            names.append(container.name)
            ports += used.filter { !ports.contains($0) }
        }
        guard !names.isEmpty else { return nil }
        let verb = names.count == 1 ? "uses" : "use"
        let noun = ports.count == 1 ? "hostPort" : "hostPorts"
        return PodSecurityViolation(
            reason: "hostPort",
            detail: "\(containerList(names)) \(verb) \(noun) \(ports.joined(separator: ", "))")
    }

    static func privileged(_ containers: [Container]) -> PodSecurityViolation? {
        let names = containers.filter { $0.securityContext?.privileged == true }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "privileged", detail: "\(containerList(names)) must not set securityContext.privileged=true")
    }

    /// Probes and lifecycle handlers may not reach another host (`host` unset or loopback).
    static func probeHosts(_ containers: [Container]) -> PodSecurityViolation? {
        var names: [String] = []
        var hosts: [String] = []
        for container in containers {
            let handlers: [(HTTPGetAction?, TCPSocketAction?)] =
                [container.livenessProbe, container.readinessProbe, container.startupProbe].map {
                    ($0?.httpGet, $0?.tcpSocket)
                } + [container.lifecycle?.postStart, container.lifecycle?.preStop].map { ($0?.httpGet, $0?.tcpSocket) }
            let bad = handlers.flatMap { [$0.0?.host, $0.1?.host] }.compactMap { $0 }
                .filter { !["", "127.0.0.1", "::1", "localhost"].contains($0) }
            guard !bad.isEmpty else { continue }
            names.append(container.name)
            hosts += bad.filter { !hosts.contains($0) }
        }
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "probe or lifecycle host",
            detail:
                "\(containerList(names)) \(names.count == 1 ? "uses" : "use") \(hosts.count == 1 ? "host" : "hosts") "
                + quoted(hosts))
    }

    static func baselineSeccomp(_ spec: PodSpec, _ containers: [Container]) -> PodSecurityViolation? {
        var parts: [String] = []
        if spec.securityContext?.seccompProfile?.type == "Unconfined" {
            parts.append("pod must not set securityContext.seccompProfile.type to \"Unconfined\"")
        }
        let names = containers.filter { $0.securityContext?.seccompProfile?.type == "Unconfined" }.map(\.name)
        if !names.isEmpty {
            parts.append("\(containerList(names)) must not set securityContext.seccompProfile.type to \"Unconfined\"")
        }
        guard !parts.isEmpty else { return nil }
        return PodSecurityViolation(reason: "seccompProfile", detail: parts.joined(separator: "; "))
    }

    static func sysctls(_ spec: PodSpec) -> PodSecurityViolation? {
        let bad = (spec.securityContext?.sysctls ?? []).map(\.name).filter { !safeSysctls.contains($0) }
        guard !bad.isEmpty else { return nil }
        return PodSecurityViolation(reason: "forbidden sysctls", detail: bad.joined(separator: ", "))
    }

    // MARK: restricted

    static func allowPrivilegeEscalation(_ containers: [Container]) -> PodSecurityViolation? {
        let names = containers.filter { $0.securityContext?.allowPrivilegeEscalation != false }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "allowPrivilegeEscalation != false",
            detail: "\(containerList(names)) must set securityContext.allowPrivilegeEscalation=false")
    }

    static func restrictedCapabilities(_ containers: [Container]) -> PodSecurityViolation? {
        var notDropping: [String] = []
        var adding: [String] = []
        var added: [String] = []
        for container in containers {
            let capabilities = container.securityContext?.capabilities
            if !(capabilities?.drop ?? []).contains("ALL") { notDropping.append(container.name) }
            let bad = (capabilities?.add ?? []).filter { $0 != "NET_BIND_SERVICE" }
            if !bad.isEmpty {
                adding.append(container.name)
                added += bad.filter { !added.contains($0) }
            }
        }
        var parts: [String] = []
        if !notDropping.isEmpty {
            parts.append("\(containerList(notDropping)) must set securityContext.capabilities.drop=[\"ALL\"]")
        }
        if !adding.isEmpty {
            parts.append(
                "\(containerList(adding)) must not include \(quoted(added)) in securityContext.capabilities.add")
        }
        guard !parts.isEmpty else { return nil }
        return PodSecurityViolation(reason: "unrestricted capabilities", detail: parts.joined(separator: "; "))
    }

    static func restrictedVolumes(_ spec: PodSpec) -> PodSecurityViolation? {
        var names: [String] = []
        var types: [String] = []
        for volume in spec.volumes ?? [] {
            let type: String? = volume.hostPath != nil ? "hostPath" : volume.nfs != nil ? "nfs" : nil
            guard let type else { continue }
            names.append(volume.name)
            if !types.contains(type) { types.append(type) }
        }
        guard !names.isEmpty else { return nil }
        let subject = names.count == 1 ? "volume \(quoted(names)) uses" : "volumes \(quoted(names)) use"
        return PodSecurityViolation(
            reason: "restricted volume types",
            detail: "\(subject) restricted volume type\(types.count == 1 ? "" : "s") \(quoted(types))")
    }

    static func runAsNonRoot(_ spec: PodSpec, _ containers: [Container]) -> PodSecurityViolation? {
        let pod = spec.securityContext?.runAsNonRoot
        var parts: [String] = []
        if pod == false { parts.append("pod must not set securityContext.runAsNonRoot=false") }
        let explicitlyFalse = containers.filter { $0.securityContext?.runAsNonRoot == false }.map(\.name)
        if !explicitlyFalse.isEmpty {
            parts.append("\(containerList(explicitlyFalse)) must not set securityContext.runAsNonRoot=false")
        }
        if pod != true {
            let unset = containers.filter { $0.securityContext?.runAsNonRoot == nil }.map(\.name)
            if !unset.isEmpty {
                parts.append("pod or \(containerList(unset)) must set securityContext.runAsNonRoot=true")
            }
        }
        guard !parts.isEmpty else { return nil }
        return PodSecurityViolation(reason: "runAsNonRoot != true", detail: parts.joined(separator: "; "))
    }

    static func runAsUser(_ spec: PodSpec, _ containers: [Container]) -> PodSecurityViolation? {
        var parts: [String] = []
        if spec.securityContext?.runAsUser == 0 { parts.append("pod must not set runAsUser=0") }
        let names = containers.filter { $0.securityContext?.runAsUser == 0 }.map(\.name)
        if !names.isEmpty { parts.append("\(containerList(names)) must not set runAsUser=0") }
        guard !parts.isEmpty else { return nil }
        return PodSecurityViolation(reason: "runAsUser=0", detail: parts.joined(separator: "; "))
    }

    static func restrictedSeccomp(_ spec: PodSpec, _ containers: [Container]) -> PodSecurityViolation? {
        let allowed = ["RuntimeDefault", "Localhost"]
        var parts: [String] = []
        let podType = spec.securityContext?.seccompProfile?.type
        if let podType, !allowed.contains(podType) {
            parts.append("pod must not set securityContext.seccompProfile.type to \"\(podType)\"")
        }
        let wrong = containers.filter { c in
            c.securityContext?.seccompProfile.map { !allowed.contains($0.type) } ?? false
        }
        .map(\.name)
        if !wrong.isEmpty {
            parts.append(
                "\(containerList(wrong)) must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
                    + "\"Localhost\"")
        }
        if podType.map({ !allowed.contains($0) }) ?? true {
            let unset = containers.filter { $0.securityContext?.seccompProfile == nil }.map(\.name)
            if !unset.isEmpty {
                parts.append(
                    "pod or \(containerList(unset)) must set securityContext.seccompProfile.type to "
                        + "\"RuntimeDefault\" or \"Localhost\"")
            }
        }
        guard !parts.isEmpty else { return nil }
        return PodSecurityViolation(reason: "seccompProfile", detail: parts.joined(separator: "; "))
    }

    // MARK: wording

    /// `container "a"` or `containers "a", "b"`.
    static func containerList(_ names: [String]) -> String {
        "\(names.count == 1 ? "container" : "containers") \(quoted(names))"
    }

    static func quoted(_ items: [String]) -> String { items.map { "\"\($0)\"" }.joined(separator: ", ") }

    /// `violates PodSecurity "restricted:latest": privileged (…), …`, with `would ` before it for warnings.
    static func message(_ standard: PodSecurityStandard, _ violations: [PodSecurityViolation], would: Bool) -> String {
        (would ? "would violate" : "violates") + " PodSecurity \"\(standard)\": "
            + violations.map(\.description).joined(separator: ", ")
    }
}
