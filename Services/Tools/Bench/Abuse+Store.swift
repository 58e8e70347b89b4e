import Bus
import Client
import Foundation
import Schema
import Wire

/// Issue 10, item 6: the SQLite file gives space back after churn and after large objects are deleted.
extension AbuseCatalog {
    static var storeCases: [AbuseCase] {
        [
            AbuseCase(
                name: "store-churn",
                summary: "large live set, then 20,000 updates and 20,000 create/delete pairs, then compaction",
                bound: "after compaction the file (+WAL) is within 10 % of the live data, plus a request-ID table "
                    + "bounded by --max-request-ids",
                run: { context in try await StoreAbuse.churn(context) }),
            AbuseCase(
                name: "store-large-objects",
                summary: "400 ConfigMaps of 1,000,000 bytes created, then deleted, then compaction",
                bound:
                    "tombstones hold no value; compaction returns the pages (incremental vacuum) and truncates the WAL",
                run: { context in try await StoreAbuse.largeObjects(context) }),
        ]
    }
}

enum StoreAbuse {
    static func churn(_ context: AbuseContext) async throws -> String {
        let live = context.quick ? 40 : 200
        let liveBytes = 256 * 1024
        let updates = context.quick ? 2_000 : 20_000
        let pairs = context.quick ? 2_000 : 20_000
        let client = context.client
        // The live set: large objects that stay.
        try await parallel(live, workers: 8) { index in
            _ = try await client.create(configMap("churn-live-\(index)", bytes: liveBytes, tag: 0))
        }
        // Updates, round-robin over 100 small objects, one worker per object slice so none conflicts.
        let updated = 100
        try await parallel(updated, workers: 16) { index in
            var object = try await client.create(configMap("churn-upd-\(index)", bytes: 1024, tag: 0))
            var round = 1
            while (round - 1) * updated + index < updates {
                var next = configMap("churn-upd-\(index)", bytes: 1024, tag: round)
                next.metadata.resourceVersion = object.metadata.resourceVersion
                object = try await client.update(next)
                round += 1
            }
        }
        try await parallel(pairs, workers: 16) { index in
            _ = try await client.create(configMap("churn-tmp-\(index)", bytes: 1024, tag: 0))
            try await client.delete(ConfigMap.self, namespace: "default", name: "churn-tmp-\(index)")
        }
        let before = fileMiB(context)
        let compacted = try await compact(context)
        let after = fileMiB(context)
        let liveMiB = try await liveDataMiB(context)
        return String(
            format: "file+WAL %.1f MiB before compaction (rev %lld), %.1f MiB after; live data %.1f MiB "
                + "(%d keys); ratio %.2f",
            before, compacted, after, liveMiB.mib, liveMiB.keys, after / max(liveMiB.mib, 0.001))
    }

    static func largeObjects(_ context: AbuseContext) async throws -> String {
        let count = context.quick ? 40 : 400
        let client = context.client
        try await parallel(count, workers: 8) { index in
            _ = try await client.create(configMap("large-\(index)", bytes: 1_000_000, tag: 0))
        }
        let full = fileMiB(context)
        try await parallel(count, workers: 8) { index in
            try await client.delete(ConfigMap.self, namespace: "default", name: "large-\(index)")
        }
        let deleted = fileMiB(context)
        _ = try await compact(context)
        let after = fileMiB(context)
        let liveMiB = try await liveDataMiB(context)
        return String(
            format: "file+WAL %.1f MiB with %d objects, %.1f MiB after deleting them, %.1f MiB after compaction "
                + "(WAL %.1f MiB); live data %.2f MiB",
            full, count, deleted, after, AbuseMemory.fileMiB(context.databasePath + "-wal"), liveMiB.mib)
    }

    static func configMap(_ name: String, bytes: Int, tag: Int) -> ConfigMap {
        var object = ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"))
        let stamp = "\(tag)-"
        object.data = ["v": stamp + String(repeating: "x", count: max(0, bytes - stamp.count))]
        return object
    }

    static func fileMiB(_ context: AbuseContext) -> Double { AbuseMemory.fileMiB(context.databasePath) }

    /// Compacts all history at the store's current revision; returns that revision.
    static func compact(_ context: AbuseContext) async throws -> Int64 {
        let bus = context.client.bus
        let status = try await bus.request(service: "store", type: "status", payload: Array("{}".utf8))
        let revision = try JSONDecoder().decode(StoreStatus.self, from: Data(status.payload)).revision
        let payload = try JSONEncoder().encode(StoreRequest.Compact(revision: revision))
        let reply = try await bus.request(
            service: "store", type: "compact", payload: Array(payload), timeout: .seconds(120))
        guard reply.code == 200 else {
            throw BenchCluster.Failure("compaction failed: \(String(decoding: reply.payload, as: UTF8.self))")
        }
        try await Task.sleep(for: .seconds(1))
        return revision
    }

    /// Keys and values of every live key, read from the store page by page.
    static func liveDataMiB(_ context: AbuseContext) async throws -> (mib: Double, keys: Int) {
        var bytes = 0
        var keys = 0
        var after: String?
        var revision: Int64?
        while true {
            let request = StoreRequest.Range(prefix: "", revision: revision, startAfter: after)
            let reply = try await context.client.bus.request(
                service: "store", type: "range", payload: Array(try JSONEncoder().encode(request)))
            guard reply.code == 200 else {
                throw BenchCluster.Failure("range failed: \(String(decoding: reply.payload, as: UTF8.self))")
            }
            let page = try JSONDecoder().decode(RangeResult.self, from: Data(reply.payload))
            revision = page.revision
            for kv in page.kvs {
                bytes += kv.key.utf8.count + kv.value.utf8.count
                keys += 1
            }
            guard page.more, let last = page.kvs.last else { break }
            after = last.key
        }
        return (Double(bytes) / 1_048_576, keys)
    }

    /// Runs `body` for 0..<count on `workers` concurrent tasks.
    static func parallel(
        _ count: Int, workers: Int, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var index = worker
                    while index < count {
                        try await body(index)
                        index += workers
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
