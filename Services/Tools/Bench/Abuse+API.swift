import Bus
import Client
import Foundation
import Schema

/// The api's abuse cases of issue 10: big lists, a 10 MB apply, unconditional patches on one hot object.
extension AbuseCatalog {
    static var apiCases: [AbuseCase] {
        [
            AbuseCase(
                name: "api-big-list",
                summary: "400 (quick: 20) ConfigMaps of 1,000,000 bytes in one namespace, a list without limit, an "
                    + "informer's list, then the namespace's deletion",
                bound: "a list or changes reply carries at most 8 MiB of objects; more comes with metadata.continue",
                run: bigList),
            AbuseCase(
                name: "api-big-apply",
                summary: "kubusctl apply of a 10 MB ConfigMap (the last-applied annotation doubles it)",
                bound: "kubusctl checks sizes before sending: the api's 422 at once; a request over the bus limit is "
                    + "a 413 from the client",
                run: bigApply),
            AbuseCase(
                name: "api-patch-storm",
                summary: "20,000 (quick: 2,000) merge patches without resourceVersion, 16 in flight, on one ConfigMap",
                bound: "an unconditional write is applied again after a conflict until it lands (10 s deadline)",
                run: patchStorm),
        ]
    }

    private static func seconds(_ d: Duration) -> String {
        String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    static func bigList(_ context: AbuseContext) async throws -> String {
        let client = context.client
        let count = context.quick ? 20 : 400
        let namespace = "abuse-list"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        let value = String(repeating: "x", count: 999_900)
        let created = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for i in stride(from: worker, to: count, by: 4) {
                        let object: JSONValue = [
                            "apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": [
                                "name": .string(String(format: "big-%04d", i)), "namespace": .string(namespace),
                            ],
                            "data": ["v": .string(value)],
                        ]
                        _ = try await client.create(object)
                    }
                }
            }
            try await group.waitForAll()
        }
        let createTime = ContinuousClock.now - created

        // What a client that asks for everything gets: pages of at most 8 MiB, the rest by continue.
        let listed = ContinuousClock.now
        var pages = 0
        var items = 0
        var first = 0
        var token: String?
        var largest = 0
        repeat {
            // The request as any client may send it (KubusClient.list itself would ask for pages of 500).
            var payload: JSONValue = ["kind": "ConfigMap", "namespace": .string(namespace)]
            if let token { payload["continue"] = .string(token) }
            let reply = try await client.bus.request(
                service: "api", type: "list", payload: payload.encoded(), timeout: .seconds(30))
            guard reply.code == 200 else {
                return
                    "list without limit answered \(reply.code): \(String(decoding: reply.payload.prefix(300), as: UTF8.self))"
            }
            largest = max(largest, reply.payload.count)
            let body = try JSONValue.parse(reply.payload)
            let count = body["items"]?.arrayValue?.count ?? 0
            if pages == 0 { first = count }
            pages += 1
            items += count
            token = body[path: ["metadata", "continue"]]?.stringValue
        } while token != nil
        let listTime = ContinuousClock.now - listed

        let informed = ContinuousClock.now
        let informer = try await client.informerList(kind: "ConfigMap", namespace: namespace)
        let informerTime = ContinuousClock.now - informed

        // The namespace's deletion, with its content deleted page by page as the namespace controller does.
        let deleting = ContinuousClock.now
        _ = try await client.delete(kind: "Namespace", namespace: nil, name: namespace)
        let deleted = try await deleteContent(client, namespace: namespace)
        var ns = try await client.get(kind: "Namespace", namespace: nil, name: namespace)
        ns[path: ["spec", "finalizers"]] = []
        _ = try await client.update(ns, subresource: "finalize")
        let gone = await isGone(client, namespace: namespace)
        let deleteTime = ContinuousClock.now - deleting

        return "\(count) created in \(seconds(createTime)); list without limit: \(items)/\(count) items in \(pages) "
            + "pages (first \(first), largest reply \(largest >> 20) MiB) in \(seconds(listTime)); informer list: \(informer.items.count) in "
            + "\(seconds(informerTime)); namespace deletion: \(deleted) deleted, namespace "
            + "\(gone ? "gone" : "still there") in \(seconds(deleteTime))"
    }

    /// Deletes every ConfigMap of `namespace`, a page of 100 at a time; returns how many.
    private static func deleteContent(_ client: KubusClient, namespace: String) async throws -> Int {
        var deleted = 0
        while true {
            let page = try await client.list(kind: "ConfigMap", namespace: namespace, limit: 100)
            if page.items.isEmpty { return deleted }
            for item in page.items {
                guard let name = item[path: ["metadata", "name"]]?.stringValue else { continue }
                _ = try await client.delete(kind: "ConfigMap", namespace: namespace, name: name)
                deleted += 1
            }
        }
    }

    private static func isGone(_ client: KubusClient, namespace: String) async -> Bool {
        do {
            _ = try await client.get(kind: "Namespace", namespace: nil, name: namespace)
            return false
        } catch {
            return error.isNotFound
        }
    }

    static func bigApply(_ context: AbuseContext) async throws -> String {
        let dir = context.cluster.dir
        let file = "\(dir)/big-apply.yaml"
        let body =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n  v: "
            + String(repeating: "x", count: 10_000_000) + "\n"
        try body.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let ctl = "\(BenchCluster.binaryFolder())/kubusctl"
        guard FileManager.default.isExecutableFile(atPath: ctl) else { return "kubusctl is not built: skipped" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ctl)
        process.arguments = ["--bus", context.cluster.endpoints.base, "apply", "-f", file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let started = ContinuousClock.now
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        let shown = firstLine.count > 220 ? String(firstLine.prefix(220)) + "…" : firstLine
        return "kubusctl apply exited \(process.terminationStatus) after \(seconds(elapsed)): \(shown)"
    }

    static func patchStorm(_ context: AbuseContext) async throws -> String {
        let client = context.client
        let total = context.quick ? 2_000 : 20_000
        let keys = 2_000
        let name = "abuse-hot"
        _ = try await client.create([
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"],
        ])
        let next = Counter()
        let started = ContinuousClock.now
        let (ok, failures) = await withTaskGroup(of: (Int, [String: Int]).self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var ok = 0
                    var failures: [String: Int] = [:]
                    while let i = next.take(below: total) {
                        let patch: JSONValue = ["data": .object(["k\(i % keys)": .string("v\(i)")])]
                        do {
                            _ = try await client.patch(
                                kind: "ConfigMap", namespace: "default", name: name, patch: patch)
                            ok += 1
                        } catch let error as APIError {
                            failures["\(error.code)", default: 0] += 1
                        } catch {
                            failures["other", default: 0] += 1
                        }
                    }
                    return (ok, failures)
                }
            }
            return await group.reduce(into: (0, [String: Int]())) { acc, part in
                acc.0 += part.0
                acc.1.merge(part.1, uniquingKeysWith: +)
            }
        }
        let elapsed = ContinuousClock.now - started
        let final = try await client.get(kind: "ConfigMap", namespace: "default", name: name)
        let present = final["data"]?.objectValue?.count ?? 0
        let failed = failures.values.reduce(0, +)
        let secs: Double = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Int(Double(total) / max(0.001, secs))
        let codes: [String] = failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let detail = codes.isEmpty ? "" : " (" + codes.joined(separator: ", ") + ")"
        return "\(ok)/\(total) applied, \(failed) failed\(detail); \(present)/\(min(total, keys)) keys in the final "
            + "object; \(rate) patches/s"
    }
}

/// Hands out 0, 1, 2, ... to concurrent workers.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
