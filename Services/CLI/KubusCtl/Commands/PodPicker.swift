import Client
import Foundation
import Schema

/// Which pods `logs` and `exec` use for a workload (`deploy/web`), as kubectl's polymorphic helpers pick them.
enum PodPicker {
    /// The label selector of an object's pods (kubectl's `SelectorsForObject`).
    static func selector(of object: JSONValue, info: KindInfo, verb: String) throws(CtlError) -> String {
        let name = "\(info.qualifiedResource) \"\(object.name)\""
        switch info.kind {
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
            guard let value = object.at("spec.selector"), let selector = try? value.decode(as: LabelSelector.self),
                !selector.isEmpty
            else { throw CtlError("cannot \(verb) \(name): it has no pod selector") }
            return selector.selectorString
        case "Service":
            guard let text = selectorText(object.stringMap("spec.selector")) else {
                throw CtlError("invalid service '\(object.name)': Service is defined without a selector")
            }
            return text
        default:
            throw CtlError("cannot \(verb) \(name): selector for \(info.kind) not implemented")
        }
    }

    /// The pods best for logs first (kubectl's `podutils.ByLogging`): assigned, running, ready, ready longest,
    /// most restarts, oldest.
    static func byLogging(_ pods: [JSONValue]) -> [JSONValue] {
        stableSorted(pods) { a, b in
            let (na, nb) = (a.str("spec.nodeName") ?? "", b.str("spec.nodeName") ?? "")
            if na != nb && (na.isEmpty || nb.isEmpty) { return !na.isEmpty }
            let rank: [String: Int] = ["Running": 0, "Unknown": 1, "Pending": 2]
            let (pa, pb) = (rank[a.str("status.phase") ?? ""] ?? 0, rank[b.str("status.phase") ?? ""] ?? 0)
            if pa != pb { return pa < pb }
            if isReady(a) != isReady(b) { return isReady(a) }
            if isReady(a), isReady(b), let ta = readyTime(a), let tb = readyTime(b), ta != tb { return ta < tb }
            if maxRestarts(a) != maxRestarts(b) { return maxRestarts(a) > maxRestarts(b) }
            return created(a) ?? .distantFuture < created(b) ?? .distantFuture
        }
    }

    /// The pods best to attach or exec to first (kubectl's `sort.Reverse(podutils.ActivePods)`): assigned, running,
    /// ready, ready longest, fewest restarts, oldest.
    static func byActivity(_ pods: [JSONValue]) -> [JSONValue] {
        stableSorted(pods) { a, b in
            let (na, nb) = (a.str("spec.nodeName") ?? "", b.str("spec.nodeName") ?? "")
            if na != nb && (na.isEmpty || nb.isEmpty) { return !na.isEmpty }
            let rank: [String: Int] = ["Pending": 0, "Unknown": 1, "Running": 2]
            let (pa, pb) = (rank[a.str("status.phase") ?? ""] ?? 0, rank[b.str("status.phase") ?? ""] ?? 0)
            if pa != pb { return pa > pb }
            if isReady(a) != isReady(b) { return isReady(a) }
            if isReady(a), isReady(b), let ta = readyTime(a), let tb = readyTime(b), ta != tb { return ta < tb }
            if maxRestarts(a) != maxRestarts(b) { return maxRestarts(a) < maxRestarts(b) }
            return created(a) ?? .distantFuture < created(b) ?? .distantFuture
        }
    }

    /// A target's pods: the pod itself, or the workload's pods (waiting up to `timeout` for one to exist),
    /// ordered by `order`.
    static func pods(
        for argument: String, namespace: String, verb: String, timeout: GoDuration, client: KubusClient,
        order: ([JSONValue]) -> [JSONValue]
    ) async throws -> [JSONValue] {
        let (info, name) = try target(argument)
        if info == .pod { return [try await client.get(kind: "Pod", namespace: namespace, name: name)] }
        let object = try await client.get(kind: info.kind, namespace: namespace, name: name)
        return try await pods(
            of: object, info: info, namespace: namespace, verb: verb, timeout: timeout, client: client, order: order)
    }

    /// A workload's pods (waiting up to `timeout` for one to exist), ordered by `order`.
    static func pods(
        of object: JSONValue, info: KindInfo, namespace: String, verb: String, timeout: GoDuration,
        client: KubusClient, order: ([JSONValue]) -> [JSONValue]
    ) async throws -> [JSONValue] {
        let selector = try Self.selector(of: object, info: info, verb: verb)
        let clock = ContinuousClock()
        let deadline = clock.now + (timeout.limit ?? .seconds(20))
        while true {
            let pods = try await client.list(kind: "Pod", namespace: namespace, labelSelector: selector).items
            if !pods.isEmpty { return order(pods) }
            guard clock.now < deadline else { throw CtlError("timed out waiting for the condition") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// `POD`, `pod/NAME` or `TYPE/NAME`.
    static func target(_ argument: String) throws(CtlError) -> (KindInfo, String) {
        guard let slash = argument.firstIndex(of: "/") else { return (.pod, argument) }
        let name = String(argument[argument.index(after: slash)...])
        guard !name.isEmpty else {
            throw CtlError("arguments in resource/name form must have a single resource and name")
        }
        return (try ResourceTypes.kind(String(argument[..<slash])), name)
    }

    static func isReady(_ pod: JSONValue) -> Bool {
        pod.list("status.conditions").contains { $0.str("type") == "Ready" && $0.str("status") == "True" }
    }

    static func readyTime(_ pod: JSONValue) -> Date? {
        pod.list("status.conditions").first { $0.str("type") == "Ready" }?.str("lastTransitionTime")
            .flatMap(AgeFormatter.parse)
    }

    static func maxRestarts(_ pod: JSONValue) -> Int64 {
        pod.list("status.containerStatuses").map { $0.int("restartCount") ?? 0 }.max() ?? 0
    }

    static func created(_ pod: JSONValue) -> Date? {
        pod.str("metadata.creationTimestamp").flatMap(AgeFormatter.parse)
    }

    private static func stableSorted(_ pods: [JSONValue], by less: (JSONValue, JSONValue) -> Bool) -> [JSONValue] {
        pods.enumerated().sorted { a, b in
            if less(a.element, b.element) { return true }
            if less(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}
