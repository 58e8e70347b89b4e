import Foundation
import Schema
import Wire

/// Cluster IPs and node ports of Services, as kube-apiserver's allocators: each allocated value is a key of its own
/// in the store (`/kubus/allocations/serviceips/10.96.0.15`, `/kubus/allocations/nodeports/30080`) created only
/// if absent, so two api instances, or one after a restart, can never hand out the same value; the key names its
/// owner (namespace, name, uid), so a retried request finds its own allocation again instead of a conflict.
///
/// Values are drawn as Kubernetes draws them: the range is split in a lower band kept for values users ask for
/// (`clusterIP: 10.96.0.10`) and an upper band dynamic allocation tries first, at a random offset.
struct ServiceAllocator: Sendable {
    /// What an allocation key holds.
    struct Owner: Codable, Hashable, Sendable {
        var namespace: String
        var name: String
        var uid: String
        /// When it was allocated (RFC 3339), so the repair pass leaves young allocations alone.
        var at: String
    }

    /// A set of values an allocator hands out.
    struct Pool: Sendable {
        var kind: String
        var prefix: String
        /// How many values the pool has, and the value at an offset.
        var size: Int
        var value: @Sendable (Int) -> String
        /// The offset of a value, nil when it is outside the pool.
        var offset: @Sendable (String) -> Int?
        /// Values below this offset are tried by dynamic allocation only after the ones above.
        var staticBand: Int
        /// What the error says the pool is, e.g. `The range of valid IPs is 10.96.0.0/12`.
        var rangeText: String
    }

    static let root = "/kubus/allocations/"

    /// The cluster IPs of `range`, without its network and broadcast addresses (kube's `rangeSize - 2`).
    static func clusterIPs(_ range: CIDR) -> Pool {
        let size = Int(min(range.size, 1 << 24)) - 2
        return Pool(
            kind: "serviceips", prefix: root + "serviceips/", size: size,
            value: { range.host(UInt64($0 + 1))!.description },
            offset: { text in
                guard let ip = IPv4(text), range.contains(ip) else { return nil }
                let offset = Int(ip.value - range.network.value) - 1
                return (0..<size).contains(offset) ? offset : nil
            },
            staticBand: min(max(16, size / 16), 256),
            rangeText: "The range of valid IPs is \(range)")
    }

    /// The node ports of `range` (30000-32767 by default).
    static func nodePorts(_ range: ClosedRange<Int>) -> Pool {
        let size = range.count
        return Pool(
            kind: "nodeports", prefix: root + "nodeports/", size: size,
            value: { String(range.lowerBound + $0) },
            offset: { text in Int(text).flatMap { range.contains($0) ? $0 - range.lowerBound : nil } },
            staticBand: min(max(16, size / 32), 128),
            rangeText: "The range of valid ports is \(range.lowerBound)-\(range.upperBound)")
    }

    /// The order dynamic allocation tries offsets in: the upper band from a random point, then the lower band.
    static func dynamicOrder(_ pool: Pool, start: Int) -> [Range<Int>] {
        let upper = pool.staticBand..<pool.size
        guard !upper.isEmpty else { return [0..<pool.size] }
        let first = upper.lowerBound + (start % upper.count)
        return [first..<upper.upperBound, upper.lowerBound..<first, 0..<pool.staticBand]
    }
}

/// Why an allocation failed, turned into the field error Kubernetes gives.
enum AllocationFailure: Error {
    case outOfRange
    case taken
    case full
}

extension APIHandler {
    /// Claims `value` of `pool` for `owner`; succeeds when the owner (same uid) holds it already.
    func claim(_ value: String, in pool: ServiceAllocator.Pool, for owner: ServiceAllocator.Owner)
        async throws(APIError) -> Bool
    {
        let key = pool.prefix + value
        let text = (try? String(decoding: JSONEncoder().encode(owner), as: UTF8.self)) ?? "{}"
        let result = try await write(WriteRequest(key: key, operation: .put(value: text), precondition: .absent))
        if result.succeeded { return true }
        return try await allocationOwner(key)?.uid == owner.uid
    }

    /// The owner recorded under an allocation key, nil when the key is absent.
    func allocationOwner(_ key: String) async throws(APIError) -> ServiceAllocator.Owner? {
        let kv: KeyValue?
        do {
            kv = try await store.get(key).kv
        } catch {
            throw .store(error)
        }
        return kv.flatMap { try? JSONDecoder().decode(ServiceAllocator.Owner.self, from: Data($0.value.utf8)) }
    }

    /// Allocates a value of `pool`: `requested` when given (failing when it is outside the pool or taken), else a
    /// free one, the dynamic band first.
    func allocate(
        _ requested: String?, in pool: ServiceAllocator.Pool, for owner: ServiceAllocator.Owner
    ) async throws(APIError) -> Result<String, AllocationFailure> {
        if let requested {
            guard pool.offset(requested) != nil else { return .failure(.outOfRange) }
            return try await claim(requested, in: pool, for: owner) ? .success(requested) : .failure(.taken)
        }
        // A few random tries find a free value at once in any range that is not nearly full.
        let order = ServiceAllocator.dynamicOrder(pool, start: Int.random(in: 0..<max(1, pool.size)))
        var tried = Set<Int>()
        for offset in order.joined().prefix(8) {
            tried.insert(offset)
            if try await claim(pool.value(offset), in: pool, for: owner) { return .success(pool.value(offset)) }
        }
        // Then the whole pool, in the same order, against what is allocated.
        let taken = try await allocatedValues(pool)
        for offset in order.joined() where !tried.contains(offset) && !taken.contains(pool.value(offset)) {
            if try await claim(pool.value(offset), in: pool, for: owner) { return .success(pool.value(offset)) }
        }
        return .failure(.full)
    }

    /// Every value of `pool` allocated now.
    func allocatedValues(_ pool: ServiceAllocator.Pool) async throws(APIError) -> Set<String> {
        Set(try await allocations(pool).map(\.value))
    }

    /// Every allocation key of `pool` with its owner.
    func allocations(_ pool: ServiceAllocator.Pool) async throws(APIError) -> [(
        value: String, owner: ServiceAllocator.Owner?, key: String
    )] {
        var found: [(value: String, owner: ServiceAllocator.Owner?, key: String)] = []
        var after: String?
        repeat {
            let page: RangeResult
            do {
                page = try await store.range(StoreRequest.Range(prefix: pool.prefix, startAfter: after, limit: 1000))
            } catch {
                throw .store(error)
            }
            for kv in page.kvs {
                found.append(
                    (
                        String(kv.key.dropFirst(pool.prefix.count)),
                        try? JSONDecoder().decode(ServiceAllocator.Owner.self, from: Data(kv.value.utf8)), kv.key
                    ))
            }
            after = page.more ? page.kvs.last?.key : nil
        } while after != nil
        return found
    }

    /// Gives back a value if `uid` (or, with nil, anyone) holds it.
    func release(_ value: String, in pool: ServiceAllocator.Pool, ownedBy uid: String?) async {
        let key = pool.prefix + value
        guard let kv = try? await store.get(key).kv else { return }
        if let uid {
            let owner = try? JSONDecoder().decode(ServiceAllocator.Owner.self, from: Data(kv.value.utf8))
            guard owner?.uid == uid else { return }
        }
        _ = try? await store.write(
            WriteRequest(key: key, operation: .delete, precondition: .modRevision(kv.modRevision)))
    }
}
