import Foundation
import Schema

/// Kubernetes' LimitRanger admission over a namespace's LimitRanges: a new pod's containers get the `default`
/// limits and `defaultRequest` requests they do not set (recorded in the `kubernetes.io/limit-ranger`
/// annotation), then every `Container`, `Pod` and `PersistentVolumeClaim` item's `min`, `max` and
/// `maxLimitRequestRatio` must hold, in Kubernetes' words.
enum LimitRanger {
    static let annotation = "kubernetes.io/limit-ranger"

    /// Sets the defaults of every Container item on the pod's containers; what was set, in Kubernetes' words
    /// (`LimitRanger plugin set: cpu, memory request for container app; …`), or nil when nothing was.
    static func applyDefaults(_ pod: inout Pod, _ ranges: [LimitRange]) -> String? {
        let items = ranges.flatMap(\.spec.limits).filter { $0.type == LimitRangeItem.container }
        guard !items.isEmpty else { return nil }
        var said: [String] = []
        func fill(_ container: inout Container) {
            var resources = container.resources ?? ResourceRequirements()
            var requests = resources.requests ?? [:]
            var limits = resources.limits ?? [:]
            var setRequests: [String] = []
            var setLimits: [String] = []
            for item in items {
                for (name, value) in item.defaultRequest ?? [:] where requests[name] == nil {
                    requests[name] = value
                    setRequests.append(name)
                }
                for (name, value) in item.default ?? [:] where limits[name] == nil {
                    limits[name] = value
                    setLimits.append(name)
                }
            }
            guard !setRequests.isEmpty || !setLimits.isEmpty else { return }
            resources.requests = requests.isEmpty ? nil : requests
            resources.limits = limits.isEmpty ? nil : limits
            container.resources = resources
            if !setRequests.isEmpty {
                said.append("\(setRequests.sorted().joined(separator: ", ")) request for container \(container.name)")
            }
            if !setLimits.isEmpty {
                said.append("\(setLimits.sorted().joined(separator: ", ")) limit for container \(container.name)")
            }
        }
        for i in pod.spec.containers.indices { fill(&pod.spec.containers[i]) }
        if var initContainers = pod.spec.initContainers {
            for i in initContainers.indices { fill(&initContainers[i]) }
            pod.spec.initContainers = initContainers
        }
        return said.isEmpty ? nil : "LimitRanger plugin set: " + said.joined(separator: "; ")
    }

    /// What the pod breaks of the Container and Pod items.
    static func violations(_ pod: Pod, _ ranges: [LimitRange]) -> [String] {
        var found: [String] = []
        let containers = pod.spec.containers + (pod.spec.initContainers ?? [])
        for item in ranges.flatMap(\.spec.limits) {
            switch item.type {
            case LimitRangeItem.container:
                for container in containers {
                    found += check(
                        item, "Container", requests: container.resources?.requests ?? [:],
                        limits: container.resources?.limits ?? [:])
                }
            case LimitRangeItem.pod:
                found += check(
                    item, "Pod", requests: QuotaUsage.podTotal(pod, \.requests),
                    limits: QuotaUsage.podTotal(pod, \.limits))
            default:
                break
            }
        }
        return found
    }

    /// What the claim breaks of the PersistentVolumeClaim items: its storage request against min and max.
    static func violations(_ claim: PersistentVolumeClaim, _ ranges: [LimitRange]) -> [String] {
        let requests = claim.spec.resources?.requests ?? [:]
        var found: [String] = []
        for item in ranges.flatMap(\.spec.limits) where item.type == LimitRangeItem.persistentVolumeClaim {
            for (name, minimum) in (item.min ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let request = requests[name] else {
                    found.append(
                        "minimum \(name) usage per PersistentVolumeClaim is \(minimum).  No request is specified")
                    continue
                }
                if request < minimum {
                    found.append(
                        "minimum \(name) usage per PersistentVolumeClaim is \(minimum), but request is \(request)")
                }
            }
            for (name, maximum) in (item.max ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let request = requests[name], request > maximum {
                    found.append(
                        "maximum \(name) usage per PersistentVolumeClaim is \(maximum), but request is \(request)")
                }
            }
        }
        return found
    }

    /// One item's bounds against one container's or pod's requests and limits (Kubernetes' minConstraint,
    /// maxConstraint and limitRequestRatioConstraint).
    static func check(
        _ item: LimitRangeItem, _ type: String, requests: [String: Quantity], limits: [String: Quantity]
    ) -> [String] {
        var found: [String] = []
        for (name, minimum) in (item.min ?? [:]).sorted(by: { $0.key < $1.key }) {
            let prefix = "minimum \(name) usage per \(type) is \(minimum)"
            guard let request = requests[name] else {
                found.append("\(prefix).  No request is specified")
                continue
            }
            if request < minimum {
                found.append("\(prefix), but request is \(request)")
            } else if let limit = limits[name], limit < minimum {
                found.append("\(prefix), but limit is \(limit)")
            }
        }
        for (name, maximum) in (item.max ?? [:]).sorted(by: { $0.key < $1.key }) {
            let prefix = "maximum \(name) usage per \(type) is \(maximum)"
            guard let limit = limits[name] else {
                found.append("\(prefix).  No limit is specified")
                continue
            }
            if limit > maximum {
                found.append("\(prefix), but limit is \(limit)")
            } else if let request = requests[name], request > maximum {
                found.append("\(prefix), but request is \(request)")
            }
        }
        for (name, ratio) in (item.maxLimitRequestRatio ?? [:]).sorted(by: { $0.key < $1.key }) {
            let prefix = "\(name) max limit to request ratio per \(type) is \(ratio)"
            guard let request = requests[name], !request.isZero else {
                found.append("\(prefix), but no request is specified or request is 0")
                continue
            }
            guard let limit = limits[name], !limit.isZero else {
                found.append("\(prefix), but no limit is specified or limit is 0")
                continue
            }
            let observed = limit.doubleValue / request.doubleValue
            if observed > ratio.doubleValue {
                found.append("\(prefix), but provided ratio is \(String(format: "%f", observed))")
            }
        }
        return found
    }

    /// Kubernetes' aggregate of several errors: one as it is, more in brackets.
    static func aggregate(_ messages: [String]) -> String {
        messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]"
    }
}

extension APIHandler {
    /// LimitRanger for a new pod or claim: the object with the defaults set, or a 403 naming what it breaks.
    func admitLimitRanges(
        _ info: KindInfo, _ object: JSONValue, name: String, _ ranges: [LimitRange]
    ) throws(APIError) -> JSONValue {
        guard !ranges.isEmpty, info == .pod || info == .persistentVolumeClaim else { return object }
        if info == .persistentVolumeClaim {
            guard let claim = try? PersistentVolumeClaim.decode(from: object) else { return object }
            let broken = LimitRanger.violations(claim, ranges)
            if !broken.isEmpty { throw .forbidden(info, name, LimitRanger.aggregate(broken)) }
            return object
        }
        guard var pod = try? Pod.decode(from: object) else { return object }
        let said = LimitRanger.applyDefaults(&pod, ranges)
        let broken = LimitRanger.violations(pod, ranges)
        if !broken.isEmpty { throw .forbidden(info, name, LimitRanger.aggregate(broken)) }
        guard let said else { return object }
        var annotations = pod.metadata.annotations ?? [:]
        annotations[LimitRanger.annotation] = said
        pod.metadata.annotations = annotations
        // The QoS class follows the resources as set now; a default request above the container's own limit
        // is an invalid pod, as in Kubernetes.
        pod.status.qosClass = pod.spec.qosClass
        let errors = pod.validate()
        if !errors.isEmpty { throw .invalid(info, name, errors) }
        do {
            return try pod.jsonValue()
        } catch {
            throw Self.invalid(info, name, error)
        }
    }
}
