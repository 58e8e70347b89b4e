/// Validation of pod specs and their parts, as Kubernetes' `ValidatePodSpec`.
public enum PodSpecValidation {
    static let restartPolicies = ["Always", "Never", "OnFailure"]
    static let dnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// Validates a pod spec at `path` (e.g. `spec` or `spec.template.spec`). `claimVolumes` are the names of a
    /// StatefulSet's volumeClaimTemplates, which become volumes of its pods and so may be mounted.
    public static func validate(_ spec: PodSpec, path: String, claimVolumes: [String] = []) -> [FieldError] {
        var errors: [FieldError] = []
        let volumeNames = validateVolumes(spec.volumes ?? [], path: path.child("volumes"), errors: &errors)
            .union(claimVolumes)
        if spec.containers.isEmpty {
            errors.append(.required(path.child("containers")))
        }
        var seenNames = Set<String>()
        for (index, container) in (spec.initContainers ?? []).enumerated() {
            errors += validate(
                container, path: path.child("initContainers").index(index), volumes: volumeNames,
                seen: &seenNames, isInit: true)
        }
        for (index, container) in spec.containers.enumerated() {
            errors += validate(
                container, path: path.child("containers").index(index), volumes: volumeNames,
                seen: &seenNames, isInit: false)
        }
        if let policy = spec.restartPolicy, !restartPolicies.contains(policy) {
            errors.append(.notSupported(path.child("restartPolicy"), policy, supported: restartPolicies))
        }
        if let policy = spec.dnsPolicy, !dnsPolicies.contains(policy) {
            errors.append(.notSupported(path.child("dnsPolicy"), policy, supported: dnsPolicies))
        }
        if let seconds = spec.terminationGracePeriodSeconds, seconds < 0 {
            errors.append(
                .invalid(
                    path.child("terminationGracePeriodSeconds"), .int(seconds), "must be greater than or equal to 0"))
        }
        if let seconds = spec.activeDeadlineSeconds, seconds < 1 || seconds > Int64(Int32.max) {
            errors.append(
                .invalid(
                    path.child("activeDeadlineSeconds"), .int(seconds), "must be between 1 and 2147483647, inclusive"))
        }
        errors += ObjectMetaValidation.validateLabels(spec.nodeSelector ?? [:], path: path.child("nodeSelector"))
        if let name = spec.serviceAccountName, !name.isEmpty {
            for message in NameValidation.dns1123Subdomain(name) {
                errors.append(.invalid(path.child("serviceAccountName"), .string(name), message))
            }
        }
        if let name = spec.nodeName, !name.isEmpty {
            for message in NameValidation.dns1123Subdomain(name) {
                errors.append(.invalid(path.child("nodeName"), .string(name), message))
            }
        }
        if let hostname = spec.hostname, !hostname.isEmpty {
            for message in NameValidation.dns1123Label(hostname) {
                errors.append(.invalid(path.child("hostname"), .string(hostname), message))
            }
        }
        if let subdomain = spec.subdomain, !subdomain.isEmpty {
            for message in NameValidation.dns1123Label(subdomain) {
                errors.append(.invalid(path.child("subdomain"), .string(subdomain), message))
            }
        }
        for (index, toleration) in (spec.tolerations ?? []).enumerated() {
            let tolerationPath = path.child("tolerations").index(index)
            let op = toleration.operator ?? "Equal"
            switch op {
            case "Equal":
                if (toleration.key ?? "").isEmpty {
                    errors.append(
                        .invalid(
                            tolerationPath.child("operator"), .string(op),
                            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""
                        ))
                }
            case "Exists":
                if !(toleration.value ?? "").isEmpty {
                    errors.append(
                        .invalid(
                            tolerationPath.child("operator"), .string(toleration.value ?? ""),
                            "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errors.append(.notSupported(tolerationPath.child("operator"), op, supported: ["Equal", "Exists"]))
            }
            if let effect = toleration.effect, !effect.isEmpty,
                !["NoExecute", "NoSchedule", "PreferNoSchedule"].contains(effect)
            {
                errors.append(
                    .notSupported(
                        tolerationPath.child("effect"), effect,
                        supported: ["NoExecute", "NoSchedule", "PreferNoSchedule"]))
            }
        }
        return errors
    }

    private static func validateVolumes(_ volumes: [Volume], path: String, errors: inout [FieldError]) -> Set<String> {
        var names = Set<String>()
        for (index, volume) in volumes.enumerated() {
            let volumePath = path.index(index)
            if volume.name.isEmpty {
                errors.append(.required(volumePath.child("name")))
            } else {
                for message in NameValidation.dns1123Label(volume.name) {
                    errors.append(.invalid(volumePath.child("name"), .string(volume.name), message))
                }
                if names.contains(volume.name) {
                    errors.append(.duplicate(volumePath.child("name"), .string(volume.name)))
                }
                names.insert(volume.name)
            }
            let sources: [(String, Bool)] = [
                ("hostPath", volume.hostPath != nil), ("emptyDir", volume.emptyDir != nil),
                ("secret", volume.secret != nil), ("nfs", volume.nfs != nil),
                ("persistentVolumeClaim", volume.persistentVolumeClaim != nil),
                ("downwardAPI", volume.downwardAPI != nil), ("configMap", volume.configMap != nil),
                ("projected", volume.projected != nil),
            ]
            let present = sources.filter(\.1)
            if present.isEmpty {
                errors.append(.required(volumePath, "must specify a volume type"))
            } else if present.count > 1 {
                errors.append(.forbidden(volumePath.child(present[1].0), "may not specify more than 1 volume type"))
            }
            if let claim = volume.persistentVolumeClaim, claim.claimName.isEmpty {
                errors.append(.required(volumePath.child("persistentVolumeClaim").child("claimName")))
            }
            if let hostPath = volume.hostPath, hostPath.path.isEmpty {
                errors.append(.required(volumePath.child("hostPath").child("path")))
            }
        }
        return names
    }

    private static func validate(
        _ container: Container, path: String, volumes: Set<String>, seen: inout Set<String>, isInit: Bool
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if container.name.isEmpty {
            errors.append(.required(path.child("name")))
        } else {
            for message in NameValidation.dns1123Label(container.name) {
                errors.append(.invalid(path.child("name"), .string(container.name), message))
            }
            if seen.contains(container.name) {
                errors.append(.duplicate(path.child("name"), .string(container.name)))
            }
            seen.insert(container.name)
        }
        if (container.image ?? "").isEmpty {
            errors.append(.required(path.child("image")))
        }
        if let policy = container.imagePullPolicy, !pullPolicies.contains(policy) {
            errors.append(.notSupported(path.child("imagePullPolicy"), policy, supported: pullPolicies))
        }
        if let policy = container.terminationMessagePolicy, !["FallbackToLogsOnError", "File"].contains(policy) {
            errors.append(
                .notSupported(
                    path.child("terminationMessagePolicy"), policy, supported: ["FallbackToLogsOnError", "File"]))
        }
        var portNames = Set<String>()
        for (index, port) in (container.ports ?? []).enumerated() {
            let portPath = path.child("ports").index(index)
            if let name = port.name, !name.isEmpty {
                for message in NameValidation.portName(name) {
                    errors.append(.invalid(portPath.child("name"), .string(name), message))
                }
                if portNames.contains(name) { errors.append(.duplicate(portPath.child("name"), .string(name))) }
                portNames.insert(name)
            }
            if port.containerPort == 0 {
                errors.append(.required(portPath.child("containerPort")))
            } else if !(1...65535).contains(port.containerPort) {
                errors.append(
                    .invalid(
                        portPath.child("containerPort"), .int(Int64(port.containerPort)),
                        "must be between 1 and 65535, inclusive"))
            }
            if let hostPort = port.hostPort, hostPort != 0, !(1...65535).contains(hostPort) {
                errors.append(
                    .invalid(
                        portPath.child("hostPort"), .int(Int64(hostPort)), "must be between 1 and 65535, inclusive"))
            }
            if let proto = port.protocol, !protocols.contains(proto) {
                errors.append(.notSupported(portPath.child("protocol"), proto, supported: protocols))
            }
        }
        var envNames = Set<String>()
        for (index, variable) in (container.env ?? []).enumerated() {
            let envPath = path.child("env").index(index)
            if variable.name.isEmpty {
                errors.append(.required(envPath.child("name")))
            } else {
                for message in NameValidation.envVarName(variable.name) {
                    errors.append(.invalid(envPath.child("name"), .string(variable.name), message))
                }
            }
            envNames.insert(variable.name)
            if let source = variable.valueFrom {
                let count = [
                    source.fieldRef != nil, source.resourceFieldRef != nil, source.configMapKeyRef != nil,
                    source.secretKeyRef != nil,
                ].filter { $0 }.count
                if count == 0 {
                    errors.append(
                        .invalid(
                            envPath.child("valueFrom"), "",
                            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
                } else if count > 1 {
                    errors.append(
                        .invalid(
                            envPath.child("valueFrom"), "",
                            "may not have more than one field specified at a time"))
                }
                if variable.value != nil && !(variable.value ?? "").isEmpty {
                    errors.append(
                        .invalid(
                            envPath.child("valueFrom"), "",
                            "may not be specified when `value` is not empty"))
                }
            }
        }
        errors += validateResources(container.resources, path: path.child("resources"))
        for (index, mount) in (container.volumeMounts ?? []).enumerated() {
            let mountPath = path.child("volumeMounts").index(index)
            if mount.name.isEmpty {
                errors.append(.required(mountPath.child("name")))
            } else if !volumes.contains(mount.name) {
                errors.append(.notFound(mountPath.child("name"), .string(mount.name)))
            }
            if mount.mountPath.isEmpty { errors.append(.required(mountPath.child("mountPath"))) }
        }
        let probes: [(String, Probe?)] = [
            ("livenessProbe", container.livenessProbe), ("readinessProbe", container.readinessProbe),
            ("startupProbe", container.startupProbe),
        ]
        for (name, probe) in probes {
            guard let probe else { continue }
            errors += validate(probe, path: path.child(name), requireSuccessOne: name != "readinessProbe")
        }
        return errors
    }

    static func validateResources(_ resources: ResourceRequirements?, path: String) -> [FieldError] {
        guard let resources else { return [] }
        var errors: [FieldError] = []
        let limits = resources.limits ?? [:]
        let requests = resources.requests ?? [:]
        for (name, quantity) in limits.sorted(by: { $0.key < $1.key }) where quantity.sign < 0 {
            errors.append(
                .invalid(
                    path.child("limits").key(name), .string(quantity.description), "must be greater than or equal to 0")
            )
        }
        for (name, quantity) in requests.sorted(by: { $0.key < $1.key }) {
            if quantity.sign < 0 {
                errors.append(
                    .invalid(
                        path.child("requests").key(name), .string(quantity.description),
                        "must be greater than or equal to 0"))
            }
            if let limit = limits[name], quantity > limit {
                errors.append(
                    .invalid(
                        path.child("requests"), .string(quantity.description),
                        "must be less than or equal to \(name) limit of \(limit)"))
            }
        }
        return errors
    }

    static func validate(_ probe: Probe, path: String, requireSuccessOne: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let handlers: [(String, Bool)] = [
            ("exec", probe.exec != nil), ("httpGet", probe.httpGet != nil), ("tcpSocket", probe.tcpSocket != nil),
            ("grpc", probe.grpc != nil),
        ]
        let present = handlers.filter(\.1)
        if present.isEmpty {
            errors.append(.required(path, "must specify a handler type"))
        } else if present.count > 1 {
            errors.append(.forbidden(path.child(present[1].0), "may not specify more than 1 handler type"))
        }
        let timings: [(String, Int?)] = [
            ("initialDelaySeconds", probe.initialDelaySeconds), ("timeoutSeconds", probe.timeoutSeconds),
            ("periodSeconds", probe.periodSeconds), ("successThreshold", probe.successThreshold),
            ("failureThreshold", probe.failureThreshold),
        ]
        for (name, value) in timings {
            if let value, value < 0 {
                errors.append(.invalid(path.child(name), .int(Int64(value)), "must be greater than or equal to 0"))
            }
        }
        if requireSuccessOne, let threshold = probe.successThreshold, threshold != 1 {
            errors.append(.invalid(path.child("successThreshold"), .int(Int64(threshold)), "must be 1"))
        }
        if let port = probe.httpGet?.port ?? probe.tcpSocket?.port {
            let portPath = path.child(probe.httpGet != nil ? "httpGet" : "tcpSocket").child("port")
            errors += validatePortNumberOrName(port, path: portPath)
        }
        return errors
    }

    /// A port given as number (1-65535) or IANA service name.
    static func validatePortNumberOrName(_ port: IntOrString, path: String) -> [FieldError] {
        switch port {
        case .int(let number):
            if !(1...65535).contains(number) {
                return [.invalid(path, .int(Int64(number)), "must be between 1 and 65535, inclusive")]
            }
        case .string(let name):
            return NameValidation.portName(name).map { .invalid(path, .string(name), $0) }
        }
        return []
    }

    /// A pod template: labels, and its spec.
    public static func validate(_ template: PodTemplateSpec, path: String, claimVolumes: [String] = []) -> [FieldError]
    {
        ObjectMetaValidation.validateLabels(
            template.metadata.labels ?? [:], path: path.child("metadata").child("labels"))
            + ObjectMetaValidation.validateAnnotations(
                template.metadata.annotations ?? [:], path: path.child("metadata").child("annotations"))
            + validate(template.spec, path: path.child("spec"), claimVolumes: claimVolumes)
    }
}
