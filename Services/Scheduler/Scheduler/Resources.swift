public import Schema

/// Amounts of compute resources as kube-scheduler counts them: millicores, bytes, and whole units for the rest.
public struct Resources: Sendable, Hashable {
    /// CPU in millicores.
    public var milliCPU: Int64
    /// Memory in bytes.
    public var memory: Int64
    /// Every other resource (ephemeral-storage in bytes, extended resources in units), by name.
    public var scalar: [String: Int64]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, scalar: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.scalar = scalar
    }

    /// Reads a `requests`/`allocatable` map; `pods` is not a resource a pod requests and is skipped.
    public init(_ list: [String: Quantity]?) {
        self.init()
        for (name, quantity) in list ?? [:] {
            switch name {
            case "cpu": milliCPU = quantity.milliValue
            case "memory": memory = quantity.value
            case "pods": continue
            default: scalar[name] = quantity.value
            }
        }
    }

    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        var result = lhs
        result += rhs
        return result
    }

    public static func += (lhs: inout Resources, rhs: Resources) {
        lhs.milliCPU += rhs.milliCPU
        lhs.memory += rhs.memory
        for (name, value) in rhs.scalar { lhs.scalar[name, default: 0] += value }
    }

    public static func -= (lhs: inout Resources, rhs: Resources) {
        lhs.milliCPU -= rhs.milliCPU
        lhs.memory -= rhs.memory
        for (name, value) in rhs.scalar { lhs.scalar[name, default: 0] -= value }
    }

    /// The larger amount of each resource.
    public func max(_ other: Resources) -> Resources {
        var result = Resources(milliCPU: Swift.max(milliCPU, other.milliCPU), memory: Swift.max(memory, other.memory))
        for name in Set(scalar.keys).union(other.scalar.keys) {
            result.scalar[name] = Swift.max(scalar[name] ?? 0, other.scalar[name] ?? 0)
        }
        return result
    }

    /// Whether nothing is requested.
    public var isZero: Bool { milliCPU == 0 && memory == 0 && scalar.values.allSatisfy { $0 == 0 } }

    // kube-scheduler's DefaultMilliCPURequest and DefaultMemoryRequest, used for scoring only.
    static let defaultMilliCPURequest: Int64 = 100
    static let defaultMemoryRequest: Int64 = 200 * 1024 * 1024
}

extension Resources {
    /// What `pod` requests, as Kubernetes computes it: the larger of the app containers' sum (plus sidecars)
    /// and the largest init container (plus the sidecars started before it), plus the pod overhead.
    public static func requests(of pod: Pod) -> Resources {
        requests(of: pod) { Resources($0.resources?.requests) }
    }

    /// Like `requests(of:)`, but a container without a cpu or memory request counts as 100m and 200Mi, as
    /// kube-scheduler's scoring does, so that empty requests still spread pods.
    public static func nonZeroRequests(of pod: Pod) -> Resources {
        requests(of: pod) { container in
            var r = Resources(container.resources?.requests)
            if container.resources?.requests?["cpu"] == nil { r.milliCPU = defaultMilliCPURequest }
            if container.resources?.requests?["memory"] == nil { r.memory = defaultMemoryRequest }
            return r
        }
    }

    private static func requests(of pod: Pod, _ request: (Container) -> Resources) -> Resources {
        var containers = Resources()
        for container in pod.spec.containers { containers += request(container) }
        var sidecars = Resources()
        var initMax = Resources()
        for container in pod.spec.initContainers ?? [] {
            let r = request(container)
            if container.restartPolicy == "Always" {
                // A sidecar keeps running next to everything started after it.
                sidecars += r
                initMax = initMax.max(sidecars)
            } else {
                initMax = initMax.max(r + sidecars)
            }
        }
        var total = (containers + sidecars).max(initMax)
        if let overhead = pod.spec.overhead { total += Resources(overhead) }
        return total
    }
}
