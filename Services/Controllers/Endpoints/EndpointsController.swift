import Client
public import ControllerKit
import Foundation
import Logging
import Schema

/// Keeps every Service's Endpoints and EndpointSlices in step with the pods its selector picks, as Kubernetes'
/// endpoints, endpointslice and endpointslicemirroring controllers do together: ready addresses and
/// notReadyAddresses (`publishNotReadyAddresses` puts every one in the first), named and numeric target ports
/// resolved per pod, StatefulSet pods' hostnames (pod `hostname` with `subdomain` = the service), slices of at most
/// 100 endpoints labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`. A Service
/// without a selector keeps the Endpoints someone wrote by hand; they are mirrored into slices.
public final class EndpointsController: Controller {
    public static let name = "endpoints"

    private let context: ControllerContext
    private let services: SharedInformer<Service>
    private let pods: SharedInformer<Pod>
    private let endpoints: SharedInformer<Endpoints>
    private let slices: SharedInformer<EndpointSlice>

    public init(context: ControllerContext) {
        self.context = context
        services = context.informers.informer(Service.self)
        pods = context.informers.informer(Pod.self)
        endpoints = context.informers.informer(Endpoints.self)
        slices = context.informers.informer(EndpointSlice.self)
        services.addEventHandler { [context] event in await context.enqueue(ObjectKey.of(event.object)) }
        pods.addEventHandler { [self] event in await podEvent(event) }
        endpoints.addEventHandler { [context] event in await context.enqueue(ObjectKey.of(event.object)) }
        slices.addEventHandler { [context] event in
            let slice = event.object
            guard let service = slice.metadata.labels?[EndpointSlice.serviceNameLabel] else { return }
            await context.enqueue(ObjectKey.make(namespace: slice.metadata.namespace, name: service))
        }
    }

    public func resyncKeys() -> [String] { services.list().map { ObjectKey.of($0) } }

    /// A pod change matters to the services whose selector picks it, before or after the change.
    private func podEvent(_ event: InformerEvent<Pod>) async {
        let pod = event.object
        let labelSets = [pod.metadata.labels ?? [:]] + (event.old.map { [$0.metadata.labels ?? [:]] } ?? [])
        for service in services.list(namespace: pod.metadata.namespace) {
            guard let selector = service.spec.selector, !selector.isEmpty else { continue }
            if labelSets.contains(where: { labels in selector.allSatisfy { labels[$0.key] == $0.value } }) {
                await context.enqueue(ObjectKey.of(service))
            }
        }
    }

    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let namespace else { return }
        guard let service = services.get(key: key) else {
            // The service is gone: so are its Endpoints and our slices (their owner reference would take the slices
            // too, through the garbage collector).
            if endpoints.get(namespace: namespace, name: name) != nil {
                try await deleteIgnoringAbsence(Endpoints.self, namespace: namespace, name: name)
            }
            try await deleteSlices(namespace: namespace, service: name)
            return
        }
        if service.spec.type == "ExternalName" {
            // A name, not addresses: no slices.
            try await deleteSlices(namespace: namespace, service: name)
            return
        }
        if (service.spec.selector ?? [:]).isEmpty {
            // Hand-written Endpoints stay; they are mirrored into slices.
            let desired = Self.mirrored(endpoints.get(namespace: namespace, name: name))
            try await writeSlices(service, desired: desired, manager: EndpointsDecisions.mirrorManager)
        } else {
            let backends = EndpointsDecisions.backends(of: service, pods: pods.list(namespace: namespace))
            try await writeEndpoints(service, backends: backends)
            try await writeSlices(service, desired: Self.desired(backends), manager: EndpointsDecisions.sliceManager)
        }
    }

    /// The slice endpoints of the backends that serve at least one port.
    static func desired(_ backends: [EndpointsDecisions.Backend]) -> [(ports: [EndpointSlicePort], endpoint: Endpoint)]
    {
        var result: [(ports: [EndpointSlicePort], endpoint: Endpoint)] = []
        for backend in backends where !backend.ports.isEmpty {
            result.append((backend.ports, EndpointsDecisions.endpoint(backend)))
        }
        return result
    }

    /// The endpoints of hand-written Endpoints, as the mirroring controller turns them into slices.
    static func mirrored(_ object: Endpoints?) -> [(ports: [EndpointSlicePort], endpoint: Endpoint)] {
        var result: [(ports: [EndpointSlicePort], endpoint: Endpoint)] = []
        for subset in object?.subsets ?? [] {
            let ports = (subset.ports ?? []).map {
                EndpointSlicePort(
                    name: $0.name ?? "", protocol: $0.protocol ?? "TCP", port: $0.port, appProtocol: $0.appProtocol)
            }
            for (addresses, ready) in [(subset.addresses ?? [], true), (subset.notReadyAddresses ?? [], false)] {
                for address in addresses where IPv4(address.ip) != nil {
                    result.append(
                        (
                            ports,
                            Endpoint(
                                addresses: [address.ip],
                                conditions: EndpointConditions(ready: ready, serving: ready, terminating: false),
                                hostname: address.hostname, targetRef: address.targetRef, nodeName: address.nodeName)
                        ))
                }
            }
        }
        return result
    }

    private func writeEndpoints(_ service: Service, backends: [EndpointsDecisions.Backend]) async throws {
        let namespace = service.metadata.namespace ?? "default"
        let name = service.metadata.name ?? ""
        var labels = service.metadata.labels ?? [:]
        if service.spec.clusterIP == "None" { labels[EndpointsDecisions.headlessLabel] = "" }
        let subsets = EndpointsDecisions.subsets(
            backends, publishNotReady: service.spec.publishNotReadyAddresses == true)
        if var current = endpoints.get(namespace: namespace, name: name) {
            guard (current.subsets ?? []) != subsets || (current.metadata.labels ?? [:]) != labels else { return }
            current.subsets = subsets.isEmpty ? nil : subsets
            current.metadata.labels = labels.isEmpty ? nil : labels
            _ = try await context.client.update(current)
        } else {
            var created = Endpoints(metadata: ObjectMeta(name: name, namespace: namespace))
            created.metadata.labels = labels.isEmpty ? nil : labels
            created.subsets = subsets.isEmpty ? nil : subsets
            do {
                _ = try await context.client.create(created)
            } catch {
                // AlreadyExists: the informer has not seen it yet; the event that follows brings the key back.
                if !error.isAlreadyExists { throw error }
            }
        }
    }

    private func writeSlices(
        _ service: Service, desired: [(ports: [EndpointSlicePort], endpoint: Endpoint)], manager: String
    ) async throws {
        let namespace = service.metadata.namespace ?? "default"
        let name = service.metadata.name ?? ""
        let existing = slices.list(namespace: namespace).filter {
            $0.metadata.labels?[EndpointSlice.serviceNameLabel] == name
                && $0.metadata.labels?[EndpointSlice.managedByLabel] == manager
        }
        var template = EndpointSlice(metadata: ObjectMeta(generateName: name + "-", namespace: namespace))
        var labels = service.metadata.labels ?? [:]
        labels[EndpointSlice.serviceNameLabel] = name
        labels[EndpointSlice.managedByLabel] = manager
        if service.spec.clusterIP == "None" { labels[EndpointsDecisions.headlessLabel] = "" }
        template.metadata.labels = labels
        template.metadata.ownerReferences = [service.asControllerRef]
        let plan = EndpointsDecisions.planSlices(desired: desired, existing: existing, template: template)
        for slice in plan.create { _ = try await context.client.create(slice) }
        for slice in plan.update { _ = try await context.client.update(slice) }
        for slice in plan.delete {
            try await deleteIgnoringAbsence(EndpointSlice.self, namespace: namespace, name: slice.metadata.name ?? "")
        }
    }

    private func deleteIgnoringAbsence<T: KubeObject>(_ type: T.Type, namespace: String, name: String) async throws {
        do {
            try await context.client.delete(T.self, namespace: namespace, name: name)
        } catch {
            if !error.isNotFound { throw error }
        }
    }

    /// Deletes the slices this controller (or the mirroring) made for `service`.
    private func deleteSlices(namespace: String, service: String) async throws {
        for slice in slices.list(namespace: namespace)
        where slice.metadata.labels?[EndpointSlice.serviceNameLabel] == service {
            let manager = slice.metadata.labels?[EndpointSlice.managedByLabel]
            guard manager == EndpointsDecisions.sliceManager || manager == EndpointsDecisions.mirrorManager else {
                continue
            }
            try await deleteIgnoringAbsence(EndpointSlice.self, namespace: namespace, name: slice.metadata.name ?? "")
        }
    }
}
