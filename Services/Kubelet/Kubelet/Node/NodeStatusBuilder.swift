public import Foundation
public import Schema

/// Builds this node's Node object and status from the host's facts, as pure functions: capacity, allocatable,
/// addresses, system info, and the conditions with Kubernetes' heartbeat and transition semantics.
public enum NodeStatusBuilder {
    /// The kubelet's version, as `kubectl get nodes` shows it.
    public static let kubeletVersion = "v1.31.0-kubus"
    /// Memory below this is MemoryPressure (kubelet's default hard eviction threshold).
    public static let memoryPressureBytes: Int64 = 100 * 1024 * 1024
    /// Free disk below this fraction is DiskPressure.
    public static let diskPressureFraction = 0.10
    /// Free pids below this fraction of pid_max is PIDPressure.
    public static let pidPressureFraction = 0.10

    /// How this kubelet describes its node.
    public struct Settings: Sendable, Hashable {
        public var nodeName: String
        public var nodeIP: String
        public var hostname: String
        public var podCIDR: String
        public var maxPods: Int
        public var cpu: Quantity?
        public var memory: Quantity?
        public var labels: [String: String]
        public var taints: [Taint]
        public var runtimeName: String

        public init(
            nodeName: String, nodeIP: String, hostname: String, podCIDR: String, maxPods: Int = 110,
            cpu: Quantity? = nil, memory: Quantity? = nil, labels: [String: String] = [:], taints: [Taint] = [],
            runtimeName: String = "process"
        ) {
            self.nodeName = nodeName
            self.nodeIP = nodeIP
            self.hostname = hostname
            self.podCIDR = podCIDR
            self.maxPods = maxPods
            self.cpu = cpu
            self.memory = memory
            self.labels = labels
            self.taints = taints
            self.runtimeName = runtimeName
        }
    }

    /// An Event a condition change calls for (`NodeReady`, `NodeHasSufficientMemory`, ...).
    public struct Transition: Sendable, Hashable {
        public var type: String
        public var reason: String
        public var message: String
    }

    /// The Node to register, or `existing` updated with this kubelet's labels, taints, podCIDR and status.
    public static func node(existing: Node?, settings: Settings, facts: HostFacts, now: Date) -> Node {
        var node = existing ?? Node()
        node.metadata.name = settings.nodeName
        var labels = node.metadata.labels ?? [:]
        labels["kubernetes.io/hostname"] = settings.hostname
        labels["kubernetes.io/os"] = "linux"
        labels["kubernetes.io/arch"] = facts.architecture
        labels["beta.kubernetes.io/os"] = "linux"
        labels["beta.kubernetes.io/arch"] = facts.architecture
        for (k, v) in settings.labels { labels[k] = v }
        node.metadata.labels = labels
        if existing == nil || node.spec.podCIDR == nil {
            node.spec.podCIDR = settings.podCIDR
            node.spec.podCIDRs = [settings.podCIDR]
        }
        if existing == nil {
            // Registration taints only apply when the node is created, as in Kubernetes.
            node.spec.taints = settings.taints.isEmpty ? nil : settings.taints
        }
        node.status = status(previous: existing?.status, settings: settings, facts: facts, now: now).status
        return node
    }

    /// The status now; `transitions` lists the conditions whose status changed (all of them on the first call).
    public static func status(
        previous: NodeStatus?, settings: Settings, facts: HostFacts, now: Date
    ) -> (status: NodeStatus, transitions: [Transition]) {
        var status = previous ?? NodeStatus()
        let cpu = settings.cpu ?? Quantity(Int64(facts.cpuCores))
        let memory = settings.memory ?? Quantity(facts.memoryTotal, format: .binarySI)
        let storage = Quantity(facts.diskTotal, format: .binarySI)
        status.capacity = [
            "cpu": cpu, "memory": memory, "pods": Quantity(Int64(settings.maxPods)), "ephemeral-storage": storage,
        ]
        let allocatableMemory = max(0, memory.value - memoryPressureBytes)
        status.allocatable = [
            "cpu": cpu, "memory": Quantity(allocatableMemory, format: .binarySI),
            "pods": Quantity(Int64(settings.maxPods)),
            "ephemeral-storage": Quantity(
                Int64(Double(facts.diskTotal) * (1 - diskPressureFraction)), format: .binarySI),
        ]
        status.addresses = [
            NodeAddress(type: "InternalIP", address: settings.nodeIP),
            NodeAddress(type: "Hostname", address: settings.hostname),
        ]
        status.nodeInfo = NodeSystemInfo(
            machineID: facts.machineID, systemUUID: facts.machineID, bootID: facts.bootID,
            kernelVersion: facts.kernelVersion, osImage: facts.osImage,
            containerRuntimeVersion: "\(settings.runtimeName)://1", kubeletVersion: kubeletVersion,
            kubeProxyVersion: kubeletVersion, operatingSystem: "linux", architecture: facts.architecture)
        status.phase = nil
        status.daemonEndpoints = nil

        let memoryPressure = facts.memoryAvailable < memoryPressureBytes
        let diskPressure = facts.diskFreeFraction < diskPressureFraction
        let pidPressure = Double(facts.pidMax - facts.processes) < Double(facts.pidMax) * pidPressureFraction
        let heartbeat = Time(now)
        var conditions = status.conditions ?? []
        var transitions: [Transition] = []
        func set(_ type: String, _ value: Bool, _ reason: String, _ message: String, event: (String, String)) {
            let text = value ? "True" : "False"
            var c = NodeCondition(
                type: type, status: text, lastHeartbeatTime: heartbeat, lastTransitionTime: heartbeat, reason: reason,
                message: message)
            if let i = conditions.firstIndex(where: { $0.type == type }) {
                if conditions[i].status == text {
                    c.lastTransitionTime = conditions[i].lastTransitionTime ?? heartbeat
                } else {
                    transitions.append(
                        Transition(
                            type: event.0, reason: event.1,
                            message: "Node \(settings.nodeName) status is now: \(event.1)"))
                }
                conditions[i] = c
            } else {
                conditions.append(c)
                transitions.append(
                    Transition(
                        type: event.0, reason: event.1, message: "Node \(settings.nodeName) status is now: \(event.1)"))
            }
        }
        set(
            "MemoryPressure", memoryPressure,
            memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
            memoryPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available",
            event: memoryPressure ? ("Warning", "NodeHasInsufficientMemory") : ("Normal", "NodeHasSufficientMemory"))
        set(
            "DiskPressure", diskPressure, diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
            diskPressure ? "kubelet has disk pressure" : "kubelet has no disk pressure",
            event: diskPressure ? ("Warning", "NodeHasDiskPressure") : ("Normal", "NodeHasNoDiskPressure"))
        set(
            "PIDPressure", pidPressure, pidPressure ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
            pidPressure ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available",
            event: pidPressure ? ("Warning", "NodeHasInsufficientPID") : ("Normal", "NodeHasSufficientPID"))
        set(
            "Ready", true, "KubeletReady", "kubelet is posting ready status", event: ("Normal", "NodeReady"))
        status.conditions = conditions
        return (status, transitions)
    }

    /// Parses `k=v,k2=v2` (`--node-labels`).
    public static func parseLabels(_ text: String) throws(ContainerEnvironment.ConfigError) -> [String: String] {
        var labels: [String: String] = [:]
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .init("--node-labels: \"\(item)\" is not key=value")
            }
            labels[parts[0]] = parts[1]
        }
        return labels
    }

    /// Parses `k=v:Effect,k:Effect` (`--register-with-taints`).
    public static func parseTaints(_ text: String) throws(ContainerEnvironment.ConfigError) -> [Taint] {
        var taints: [Taint] = []
        for item in text.split(separator: ",") where !item.isEmpty {
            guard let colon = item.lastIndex(of: ":") else {
                throw .init("--register-with-taints: \"\(item)\" is not key=value:Effect")
            }
            let effect = String(item[item.index(after: colon)...])
            guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
                throw .init(
                    "--register-with-taints: effect \"\(effect)\" must be NoSchedule, PreferNoSchedule or NoExecute")
            }
            let kv = item[..<colon].split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = kv.first, !key.isEmpty else {
                throw .init("--register-with-taints: \"\(item)\" has no key")
            }
            taints.append(Taint(key: key, value: kv.count > 1 ? kv[1] : nil, effect: effect))
        }
        return taints
    }
}
