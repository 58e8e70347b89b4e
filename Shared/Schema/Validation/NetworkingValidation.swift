// Validation of EndpointSlice, IngressClass and NetworkPolicy, as Kubernetes' discovery and networking validation.

extension EndpointSlice {
    static let addressTypes = ["FQDN", "IPv4", "IPv6"]

    /// addressType supported and immutable; at most 1000 endpoints of 1 to 100 addresses each; ports named,
    /// numbered and unique.
    public func validateSpec(old: EndpointSlice?) -> [FieldError] {
        var errors: [FieldError] = []
        if !Self.addressTypes.contains(addressType) {
            errors.append(.notSupported("addressType", addressType, supported: Self.addressTypes))
        } else if let old, old.addressType != addressType {
            errors.append(.invalid("addressType", .string(addressType), "field is immutable"))
        }
        let all = endpoints ?? []
        if all.count > 1000 {
            errors.append(.invalid("endpoints", .int(Int64(all.count)), "must have at most 1000 items"))
        }
        for (index, endpoint) in all.enumerated() {
            let path = "endpoints".index(index)
            if endpoint.addresses.isEmpty || endpoint.addresses.count > 100 {
                errors.append(
                    .invalid(
                        path.child("addresses"), .int(Int64(endpoint.addresses.count)),
                        "must contain at least 1 and at most 100 addresses"))
            }
            if addressType == "IPv4" {
                for (i, address) in endpoint.addresses.enumerated() where IPv4(address) == nil {
                    errors.append(
                        .invalid(path.child("addresses").index(i), .string(address), "must be a valid IPv4 address"))
                }
            }
        }
        var names = Set<String>()
        for (index, port) in (ports ?? []).enumerated() {
            let path = "ports".index(index)
            let name = port.name ?? ""
            if names.contains(name) { errors.append(.duplicate(path.child("name"), .string(name))) }
            names.insert(name)
            if let number = port.port, !(1...65535).contains(number) {
                errors.append(
                    .invalid(path.child("port"), .int(Int64(number)), "must be between 1 and 65535, inclusive"))
            }
            let proto = port.protocol ?? "TCP"
            if !PodSpecValidation.protocols.contains(proto) {
                errors.append(.notSupported(path.child("protocol"), proto, supported: PodSpecValidation.protocols))
            }
        }
        return errors
    }
}

extension IngressClass {
    /// A controller name is required and immutable.
    public func validateSpec(old: IngressClass?) -> [FieldError] {
        guard let controller = spec.controller, !controller.isEmpty else { return [.required("spec.controller")] }
        if let old, old.spec.controller != controller {
            return [.invalid("spec.controller", .string(controller), "field is immutable")]
        }
        return []
    }
}

extension NetworkPolicy {
    static let policyTypes = ["Egress", "Ingress"]

    /// Selectors valid, policy types known and unique, ports and ipBlocks well formed.
    public func validateSpec(old: NetworkPolicy?) -> [FieldError] {
        var errors = spec.podSelector.validate(path: "spec.podSelector")
        var seen = Set<String>()
        for (index, type) in (spec.policyTypes ?? []).enumerated() {
            let path = "spec.policyTypes".index(index)
            if !Self.policyTypes.contains(type) {
                errors.append(.notSupported(path, type, supported: Self.policyTypes))
            } else if seen.contains(type) {
                errors.append(.duplicate(path, .string(type)))
            }
            seen.insert(type)
        }
        for (index, rule) in (spec.ingress ?? []).enumerated() {
            let path = "spec.ingress".index(index)
            errors += Self.validate(rule.ports ?? [], path: path.child("ports"))
            errors += Self.validate(rule.from ?? [], path: path.child("from"))
        }
        for (index, rule) in (spec.egress ?? []).enumerated() {
            let path = "spec.egress".index(index)
            errors += Self.validate(rule.ports ?? [], path: path.child("ports"))
            errors += Self.validate(rule.to ?? [], path: path.child("to"))
        }
        return errors
    }

    static func validate(_ ports: [NetworkPolicyPort], path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, port) in ports.enumerated() {
            let portPath = path.index(index)
            let proto = port.protocol ?? "TCP"
            if !PodSpecValidation.protocols.contains(proto) {
                errors.append(.notSupported(portPath.child("protocol"), proto, supported: PodSpecValidation.protocols))
            }
            if let value = port.port {
                errors += PodSpecValidation.validatePortNumberOrName(value, path: portPath.child("port"))
            }
            if let end = port.endPort {
                guard case .int(let start)? = port.port else {
                    errors.append(.required(portPath.child("port"), "may not be empty when `endPort` is specified"))
                    continue
                }
                if end < start {
                    errors.append(
                        .invalid(portPath.child("endPort"), .int(Int64(end)), "must be greater than or equal to `port`")
                    )
                }
            }
        }
        return errors
    }

    static func validate(_ peers: [NetworkPolicyPeer], path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, peer) in peers.enumerated() {
            let peerPath = path.index(index)
            let set = [peer.podSelector != nil || peer.namespaceSelector != nil, peer.ipBlock != nil].filter { $0 }
                .count
            if set == 0 {
                errors.append(.required(peerPath, "must specify a peer"))
            } else if set > 1 {
                errors.append(.forbidden(peerPath, "may not specify more than 1 peer type"))
            }
            if let selector = peer.podSelector { errors += selector.validate(path: peerPath.child("podSelector")) }
            if let selector = peer.namespaceSelector {
                errors += selector.validate(path: peerPath.child("namespaceSelector"))
            }
            guard let block = peer.ipBlock else { continue }
            let blockPath = peerPath.child("ipBlock")
            guard let cidr = CIDR(block.cidr) else {
                errors.append(
                    block.cidr.isEmpty
                        ? .required(blockPath.child("cidr"))
                        : .invalid(
                            blockPath.child("cidr"), .string(block.cidr),
                            "must be a valid CIDR value, (e.g. 10.9.8.0/24)"))
                continue
            }
            for (i, text) in (block.except ?? []).enumerated() {
                guard let except = CIDR(text) else {
                    errors.append(
                        .invalid(
                            blockPath.child("except").index(i), .string(text),
                            "must be a valid CIDR value, (e.g. 10.9.8.0/24)"))
                    continue
                }
                if !cidr.contains(except) || except.prefix <= cidr.prefix {
                    errors.append(
                        .invalid(blockPath.child("except").index(i), .string(text), "must be a strict subset of `cidr`")
                    )
                }
            }
        }
        return errors
    }
}
