public import ArgumentParser
public import Kubelet
import Schema

/// The `--sim-*` flags of `kubus-kubelet --runtime sim`.
public struct SimOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("sim-nodes"), help: "With --runtime sim: how many nodes this process simulates.")
    public var nodes: Int = 1

    @Option(
        name: .customLong("sim-startup-millis"),
        help: "With --runtime sim: how long a bound pod waits before it is reported Running, in milliseconds.")
    public var startupMillis: Int = 0

    @Option(name: .customLong("sim-node-cpu"), help: "With --runtime sim: each node's CPU capacity.")
    public var cpu: String = "32"

    @Option(name: .customLong("sim-node-memory"), help: "With --runtime sim: each node's memory capacity.")
    public var memory: String = "256Gi"

    @Option(name: .customLong("sim-node-pods"), help: "With --runtime sim: how many pods each node takes.")
    public var pods: String = "110"

    @Option(
        name: .customLong("sim-index-offset"),
        help: "With --runtime sim: where this process's nodes start in the simulated address ranges.")
    public var indexOffset: Int = 0

    @Option(name: .customLong("sim-workers"), help: "With --runtime sim: concurrent pod status writers.")
    public var workers: Int = 32

    @Option(
        name: .customLong("sim-lease-renew-seconds"),
        help:
            "With --runtime sim: renew every node's Lease this often (kubelet: 10); longer eases the api in benchmarks."
    )
    public var leaseRenewSeconds: Int = 10

    public init() {}

    /// The configuration for node names `<prefix>-0 …`; throws a `ValidationError` naming the bad flag.
    public func configuration(prefix: String) throws -> SimKubeletConfiguration {
        var c = SimKubeletConfiguration()
        guard !prefix.isEmpty else {
            throw ValidationError("--node-name: must not be empty (it is the node name prefix)")
        }
        guard nodes >= 1, nodes + indexOffset <= SimAddresses.maxNodes else {
            throw ValidationError("--sim-nodes: must be between 1 and \(SimAddresses.maxNodes - indexOffset)")
        }
        guard indexOffset >= 0 else { throw ValidationError("--sim-index-offset: must be >= 0") }
        guard startupMillis >= 0 else { throw ValidationError("--sim-startup-millis: must be >= 0") }
        guard workers >= 1 else { throw ValidationError("--sim-workers: must be at least 1") }
        guard leaseRenewSeconds >= 1 else { throw ValidationError("--sim-lease-renew-seconds: must be at least 1") }
        c.leaseRenewInterval = .seconds(leaseRenewSeconds)
        // The Lease must outlive the interval between renewals, as kubelet's 40 s outlives its 10 s.
        c.leaseDurationSeconds = max(40, leaseRenewSeconds * 4)
        c.prefix = prefix
        c.nodeCount = nodes
        c.indexOffset = indexOffset
        c.startupDelay = .milliseconds(startupMillis)
        c.workers = workers
        c.cpu = try Self.quantity(cpu, flag: "--sim-node-cpu")
        c.memory = try Self.quantity(memory, flag: "--sim-node-memory")
        c.pods = try Self.quantity(pods, flag: "--sim-node-pods")
        return c
    }

    static func quantity(_ text: String, flag: String) throws -> Quantity {
        do {
            let q = try Quantity.parse(text)
            guard q.sign > 0 else { throw ValidationError("\(flag): must be greater than 0") }
            return q
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(flag): \"\(text)\" is not a quantity (e.g. 32, 500m, 256Gi)")
        }
    }
}
