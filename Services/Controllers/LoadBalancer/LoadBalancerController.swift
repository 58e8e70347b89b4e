import Client
public import ControllerKit
import Foundation
import Logging
public import Schema
import Synchronization

/// A local load balancer for Services of type LoadBalancer, as k3s' ServiceLB or MetalLB provide one: each gets an
/// address from a pool (`--lb-pool`, by default inside 127.0.0.0/8 so it is reachable from this machine only) in
/// `status.loadBalancer.ingress`, and kubus-proxy answers on it. Services that name a `loadBalancerClass` belong to
/// another implementation and are left alone, as Kubernetes requires of the default one.
public final class LoadBalancerController: Controller {
    public static let name = "loadbalancer"
    /// The pool when none is configured.
    public static let defaultPool = CIDR("127.0.100.0/24")!

    private let context: ControllerContext
    private let services: SharedInformer<Service>
    private let pool: CIDR
    /// The address this instance chose for each service (by key) and has not yet seen in its cache, so two
    /// workers reconciling two services at once never choose the same address before either status is read back.
    private let chosen = Mutex<[String: IPv4]>([:])

    public init(context: ControllerContext) throws {
        self.context = context
        let text = context.configuration.options["lb-pool"] ?? Self.defaultPool.description
        guard let pool = CIDR(text), pool.size >= 4 else {
            throw LoadBalancerError(
                "--lb-pool \"\(text)\" must be an IPv4 CIDR of at least 4 addresses, e.g. 127.0.100.0/24")
        }
        self.pool = pool
        services = context.informers.informer(Service.self)
        services.addEventHandler { [context] event in await context.enqueue(ObjectKey.of(event.object)) }
    }

    public func resyncKeys() -> [String] { services.list().map { ObjectKey.of($0) } }

    /// Whether this implementation serves `service`.
    static func serves(_ service: Service) -> Bool {
        service.spec.type == "LoadBalancer" && (service.spec.loadBalancerClass ?? "").isEmpty
            && service.metadata.deletionTimestamp == nil
    }

    public func reconcile(_ key: String) async throws {
        guard let service = services.get(key: key) else {
            _ = chosen.withLock { $0.removeValue(forKey: key) }
            return
        }
        let current = (service.status.loadBalancer?.ingress ?? []).compactMap { $0.ip.flatMap(IPv4.init) }
        guard Self.serves(service) else {
            _ = chosen.withLock { $0.removeValue(forKey: key) }
            // No longer ours (type or class changed): our address goes, unless another implementation set one.
            if service.spec.type != "LoadBalancer", current.contains(where: pool.contains) {
                _ = try await context.writeStatus(service) { $0.status.loadBalancer = nil }
            }
            return
        }
        if let ip = current.first, pool.contains(ip), !takenByOthers(ip, besides: service) {
            chosen.withLock { if $0[key] == ip { $0[key] = nil } }  // the cache holds it now
            return
        }
        guard let ip = allocate(for: service, key: key) else {
            await context.events.record(
                service, type: "Warning", reason: "AllocationFailed",
                message: "Failed to allocate IP for \"\(key)\": no available IPs in pool \(pool)", action: "Allocating")
            return
        }
        _ = try await context.writeStatus(service) {
            $0.status.loadBalancer = LoadBalancerStatus(ingress: [
                LoadBalancerIngress(ip: ip.description, ipMode: "VIP")
            ])
        }
        await context.events.record(
            service, type: "Normal", reason: "IPAllocated", message: "Assigned IP [\"\(ip)\"] from pool \(pool)",
            action: "Allocating")
    }

    /// Whether another served service holds `ip` too.
    private func takenByOthers(_ ip: IPv4, besides service: Service) -> Bool {
        services.list().contains { other in
            other.metadata.uid != service.metadata.uid && Self.serves(other)
                && (other.status.loadBalancer?.ingress ?? []).contains { $0.ip == ip.description }
        }
    }

    /// `spec.loadBalancerIP` when it is in the pool and free, else the first free address (network and broadcast
    /// addresses excluded); free means neither in another served service's status nor chosen for another service
    /// by this instance. The choice is recorded in the same step.
    private func allocate(for service: Service, key: String) -> IPv4? {
        chosen.withLock { chosen -> IPv4? in
            var taken = Set<IPv4>()
            for other in services.list() where other.metadata.uid != service.metadata.uid && Self.serves(other) {
                for ingress in other.status.loadBalancer?.ingress ?? [] {
                    if let ip = ingress.ip.flatMap(IPv4.init) { taken.insert(ip) }
                }
            }
            for (other, ip) in chosen where other != key { taken.insert(ip) }
            var found: IPv4?
            if let wanted = service.spec.loadBalancerIP.flatMap(IPv4.init) {
                found = pool.contains(wanted) && !taken.contains(wanted) ? wanted : nil
            } else {
                for offset in 1..<(pool.size - 1) {
                    if let ip = pool.host(offset), !taken.contains(ip) {
                        found = ip
                        break
                    }
                }
            }
            if let found { chosen[key] = found }
            return found
        }
    }
}

struct LoadBalancerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
