import ControllerKit
import Controllers
import Foundation
import Schema
import Testing

/// Node health from its Lease, the not-ready and unreachable taints, and when pods on a tainted node go.
struct NodeLifecycleDecisionsTests {
    typealias D = NodeLifecycleDecisions
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func node(ready: String? = "True", heartbeat: Date? = nil, taints: [Taint]? = nil) -> Node {
        var node = Node(metadata: ObjectMeta(name: "n1", creationTimestamp: Time(now.addingTimeInterval(-3600))))
        if let ready {
            node.status.conditions = [
                NodeCondition(
                    type: "Ready", status: ready, lastHeartbeatTime: heartbeat.map { Time($0) }, reason: "KubeletReady")
            ]
        }
        node.spec.taints = taints
        return node
    }

    func lease(renewed: Date) -> Lease {
        Lease(
            metadata: ObjectMeta(name: "n1", namespace: "kube-node-lease"),
            spec: LeaseSpec(renewTime: MicroTime(renewed)))
    }

    func pod(_ tolerations: [Toleration]? = nil) -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"))
        pod.spec.nodeName = "n1"
        pod.spec.tolerations = tolerations
        return pod
    }

    @Test func freshLeaseKeepsTheNodeAsItIs() {
        let conditions = D.conditionsAfterHealthCheck(
            node: node(), lease: lease(renewed: now.addingTimeInterval(-10)), gracePeriod: 40, now: now)
        #expect(conditions == nil)
    }

    @Test func staleLeaseMakesEveryKubeletConditionUnknown() throws {
        let conditions = try #require(
            D.conditionsAfterHealthCheck(
                node: node(heartbeat: now.addingTimeInterval(-100)), lease: lease(renewed: now.addingTimeInterval(-41)),
                gracePeriod: 40, now: now))
        let ready = try #require(conditions.first { $0.type == "Ready" })
        #expect(ready.status == "Unknown")
        #expect(ready.reason == "NodeStatusUnknown")
        #expect(ready.message == "Kubelet stopped posting node status.")
        #expect(Set(conditions.map(\.type)) == Set(D.kubeletConditions))
        #expect(conditions.allSatisfy { $0.status == "Unknown" })
    }

    @Test func aRecentHeartbeatCountsLikeALeaseRenewal() {
        let conditions = D.conditionsAfterHealthCheck(
            node: node(heartbeat: now.addingTimeInterval(-5)), lease: lease(renewed: now.addingTimeInterval(-100)),
            gracePeriod: 40, now: now)
        #expect(conditions == nil)
    }

    @Test func alreadyUnknownIsNotWrittenAgain() {
        var stale = node(ready: "Unknown")
        for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
            stale.status.conditions?.append(NodeCondition(type: type, status: "Unknown"))
        }
        #expect(D.conditionsAfterHealthCheck(node: stale, lease: nil, gracePeriod: 40, now: now) == nil)
    }

    @Test func unknownNodeGetsTheUnreachableTaints() throws {
        let taints = try #require(D.taintsAfterReadyChange(node(ready: "Unknown"), now: now))
        #expect(taints.count == 2)
        #expect(taints.allSatisfy { $0.key == D.unreachableTaintKey })
        #expect(Set(taints.map(\.effect)) == ["NoSchedule", "NoExecute"])
        #expect(taints.first { $0.effect == "NoExecute" }?.timeAdded == Time(now))
    }

    @Test func notReadyNodeSwapsUnreachableForNotReady() throws {
        let unreachable = Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now))
        let other = Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")
        let taints = try #require(
            D.taintsAfterReadyChange(node(ready: "False", taints: [other, unreachable]), now: now))
        #expect(taints.contains(other))
        #expect(!taints.contains { $0.key == D.unreachableTaintKey })
        #expect(taints.filter { $0.key == D.notReadyTaintKey }.count == 2)
    }

    @Test func readyNodeLosesOnlyTheControllersTaints() throws {
        let other = Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")
        let taints = try #require(
            D.taintsAfterReadyChange(
                node(taints: [other, Taint(key: D.unreachableTaintKey, effect: "NoExecute")]), now: now))
        #expect(taints == [other])
        #expect(D.taintsAfterReadyChange(node(taints: [other]), now: now) == nil)
    }

    @Test func unchangedTaintsKeepTheirTime() {
        let added = now.addingTimeInterval(-60)
        let taints = [
            Taint(key: D.unreachableTaintKey, effect: "NoSchedule"),
            Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(added)),
        ]
        #expect(D.taintsAfterReadyChange(node(ready: "Unknown", taints: taints), now: now) == nil)
    }

    @Test func deferredTaintingAddsOnlyNoScheduleAndKeepsAnExistingNoExecute() throws {
        let fresh = try #require(D.taintsAfterReadyChange(node(ready: "Unknown"), now: now, noExecute: .deferAdding))
        #expect(fresh == [Taint(key: D.unreachableTaintKey, effect: "NoSchedule")])
        // A node that already has the not-ready NoExecute taint swaps it for unreachable without waiting.
        let notReady = Taint(key: D.notReadyTaintKey, effect: "NoExecute", timeAdded: Time(now.addingTimeInterval(-30)))
        let swapped = try #require(
            D.taintsAfterReadyChange(node(ready: "Unknown", taints: [notReady]), now: now, noExecute: .deferAdding))
        #expect(Set(swapped.map(\.effect)) == ["NoSchedule", "NoExecute"])
        #expect(swapped.allSatisfy { $0.key == D.unreachableTaintKey })
    }

    @Test func masterDisruptionRemovesTheNoExecuteTaint() throws {
        let taints = [
            Taint(key: D.unreachableTaintKey, effect: "NoSchedule"),
            Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now.addingTimeInterval(-60))),
        ]
        let after = try #require(
            D.taintsAfterReadyChange(node(ready: "Unknown", taints: taints), now: now, noExecute: .remove))
        #expect(after == [Taint(key: D.unreachableTaintKey, effect: "NoSchedule")])
        #expect(D.taintsAfterReadyChange(node(ready: "Unknown", taints: after), now: now, noExecute: .remove) == nil)
    }

    @Test func zoneStatesAsKubeComputesThem() {
        #expect(D.zoneState(ready: 0, notReady: 1, unhealthyThreshold: 0.55) == .fullDisruption)
        #expect(D.zoneState(ready: 0, notReady: 0, unhealthyThreshold: 0.55) == .normal)
        // More than 2 not ready and at least 55 %.
        #expect(D.zoneState(ready: 1, notReady: 2, unhealthyThreshold: 0.55) == .normal)
        #expect(D.zoneState(ready: 2, notReady: 3, unhealthyThreshold: 0.55) == .partialDisruption)
        #expect(D.zoneState(ready: 3, notReady: 3, unhealthyThreshold: 0.55) == .normal)

        var a = node(ready: "True")
        a.metadata.labels = ["topology.kubernetes.io/region": "r1", "topology.kubernetes.io/zone": "a"]
        var b = node(ready: "Unknown")
        b.metadata.labels = ["topology.kubernetes.io/zone": "b"]
        let zones = D.zones([a, b, node(ready: "False")], unhealthyThreshold: 0.55)
        #expect(zones["r1:\u{0}:a"]?.state == .normal && zones["r1:\u{0}:a"]?.size == 1)
        #expect(zones[":\u{0}:b"]?.state == .fullDisruption)
        #expect(zones[""]?.state == .fullDisruption)

        let rates = D.EvictionRates()
        #expect(D.taintRate(.normal, zoneSize: 3, rates: rates) == 0.1)
        #expect(D.taintRate(.fullDisruption, zoneSize: 3, rates: rates) == 0.1)
        #expect(D.taintRate(.partialDisruption, zoneSize: 50, rates: rates) == 0)
        #expect(D.taintRate(.partialDisruption, zoneSize: 51, rates: rates) == 0.01)
    }

    @Test func taintLimiterAllowsOneThenOnePerInterval() {
        var limiter = D.TaintLimiter(rate: 0.1, now: now)
        /// Seconds after `now` until the next token, nil when one was taken.
        func take(_ rate: Double, at seconds: Double) -> Double? {
            limiter.take(rate: rate, now: now.addingTimeInterval(seconds)).map { $0.timeIntervalSince(now) }
        }
        #expect(take(0.1, at: 0) == nil, "burst of one")
        #expect(abs((take(0.1, at: 0) ?? 0) - 10) < 1e-6)
        #expect(abs((take(0.1, at: 4) ?? 0) - 10) < 1e-6)
        #expect(take(0.1, at: 10.001) == nil)
        // A new rate is a new, full bucket; rate 0 never gives a token.
        #expect(limiter.take(rate: 0, now: now.addingTimeInterval(11)) == .distantFuture)
        #expect(take(0.01, at: 12) == nil)
        #expect(abs((take(0.01, at: 12) ?? 0) - 112) < 1e-6)
    }

    @Test func podWithoutTolerationIsEvictedAtOnce() {
        let taint = Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now))
        #expect(D.eviction(of: pod(), taints: [taint], now: now) == .evictNow)
    }

    @Test func noScheduleTaintsEvictNobody() {
        let taint = Taint(key: D.unreachableTaintKey, effect: "NoSchedule")
        #expect(D.eviction(of: pod(), taints: [taint], now: now) == .keep)
    }

    @Test func tolerationSecondsCountFromTheTaintsTime() {
        let taint = Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now.addingTimeInterval(-2)))
        let toleration = Toleration(
            key: D.unreachableTaintKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: 5)
        #expect(D.eviction(of: pod([toleration]), taints: [taint], now: now) == .evictAt(now.addingTimeInterval(3)))
        #expect(D.eviction(of: pod([toleration]), taints: [taint], now: now.addingTimeInterval(3)) == .evictNow)
    }

    @Test func toleratingForEverKeepsThePod() {
        let taint = Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now))
        let forever = Toleration(operator: "Exists")
        #expect(D.eviction(of: pod([forever]), taints: [taint], now: now) == .keep)
    }

    @Test func theShortestTolerationOfAnyTaintWins() {
        let taints = [
            Taint(key: D.unreachableTaintKey, effect: "NoExecute", timeAdded: Time(now)),
            Taint(key: "maintenance", effect: "NoExecute", timeAdded: Time(now)),
        ]
        let tolerations = [
            Toleration(key: D.unreachableTaintKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300),
            Toleration(key: "maintenance", operator: "Exists", tolerationSeconds: 10),
        ]
        #expect(D.eviction(of: pod(tolerations), taints: taints, now: now) == .evictAt(now.addingTimeInterval(10)))
        #expect(D.eviction(of: pod(Array(tolerations.prefix(1))), taints: taints, now: now) == .evictNow)
    }

    @Test func noEvictionsWhenNoNodeIsReady() {
        #expect(!D.evictionsAllowed([node(ready: "Unknown"), node(ready: "False")]))
        #expect(D.evictionsAllowed([node(ready: "Unknown"), node(ready: "True")]))
    }

    @Test func readyPodsAreMarkedNotReadyOnce() throws {
        var status = PodStatus()
        status.conditions = [PodCondition(type: "Ready", status: "True")]
        let marked = try #require(D.markedNotReady(status, now: now))
        #expect(marked.first?.status == "False")
        status.conditions = marked
        #expect(D.markedNotReady(status, now: now) == nil)
    }
}
