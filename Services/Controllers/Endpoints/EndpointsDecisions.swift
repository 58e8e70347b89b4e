public import Schema

/// What the endpoints controller decides, without I/O: which pods back a Service, on which ports, and how its
/// Endpoints and EndpointSlices should look (Kubernetes' `pkg/controller/endpoint` and
/// `pkg/controller/endpointslice` reconcilers).
public enum EndpointsDecisions {
    /// The controller name Kubernetes' endpointslice controller puts in `endpointslice.kubernetes.io/managed-by`.
    public static let sliceManager = "endpointslice-controller.k8s.io"
    /// The name the mirroring controller uses, for slices mirrored from hand-written Endpoints.
    public static let mirrorManager = "endpointslicemirroring-controller.k8s.io"
    /// At most this many endpoints per slice (`--max-endpoints-per-slice`).
    public static let maxEndpointsPerSlice = 100
    /// The label that marks the Endpoints of a headless service.
    public static let headlessLabel = "service.kubernetes.io/headless"

    /// One backend pod with its address and readiness.
    public struct Backend: Hashable, Sendable {
        public var ip: String
        public var pod: Pod
        /// Resolved target ports, by service port index.
        public var ports: [EndpointSlicePort]
        public var ready: Bool
        public var serving: Bool
        public var terminating: Bool
        public var hostname: String?
    }

    /// The pods that back `service` (its selector; not finished; with an address), with the ports each serves.
    /// A pod that names no container port matching a named target port is left out of that port, as kube does.
    public static func backends(of service: Service, pods: [Pod]) -> [Backend] {
        guard let selector = service.spec.selector, !selector.isEmpty else { return [] }
        let publishNotReady = service.spec.publishNotReadyAddresses == true
        var result: [Backend] = []
        for pod in pods where pod.metadata.namespace == service.metadata.namespace {
            let labels = pod.metadata.labels ?? [:]
            guard selector.allSatisfy({ labels[$0.key] == $0.value }) else { continue }
            guard let ip = pod.status.podIP, !ip.isEmpty else { continue }
            if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { continue }
            let terminating = pod.metadata.deletionTimestamp != nil
            let podReady = pod.status.conditions?.first { $0.type == "Ready" }?.status == "True"
            var ports: [EndpointSlicePort] = []
            for servicePort in service.spec.ports ?? [] {
                let proto = servicePort.protocol ?? "TCP"
                guard let number = targetPort(servicePort, in: pod) else { continue }
                ports.append(
                    EndpointSlicePort(
                        name: servicePort.name ?? "", protocol: proto, port: number,
                        appProtocol: servicePort.appProtocol))
            }
            var hostname: String?
            if let name = pod.spec.hostname, !name.isEmpty, pod.spec.subdomain == service.metadata.name {
                hostname = name
            }
            result.append(
                Backend(
                    ip: ip, pod: pod, ports: ports, ready: publishNotReady || (podReady && !terminating),
                    serving: publishNotReady || podReady, terminating: terminating, hostname: hostname))
        }
        return result.sorted {
            $0.ip < $1.ip || ($0.ip == $1.ip && ($0.pod.metadata.name ?? "") < ($1.pod.metadata.name ?? ""))
        }
    }

    /// The pod's port a service port targets: a number as given, a name looked up among the pod's containers'
    /// ports of the same protocol; nil when the pod has no such named port.
    public static func targetPort(_ port: ServicePort, in pod: Pod) -> Int? {
        switch port.targetPort ?? .int(port.port) {
        case .int(let number): return number == 0 ? port.port : number
        case .string(let name):
            if let number = Int(name) { return number }
            let proto = port.protocol ?? "TCP"
            for container in pod.spec.containers {
                for containerPort in container.ports ?? [] where containerPort.name == name {
                    if (containerPort.protocol ?? "TCP") == proto { return containerPort.containerPort }
                }
            }
            return nil
        }
    }

    /// The Endpoints subsets, repacked as kube's `RepackSubsets`: addresses grouped by identical port sets, ready
    /// ones in `addresses`, others in `notReadyAddresses` (terminating pods left out unless published).
    public static func subsets(_ backends: [Backend], publishNotReady: Bool) -> [EndpointSubset] {
        var groups: [[EndpointSlicePort]: (ready: [EndpointAddress], notReady: [EndpointAddress])] = [:]
        var order: [[EndpointSlicePort]] = []
        for backend in backends where !backend.ports.isEmpty {
            if backend.terminating && !publishNotReady { continue }
            let key = backend.ports.sorted { ($0.name ?? "") < ($1.name ?? "") }
            let address = EndpointAddress(
                ip: backend.ip, hostname: backend.hostname, nodeName: backend.pod.spec.nodeName,
                targetRef: ObjectReference(
                    kind: "Pod", namespace: backend.pod.metadata.namespace, name: backend.pod.metadata.name,
                    uid: backend.pod.metadata.uid))
            if groups[key] == nil { order.append(key) }
            if backend.ready {
                groups[key, default: ([], [])].ready.append(address)
            } else {
                groups[key, default: ([], [])].notReady.append(address)
            }
        }
        return order.map { key in
            let group = groups[key]!
            return EndpointSubset(
                addresses: group.ready.isEmpty ? nil : group.ready,
                notReadyAddresses: group.notReady.isEmpty ? nil : group.notReady,
                ports: key.map {
                    EndpointPort(name: $0.name, port: $0.port ?? 0, protocol: $0.protocol, appProtocol: $0.appProtocol)
                })
        }
    }

    /// One endpoint of a slice for `backend`.
    public static func endpoint(_ backend: Backend) -> Endpoint {
        Endpoint(
            addresses: [backend.ip],
            conditions: EndpointConditions(
                ready: backend.ready, serving: backend.serving, terminating: backend.terminating),
            hostname: backend.hostname,
            targetRef: ObjectReference(
                kind: "Pod", namespace: backend.pod.metadata.namespace, name: backend.pod.metadata.name,
                uid: backend.pod.metadata.uid),
            nodeName: backend.pod.spec.nodeName)
    }

    /// What to do with a service's slices.
    public struct SlicePlan: Sendable, Equatable {
        public var create: [EndpointSlice] = []
        public var update: [EndpointSlice] = []
        public var delete: [EndpointSlice] = []
    }

    /// Kube's slice reconciler, simplified: endpoints grouped by port set; an endpoint stays in the slice that has
    /// it (updated in place), gone ones leave, new ones fill slices with room before new slices are made (at most
    /// `maxEndpointsPerSlice` each); slices left empty are deleted, except one empty slice for a service with no
    /// endpoints at all (as kube keeps a placeholder).
    public static func planSlices(
        desired: [(ports: [EndpointSlicePort], endpoint: Endpoint)], existing: [EndpointSlice], template: EndpointSlice
    ) -> SlicePlan {
        var plan = SlicePlan()
        var wanted: [[EndpointSlicePort]: [String: Endpoint]] = [:]
        for (ports, endpoint) in desired {
            wanted[ports, default: [:]][endpoint.addresses.first ?? ""] = endpoint
        }
        var slicesByPorts: [[EndpointSlicePort]: [EndpointSlice]] = [:]
        for slice in existing.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            slicesByPorts[slice.ports ?? [], default: []].append(slice)
        }
        // Port sets no longer wanted: their slices go (reused below for a placeholder when nothing is wanted).
        var spare: [EndpointSlice] = []
        for (ports, slices) in slicesByPorts where wanted[ports] == nil { spare += slices }
        for ports in wanted.keys.sorted(by: { $0.description < $1.description }) {
            var remaining = wanted[ports]!
            var slices = slicesByPorts[ports] ?? []
            for index in slices.indices {
                let before = slices[index]
                var kept: [Endpoint] = []
                for endpoint in before.endpoints ?? [] {
                    let ip = endpoint.addresses.first ?? ""
                    if let fresh = remaining.removeValue(forKey: ip) { kept.append(fresh) }
                }
                slices[index].endpoints = kept
            }
            // New endpoints fill slices with room, then new slices.
            let fresh = remaining.keys.sorted().map { remaining[$0]! }
            var cursor = 0
            for index in slices.indices where cursor < fresh.count {
                let room = maxEndpointsPerSlice - (slices[index].endpoints?.count ?? 0)
                guard room > 0 else { continue }
                let take = fresh[cursor..<min(fresh.count, cursor + room)]
                slices[index].endpoints = (slices[index].endpoints ?? []) + take
                cursor += take.count
            }
            for (index, slice) in slices.enumerated() {
                let original = (slicesByPorts[ports] ?? [])[index]
                if (slice.endpoints ?? []).isEmpty {
                    plan.delete.append(original)
                } else if slice != original || !sameLabels(original, template) {
                    var updated = slice
                    updated.metadata.labels = template.metadata.labels
                    updated.metadata.ownerReferences = template.metadata.ownerReferences
                    plan.update.append(updated)
                }
            }
            while cursor < fresh.count {
                var slice = template
                slice.ports = ports
                slice.endpoints = Array(fresh[cursor..<min(fresh.count, cursor + maxEndpointsPerSlice)])
                cursor += slice.endpoints!.count
                plan.create.append(slice)
            }
        }
        plan.delete += spare
        if wanted.isEmpty {
            // A service with no endpoints keeps one empty slice.
            if let keep = plan.delete.first {
                plan.delete.removeFirst()
                var placeholder = keep
                placeholder.endpoints = []
                placeholder.ports = []
                placeholder.metadata.labels = template.metadata.labels
                if placeholder != keep { plan.update.append(placeholder) }
            } else {
                var placeholder = template
                placeholder.endpoints = []
                placeholder.ports = []
                plan.create.append(placeholder)
            }
        }
        return plan
    }

    private static func sameLabels(_ a: EndpointSlice, _ b: EndpointSlice) -> Bool {
        a.metadata.labels == b.metadata.labels && a.metadata.ownerReferences == b.metadata.ownerReferences
    }
}
