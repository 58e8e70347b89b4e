public import Foundation
import Logging
public import Schema
import Wire

/// What a Service write claimed and what it gave up, so the caller can undo the one or finish the other.
struct ServiceAllocations: Sendable {
    var claimed: [(pool: ServiceAllocator.Pool, value: String)] = []
    var released: [(pool: ServiceAllocator.Pool, value: String)] = []
}

extension APIHandler {
    /// Kube-apiserver's Service REST logic around allocation: on update, fields that depended on the old type are
    /// dropped and values the user left out are kept (`patchAllocatedValues`); ip families are defaulted for this
    /// single-stack IPv4 cluster; the cluster IP, node ports and health-check node port are claimed (a requested
    /// value must be in range and free). Returns the object to store and what was claimed and released.
    func admitService(_ object: JSONValue, current: JSONValue?, name: String) async throws(APIError)
        -> (JSONValue, ServiceAllocations)
    {
        var service: Service
        do {
            service = try object.decode(as: Service.self)
        } catch {
            throw .internal("the service cannot be read back: \(error)")
        }
        let old = try current.map { (value: JSONValue) throws(APIError) -> Service in
            do { return try value.decode(as: Service.self) } catch { throw .internal("stored service: \(error)") }
        }
        let owner = ServiceAllocator.Owner(
            namespace: service.metadata.namespace ?? "default", name: name, uid: service.metadata.uid ?? "",
            at: Time(Date()).rawValue)
        if let old { Self.carryAllocatedValues(into: &service, from: old) }
        var errors: [FieldError] = []
        var allocations = ServiceAllocations()
        let type = service.spec.type ?? "ClusterIP"

        // Cluster IP.
        if type == "ExternalName" {
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
            service.spec.ipFamilies = nil
            service.spec.ipFamilyPolicy = nil
        } else {
            errors += Self.defaultIPFamilies(&service)
            let requested = service.spec.clusterIP.flatMap { $0.isEmpty ? nil : $0 } ?? service.spec.clusterIPs?.first
            let previous = old?.spec.clusterIP.flatMap { $0.isEmpty || $0 == "None" ? nil : $0 }
            if requested == "None" {
                if let previous {
                    errors.append(
                        .invalid("spec.clusterIPs[0]", .string("None"), "may not change once set (was \(previous))"))
                }
                service.spec.clusterIP = "None"
                service.spec.clusterIPs = ["None"]
            } else if let previous, requested == previous || requested == nil {
                service.spec.clusterIP = previous
                service.spec.clusterIPs = [previous]
            } else if let previous, let requested {
                errors.append(
                    .invalid("spec.clusterIPs[0]", .string(requested), "may not change once set (was \(previous))"))
            } else if errors.isEmpty {
                if let requested, IPv4(requested) == nil {
                    errors.append(
                        .invalid(
                            "spec.clusterIPs[0]", .string(requested),
                            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
                } else {
                    switch try await allocate(requested, in: serviceIPs, for: owner) {
                    case .success(let ip):
                        service.spec.clusterIP = ip
                        service.spec.clusterIPs = [ip]
                        allocations.claimed.append((serviceIPs, ip))
                    case .failure(.outOfRange):
                        errors.append(
                            .invalid(
                                "spec.clusterIPs[0]", .string(requested ?? ""),
                                "failed to allocate IP \(requested ?? ""): the provided IP (\(requested ?? "")) is not in the valid range. \(serviceIPs.rangeText)"
                            ))
                    case .failure(.taken):
                        errors.append(
                            FieldError(
                                kind: .invalid, field: "spec.clusterIPs", value: "[]string{\"\(requested ?? "")\"}",
                                detail: "failed to allocate IP \(requested ?? ""): provided IP is already allocated"))
                    case .failure(.full):
                        throw .internal("failed to allocate a serviceIP: range is full")
                    }
                }
            }
        }

        // Node ports.
        let needsNodePorts =
            type == "NodePort" || (type == "LoadBalancer" && service.spec.allocateLoadBalancerNodePorts != false)
        if type == "LoadBalancer", service.spec.allocateLoadBalancerNodePorts == nil {
            service.spec.allocateLoadBalancerNodePorts = true
        }
        let oldPorts = Set((old?.spec.ports ?? []).compactMap(\.nodePort).map(String.init))
        var ports = service.spec.ports ?? []
        for index in ports.indices {
            let requested = ports[index].nodePort.flatMap { $0 == 0 ? nil : String($0) }
            guard needsNodePorts || requested != nil else { continue }
            if let requested, oldPorts.contains(requested) { continue }
            if let requested, ports[..<index].contains(where: { $0.nodePort.map(String.init) == requested }) {
                continue
            }
            switch try await allocate(requested, in: nodePorts, for: owner) {
            case .success(let port):
                ports[index].nodePort = Int(port)
                allocations.claimed.append((nodePorts, port))
            case .failure(.outOfRange):
                errors.append(
                    .invalid(
                        "spec.ports[\(index)].nodePort", .int(Int64(ports[index].nodePort ?? 0)),
                        "provided port is not in the valid range. \(nodePorts.rangeText)"))
            case .failure(.taken):
                errors.append(
                    .invalid(
                        "spec.ports[\(index)].nodePort", .int(Int64(ports[index].nodePort ?? 0)),
                        "provided port is already allocated"))
            case .failure(.full):
                throw .internal("failed to allocate a nodePort: range is full")
            }
        }
        if service.spec.ports != nil { service.spec.ports = ports }

        // The health-check node port of a LoadBalancer that keeps traffic on the node it arrives at.
        if type == "LoadBalancer", service.spec.externalTrafficPolicy == "Local" {
            let requested = service.spec.healthCheckNodePort.flatMap { $0 == 0 ? nil : String($0) }
            if requested == nil || requested != old?.spec.healthCheckNodePort.map(String.init) {
                switch try await allocate(requested, in: nodePorts, for: owner) {
                case .success(let port):
                    service.spec.healthCheckNodePort = Int(port)
                    allocations.claimed.append((nodePorts, port))
                case .failure(.full):
                    throw .internal("failed to allocate a nodePort: range is full")
                case .failure:
                    errors.append(
                        .invalid(
                            "spec.healthCheckNodePort", .int(Int64(service.spec.healthCheckNodePort ?? 0)),
                            "provided port is already allocated"))
                }
            }
        } else {
            service.spec.healthCheckNodePort = nil
        }

        if !errors.isEmpty {
            await giveBack(allocations.claimed, uid: owner.uid)
            throw .invalid(.service, name, errors)
        }
        if let old {
            let kept = Set(allocatedValues(of: service).map { "\($0.pool.kind)/\($0.value)" })
            allocations.released = allocatedValues(of: old).filter { !kept.contains("\($0.pool.kind)/\($0.value)") }
        }
        do {
            return (try JSONValue(encoding: service), allocations)
        } catch {
            await giveBack(allocations.claimed, uid: owner.uid)
            throw .internal("cannot encode the service: \(error)")
        }
    }

    /// Gives back what one write claimed.
    func giveBack(_ values: [(pool: ServiceAllocator.Pool, value: String)], uid: String?) async {
        for (pool, value) in values { await release(value, in: pool, ownedBy: uid) }
    }

    /// The cluster IP and node ports a stored Service holds.
    func allocatedValues(of service: Service) -> [(pool: ServiceAllocator.Pool, value: String)] {
        Self.allocatedValues(of: service, ips: serviceIPs, ports: nodePorts)
    }

    static func allocatedValues(
        of service: Service, ips: ServiceAllocator.Pool, ports: ServiceAllocator.Pool
    ) -> [(pool: ServiceAllocator.Pool, value: String)] {
        var values: [(pool: ServiceAllocator.Pool, value: String)] = []
        if let ip = service.spec.clusterIP, !ip.isEmpty, ip != "None" { values.append((ips, ip)) }
        for port in service.spec.ports ?? [] {
            if let nodePort = port.nodePort, nodePort != 0,
                !values.contains(where: { $0.value == String(nodePort) && $0.pool.kind == ports.kind })
            {
                values.append((ports, String(nodePort)))
            }
        }
        if let port = service.spec.healthCheckNodePort, port != 0 { values.append((ports, String(port))) }
        return values
    }

    /// The single-stack IPv4 defaults, and Kubernetes' refusals for what this cluster cannot do.
    static func defaultIPFamilies(_ service: inout Service) -> [FieldError] {
        var errors: [FieldError] = []
        let policy = service.spec.ipFamilyPolicy ?? "SingleStack"
        if policy == "RequireDualStack" {
            errors.append(
                .invalid(
                    "spec.ipFamilyPolicy", .string(policy), "this cluster is not configured for dual-stack services"))
        } else if !["SingleStack", "PreferDualStack"].contains(policy) {
            errors.append(
                .notSupported(
                    "spec.ipFamilyPolicy", policy, supported: ["PreferDualStack", "RequireDualStack", "SingleStack"]))
        }
        for (index, family) in (service.spec.ipFamilies ?? []).enumerated() where family != "IPv4" {
            errors.append(.invalid("spec.ipFamilies[\(index)]", .string(family), "not configured on this cluster"))
        }
        service.spec.ipFamilyPolicy = policy == "PreferDualStack" ? policy : "SingleStack"
        service.spec.ipFamilies = ["IPv4"]
        return errors
    }

    /// `carryAllocatedValues(into:from:)` on JSON, before validation sees the update.
    static func carryAllocatedValues(_ next: JSONValue, from current: JSONValue) -> JSONValue {
        guard var service = try? next.decode(as: Service.self), let old = try? current.decode(as: Service.self)
        else { return next }
        let before = service
        carryAllocatedValues(into: &service, from: old)
        guard service != before, let encoded = try? JSONValue(encoding: service) else { return next }
        return encoded
    }

    /// Kube's `dropTypeDependentFields` and `patchAllocatedValues`: on a type change, fields the new type does not
    /// use and the user did not touch go; values the user left out (cluster IP, node ports by port name, the
    /// health-check port) are kept from the stored service.
    static func carryAllocatedValues(into service: inout Service, from old: Service) {
        let type = service.spec.type ?? "ClusterIP"
        let oldType = old.spec.type ?? "ClusterIP"
        let needsNodePorts = { (s: Service) -> Bool in
            let t = s.spec.type ?? "ClusterIP"
            return t == "NodePort" || (t == "LoadBalancer" && s.spec.allocateLoadBalancerNodePorts != false)
        }
        if type == "ExternalName", oldType != "ExternalName", service.spec.clusterIP == old.spec.clusterIP {
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
        }
        if !needsNodePorts(service), needsNodePorts(old) {
            let oldByName = Dictionary(
                (old.spec.ports ?? []).map { ($0.name ?? "", $0.nodePort) }, uniquingKeysWith: { a, _ in a })
            service.spec.ports = service.spec.ports?.map { port in
                var port = port
                if port.nodePort == oldByName[port.name ?? ""] ?? nil { port.nodePort = nil }
                return port
            }
        }
        if type != "LoadBalancer" || service.spec.externalTrafficPolicy != "Local" {
            if service.spec.healthCheckNodePort == old.spec.healthCheckNodePort {
                service.spec.healthCheckNodePort = nil
            }
        }
        if type != "LoadBalancer", oldType == "LoadBalancer" {
            if service.spec.allocateLoadBalancerNodePorts == old.spec.allocateLoadBalancerNodePorts {
                service.spec.allocateLoadBalancerNodePorts = nil
            }
            if service.spec.loadBalancerClass == old.spec.loadBalancerClass { service.spec.loadBalancerClass = nil }
        }
        if type != "NodePort", type != "LoadBalancer",
            service.spec.externalTrafficPolicy == old.spec.externalTrafficPolicy
        {
            service.spec.externalTrafficPolicy = nil
        }
        guard type != "ExternalName" else { return }
        if (service.spec.clusterIP ?? "").isEmpty && (service.spec.clusterIPs ?? []).isEmpty,
            let ip = old.spec.clusterIP, !ip.isEmpty
        {
            service.spec.clusterIP = ip
            service.spec.clusterIPs = old.spec.clusterIPs ?? [ip]
        }
        if needsNodePorts(service), needsNodePorts(old) {
            let used = Set((service.spec.ports ?? []).compactMap(\.nodePort))
            let oldByName = Dictionary(
                (old.spec.ports ?? []).map { ($0.name ?? "", $0.nodePort) }, uniquingKeysWith: { a, _ in a })
            service.spec.ports = service.spec.ports?.map { port in
                var port = port
                if port.nodePort == nil || port.nodePort == 0, let previous = oldByName[port.name ?? ""] ?? nil,
                    !used.contains(previous)
                {
                    port.nodePort = previous
                }
                return port
            }
        }
        if service.spec.healthCheckNodePort == nil || service.spec.healthCheckNodePort == 0,
            type == "LoadBalancer", service.spec.externalTrafficPolicy == "Local"
        {
            service.spec.healthCheckNodePort = old.spec.healthCheckNodePort
        }
    }

    /// Gives back every value a deleted service held.
    func releaseAllocations(ofDeleted object: JSONValue) async {
        guard let service = try? object.decode(as: Service.self) else { return }
        await giveBack(allocatedValues(of: service), uid: service.metadata.uid)
    }

    // MARK: repair

    /// Kube-apiserver's allocation repair loops: gives back values whose owner is gone or no longer uses them
    /// (allocated more than `grace` ago, so a create in progress keeps its claim), and claims the values of
    /// stored services that hold none (a crash between claiming and writing, or a store from before allocations).
    public func repairServiceAllocations(grace: TimeInterval = 60) async throws(APIError) -> (
        released: Int, claimed: Int
    ) {
        var services: [String: Service] = [:]
        var after: String?
        repeat {
            let page: RangeResult
            do {
                page = try await store.range(
                    StoreRequest.Range(
                        prefix: RegistryKey.prefix(kind: "Service", namespace: nil), startAfter: after, limit: 500))
            } catch {
                throw .store(error)
            }
            for kv in page.kvs {
                if let service = try? JSONValue.parse(Array(kv.value.utf8)).decode(as: Service.self),
                    let uid = service.metadata.uid
                {
                    services[uid] = service
                }
            }
            after = page.more ? page.kvs.last?.key : nil
        } while after != nil
        var inUse = Set<String>()
        var claimed = 0
        for service in services.values {
            for (pool, value) in allocatedValues(of: service) {
                inUse.insert("\(pool.kind)/\(value)")
                let owner = ServiceAllocator.Owner(
                    namespace: service.metadata.namespace ?? "", name: service.metadata.name ?? "",
                    uid: service.metadata.uid ?? "", at: Time(Date()).rawValue)
                if try await allocationOwner(pool.prefix + value) == nil, try await claim(value, in: pool, for: owner) {
                    claimed += 1
                    logger.warning(
                        "service allocation repaired",
                        metadata: ["kubus.service": "\(owner.namespace)/\(owner.name)", "kubus.value": "\(value)"])
                }
            }
        }
        var released = 0
        let cutoff = Date().addingTimeInterval(-grace)
        for pool in [serviceIPs, nodePorts] {
            for allocation in try await allocations(pool) where !inUse.contains("\(pool.kind)/\(allocation.value)") {
                let at = allocation.owner.flatMap { Time(rawValue: $0.at).date } ?? .distantPast
                guard at < cutoff else { continue }
                await release(allocation.value, in: pool, ownedBy: allocation.owner?.uid)
                released += 1
            }
        }
        return (released, claimed)
    }
}
