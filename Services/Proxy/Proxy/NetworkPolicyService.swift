public import Bus
public import Client
public import Logging
import Schema
public import ServiceLifecycle

/// Enforces NetworkPolicies in the kernel (netns mode), as a CNI plugin's policy agent does: watches
/// NetworkPolicies, Pods and Namespaces and keeps the table `ip kubus-netpol` in step. One runs per machine. Its
/// rules outlive it (pods stay isolated while it is swapped); `kubus-netpol cleanup` removes them.
public final class NetworkPolicyService: ServiceLifecycle.Service, Sendable {
    private let client: KubusClient
    private let endpoints: BusEndpoints
    private let logger: Logger
    private let tables: TableSynchronizer<NetworkPolicyModel>
    private let minSyncPeriod: Duration

    public init(
        client: KubusClient, endpoints: BusEndpoints, table: String = NetworkPolicyRules.defaultTable, nft: NFTables,
        minSyncPeriod: Duration = .milliseconds(20), logger: Logger
    ) {
        self.client = client
        self.endpoints = endpoints
        self.logger = logger
        self.minSyncPeriod = minSyncPeriod
        tables = TableSynchronizer(table: table, nft: nft, logger: logger)
    }

    public func run() async throws {
        let tables = self.tables
        let policies = Informer<NetworkPolicy>(source: client, endpoints: endpoints, logger: logger) { _ in
            tables.poke()
        }
        let pods = Informer<Pod>(source: client, endpoints: endpoints, logger: logger) { event in
            // Only what a policy can see matters: addresses, labels, namespace, phase.
            let old = event.old
            let pod = event.object
            if event.type != .modified || old?.status.podIP != pod.status.podIP
                || old?.metadata.labels != pod.metadata.labels
                || old?.status.phase != pod.status.phase
            {
                tables.poke()
            }
        }
        let namespaces = Informer<Namespace>(source: client, endpoints: endpoints, logger: logger) { _ in tables.poke()
        }
        let worker = try Worker(endpoints: endpoints, service: "netpol", capacity: 16)
        let table = tables.table
        let minSyncPeriod = self.minSyncPeriod
        await withDiscardingTaskGroup { group in
            group.addTask { try? await policies.run() }
            group.addTask { try? await pods.run() }
            group.addTask { try? await namespaces.run() }
            group.addTask {
                await worker.run { request in
                    guard request.type == "status" else {
                        return BusReply.failure(
                            code: 400, reason: "BadRequest", message: "netpol answers status, not \(request.type)")
                    }
                    var body = tables.status()
                    body["isolatedIngress"] = .int(Int64(tables.applied?.ingress.count ?? 0))
                    body["isolatedEgress"] = .int(Int64(tables.applied?.egress.count ?? 0))
                    return BusReply(code: 200, payload: body.encoded())
                }
            }
            group.addTask {
                await policies.waitForSync()
                await pods.waitForSync()
                await namespaces.waitForSync()
                self.logger.info(
                    "network policy caches synced", metadata: ["kubus.policies": "\(policies.list().count)"])
                await tables.run(
                    minPeriod: minSyncPeriod, fullPeriod: .seconds(30),
                    build: {
                        NetworkPolicyModel.build(
                            policies: policies.list(), pods: pods.list(), namespaces: namespaces.list())
                    },
                    render: { model, existing in NetworkPolicyRules.script(model, table: table, existing: existing) })
            }
            try? await gracefulShutdown()
            tables.finish()
            worker.close()
            group.cancelAll()
        }
        logger.info("network policy enforcer stopped; its rules stay until `kubus-netpol cleanup`")
    }
}
