import Schema
import Wire

/// Kubernetes' ResourceQuota admission: a new object's usage is charged to every quota of its namespace that
/// tracks it, with a compare-and-swap on the quota's `status.used`, and refused (403) when a quota would be
/// exceeded or a pod does not say the resources a quota tracks. A new or changed quota's status is computed from
/// the namespace's objects before it is written, so it counts from its first moment; the resourcequota
/// controller gives back what deleted and finished objects used.
extension APIHandler {
    /// How often a charge is tried again after another write changed a quota in between.
    static let quotaChargeAttempts = 16

    /// The status a quota has now: its `hard`, and what the namespace's objects (and `including`, an object
    /// being created) use of it.
    func quotaStatus(
        _ quota: JSONValue, namespace: String, including: (KindInfo, JSONValue)? = nil
    ) async throws(APIError) -> JSONValue {
        guard let typed = try? ResourceQuota.decode(from: quota) else { return quota["status"] ?? [:] }
        var objects: [(KindInfo, JSONValue)] = including.map { [$0] } ?? []
        for info in QuotaUsage.kinds(for: (typed.spec.hard ?? [:]).keys) {
            for kv in try await stored(kind: info.kind, namespace: namespace).kvs {
                if let object = try? JSONValue.parse(kv.value) { objects.append((info, object)) }
            }
        }
        return [
            "hard": Self.quantities(typed.spec.hard ?? [:]),
            "used": Self.quantities(QuotaUsage.used(typed, objects: objects)),
        ]
    }

    static func quantities(_ list: [String: Quantity]) -> JSONValue {
        .object(list.mapValues { .string($0.description) })
    }

    /// Charges a new object to the quotas of its namespace that track it; on a dry run only checks.
    func chargeQuotas(
        _ info: KindInfo, _ object: JSONValue, name: String, namespace: String, dryRun: Bool
    ) async throws(APIError) {
        let usage = QuotaUsage.usage(of: info, object)
        guard !usage.isEmpty else { return }
        var charged: Set<String> = []
        for _ in 0..<Self.quotaChargeAttempts {
            let page = try await stored(kind: KindInfo.resourceQuota.kind, namespace: namespace)
            var lost = false
            for kv in page.kvs where !charged.contains(kv.key) {
                var stored = try Self.parseStored(kv)
                guard let quota = try? ResourceQuota.decode(from: stored), quota.metadata.deletionTimestamp == nil,
                    QuotaUsage.matches(quota, info, object)
                else { continue }
                let quotaName = quota.metadata.name ?? ""
                let hard = quota.spec.hard ?? [:]
                if info == .pod, let pod = try? Pod.decode(from: object) {
                    let missing = QuotaUsage.unspecified(pod, hard: hard.keys)
                    if !missing.isEmpty {
                        throw .forbidden(
                            info, name,
                            "failed quota: \(quotaName): must specify "
                                + missing.map { "\($0.resource) for: \($0.containers.joined(separator: ","))" }
                                .joined(separator: "; "))
                    }
                }
                let tracked = usage.filter { hard[$0.key] != nil }
                guard !tracked.isEmpty else { continue }
                var used = quota.status.used ?? [:]
                var exceeded: [String] = []
                for (resource, amount) in tracked.sorted(by: { $0.key < $1.key }) {
                    guard let current = used[resource] else {
                        throw .forbidden(info, name, "status unknown for quota: \(quotaName), resource: \(resource)")
                    }
                    if current + amount > hard[resource]! { exceeded.append(resource) }
                    used[resource] = current + amount
                }
                if !exceeded.isEmpty {
                    func list(_ values: [String: Quantity]) -> String {
                        exceeded.map { "\($0)=\(values[$0] ?? Quantity(0))" }.joined(separator: ",")
                    }
                    throw .forbidden(
                        info, name,
                        "exceeded quota: \(quotaName), requested: \(list(tracked)), used: "
                            + "\(list(quota.status.used ?? [:])), limited: \(list(hard))")
                }
                if dryRun { continue }
                stored[path: ["status", "used"]] = Self.quantities(used)
                let result = try await replace(
                    kv.key, at: kv.modRevision, with: .put(value: stored.encodedString()), requestID: nil)
                guard result.succeeded else {
                    lost = true
                    break
                }
                charged.insert(kv.key)
            }
            if !lost { return }
        }
        throw .conflict(info, name, "the namespace's ResourceQuotas kept changing; try again")
    }
}
