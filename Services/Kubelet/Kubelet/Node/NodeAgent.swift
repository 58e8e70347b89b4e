public import Client
import Foundation
public import Logging
public import Schema
import Synchronization

/// Registers this kubelet's Node, writes its status every `nodeStatusUpdateFrequency`, and renews its Lease in
/// `kube-node-lease` every quarter of `nodeLeaseDuration`.
public final class NodeAgent: Sendable {
    private let configuration: KubeletConfiguration
    private let settings: NodeStatusBuilder.Settings
    private let client: KubusClient
    private let events: EventRecorder
    private let logger: Logger
    private let node = Mutex<Node?>(nil)

    public init(
        configuration: KubeletConfiguration, nodeIP: String, runtimeName: String, client: KubusClient,
        events: EventRecorder, logger: Logger
    ) {
        self.configuration = configuration
        settings = NodeStatusBuilder.Settings(
            nodeName: configuration.nodeName, nodeIP: nodeIP, hostname: configuration.nodeName,
            podCIDR: configuration.podCIDR, maxPods: configuration.maxPods, cpu: configuration.cpu,
            memory: configuration.memory, labels: configuration.nodeLabels, taints: configuration.registerWithTaints,
            runtimeName: runtimeName)
        self.client = client
        self.events = events
        self.logger = logger
    }

    private var metadata: Logger.Metadata { ["kubus.node": "\(configuration.nodeName)"] }

    /// The Node as last written.
    public var current: Node? { node.withLock { $0 } }

    /// Creates the Node, or updates an existing Node of this name; retries until the api answers.
    public func register() async throws {
        var delay: Duration = .milliseconds(200)
        while true {
            try Task.checkCancellation()
            do {
                try await registerOnce()
                return
            } catch let error as CancellationError {
                throw error
            } catch {
                logger.warning(
                    "node registration failed; retrying", metadata: metadata.merging(["kubus.error": "\(error)"]) { $1 }
                )
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func registerOnce() async throws {
        let facts = HostFacts.read(stateDirectory: configuration.stateDirectory)
        let now = Date()
        let existing: Node?
        do {
            existing = try await client.get(Node.self, namespace: nil, name: configuration.nodeName)
        } catch {
            guard error.isNotFound else { throw error }
            existing = nil
        }
        let desired = NodeStatusBuilder.node(existing: existing, settings: settings, facts: facts, now: now)
        var stored: Node
        if existing == nil {
            stored = try await client.create(desired)
            logger.info("node registered", metadata: metadata)
        } else {
            stored = try await client.update(desired)
            logger.info("node updated", metadata: metadata)
        }
        await events.record(
            stored, type: "Normal", reason: "Starting", message: "Starting kubelet.", action: "StartKubelet")
        let (status, transitions) = NodeStatusBuilder.status(
            previous: existing?.status, settings: settings, facts: facts, now: now)
        stored.status = status
        stored = try await client.updateStatus(stored)
        node.withLock { $0 = stored }
        for t in transitions {
            await events.record(stored, type: t.type, reason: t.reason, message: t.message, action: "NodeStatus")
        }
    }

    /// Writes the status every `nodeStatusUpdateFrequency` until cancelled.
    /// Writes the status every `nodeStatusUpdateFrequency`, and at once when a pressure condition flips (the
    /// host is checked every second).
    public func runStatusLoop() async {
        var lastWrite = ContinuousClock.now
        var lastSignals = Self.signals(HostFacts.read(stateDirectory: configuration.stateDirectory))
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            let signals = Self.signals(HostFacts.read(stateDirectory: configuration.stateDirectory))
            if signals != lastSignals || ContinuousClock.now - lastWrite >= configuration.nodeStatusUpdateFrequency {
                await updateStatus()
                lastWrite = ContinuousClock.now
                lastSignals = signals
            }
        }
    }

    /// Memory, disk and PID pressure, as the conditions see them.
    static func signals(_ facts: HostFacts) -> [Bool] {
        let (status, _) = NodeStatusBuilder.status(
            previous: nil,
            settings: NodeStatusBuilder.Settings(nodeName: "", nodeIP: "", hostname: "", podCIDR: ""),
            facts: facts, now: Date())
        return ["MemoryPressure", "DiskPressure", "PIDPressure"].map { type in
            status.conditions?.first { $0.type == type }?.status == "True"
        }
    }

    /// One status update, re-reading the Node on Conflict.
    public func updateStatus() async {
        let facts = HostFacts.read(stateDirectory: configuration.stateDirectory)
        for attempt in 0..<3 {
            guard var current = node.withLock({ $0 }) else { return }
            let (status, transitions) = NodeStatusBuilder.status(
                previous: current.status, settings: settings, facts: facts, now: Date())
            current.status = status
            do {
                let stored = try await client.updateStatus(current)
                node.withLock { $0 = stored }
                for t in transitions {
                    await events.record(
                        stored, type: t.type, reason: t.reason, message: t.message, action: "NodeStatus")
                }
                return
            } catch {
                if error.isNotFound {
                    // Someone deleted the Node: register again, as the kubelet does.
                    try? await registerOnce()
                    return
                }
                guard error.isConflict, attempt < 2,
                    let fresh = try? await client.get(Node.self, namespace: nil, name: configuration.nodeName)
                else {
                    logger.warning(
                        "node status update failed", metadata: metadata.merging(["kubus.error": "\(error)"]) { $1 })
                    return
                }
                node.withLock { $0 = fresh }
            }
        }
    }

    /// Renews the Lease `kube-node-lease/<node>` every quarter of its duration until cancelled.
    public func runLeaseLoop() async {
        let duration = configuration.nodeLeaseDuration
        while !Task.isCancelled {
            await renewLease()
            do { try await Task.sleep(for: duration / 4) } catch { return }
        }
    }

    /// Creates or renews the node's Lease once.
    public func renewLease() async {
        let name = configuration.nodeName
        let seconds = Int(configuration.nodeLeaseDuration.components.seconds)
        do {
            var lease: Lease
            do {
                lease = try await client.get(Lease.self, namespace: "kube-node-lease", name: name)
            } catch {
                guard error.isNotFound else { throw error }
                var fresh = Lease()
                fresh.metadata.name = name
                fresh.metadata.namespace = "kube-node-lease"
                if let node = current, let uid = node.metadata.uid {
                    fresh.metadata.ownerReferences = [
                        OwnerReference(apiVersion: "v1", kind: "Node", name: name, uid: uid)
                    ]
                }
                fresh.spec = LeaseSpec(holderIdentity: name, leaseDurationSeconds: seconds, renewTime: .now())
                _ = try await client.create(fresh)
                return
            }
            lease.spec.holderIdentity = name
            lease.spec.leaseDurationSeconds = seconds
            lease.spec.renewTime = .now()
            _ = try await client.update(lease)
        } catch {
            logger.warning("node lease renewal failed", metadata: metadata.merging(["kubus.error": "\(error)"]) { $1 })
        }
    }
}
