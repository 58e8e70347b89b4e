import Foundation

// Per-kind validation, as Kubernetes' `ValidateX` and `ValidateXUpdate` functions.

enum WorkloadValidation {
    /// Go's `%#v` of a label map, as Kubernetes prints it in the selector mismatch error.
    static func goMap(_ labels: [String: String]) -> String {
        "map[string]string{"
            + labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
            .joined(separator: ", ") + "}"
    }

    static func selectorAndTemplate(
        selector: LabelSelector?, template: PodTemplateSpec, path: String, resource: String,
        restartPolicies: [String]? = ["Always"], selectorRequired: Bool = true, claimVolumes: [String] = []
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if let selector {
            if selector.isEmpty {
                errors.append(
                    .invalid(
                        path.child("selector"), (try? JSONValue(encoding: selector)) ?? [:],
                        "empty selector is invalid for \(resource)"))
            } else {
                errors += selector.validate(path: path.child("selector"))
                let labels = template.metadata.labels ?? [:]
                if !selector.matches(labels) {
                    errors.append(
                        FieldError(
                            kind: .invalid, field: path.child("template").child("metadata").child("labels"),
                            value: goMap(labels), detail: "selector does not match template labels"))
                }
            }
        } else if selectorRequired {
            errors.append(.required(path.child("selector")))
        }
        errors += PodSpecValidation.validate(template, path: path.child("template"), claimVolumes: claimVolumes)
        if let allowed = restartPolicies {
            let policy = template.spec.restartPolicy ?? "Always"
            if !allowed.contains(policy) {
                errors.append(
                    .notSupported(
                        path.child("template").child("spec").child("restartPolicy"), policy, supported: allowed))
            }
        }
        return errors
    }

    static func nonNegative(_ value: Int?, _ path: String) -> [FieldError] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, .int(Int64(value)), "must be greater than or equal to 0")]
    }

    static func nonNegative(_ value: Int64?, _ path: String) -> [FieldError] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, .int(value), "must be greater than or equal to 0")]
    }

    /// An int or a percentage `"N%"`; percentages may not exceed 100%.
    static func intOrPercent(_ value: IntOrString?, _ path: String) -> [FieldError] {
        guard let value else { return [] }
        switch value {
        case .int(let number):
            return nonNegative(number, path)
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()), percent >= 0 else {
                return [
                    .invalid(
                        path, .string(text),
                        NameValidation.regexError(
                            "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
                            ["1%", "93%"]))
                ]
            }
            if percent > 100 { return [.invalid(path, .string(text), "must not be greater than 100%")] }
            return []
        }
    }

    static func isZero(_ value: IntOrString?) -> Bool {
        switch value {
        case .int(0)?, .string("0%")?, nil: return true
        default: return false
        }
    }

    static func immutable<T: Equatable & Encodable>(_ new: T?, _ old: T?, _ path: String) -> [FieldError] {
        guard new != old else { return [] }
        let rendered = new.flatMap { try? JSONValue(encoding: $0) } ?? .null
        return [.invalid(path, rendered, "field is immutable")]
    }
}

extension Pod {
    /// Pod spec rules; on update only images, deadlines, tolerations and grace period may change.
    public func validateSpec(old: Pod?) -> [FieldError] {
        var errors = PodSpecValidation.validate(spec, path: "spec")
        if let old {
            var mutable = spec
            // The fields Kubernetes lets an update change, copied from the old spec before comparing.
            for index in mutable.containers.indices where index < old.spec.containers.count {
                mutable.containers[index].image = old.spec.containers[index].image
            }
            if let initContainers = mutable.initContainers, let oldInit = old.spec.initContainers {
                for index in initContainers.indices where index < oldInit.count {
                    mutable.initContainers?[index].image = oldInit[index].image
                }
            }
            mutable.activeDeadlineSeconds = old.spec.activeDeadlineSeconds
            mutable.tolerations = old.spec.tolerations
            mutable.terminationGracePeriodSeconds = old.spec.terminationGracePeriodSeconds
            if (old.spec.nodeName ?? "").isEmpty { mutable.nodeName = old.spec.nodeName }
            if mutable != old.spec {
                errors.append(
                    .forbidden(
                        "spec",
                        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
                    ))
            }
        }
        return errors
    }
}

extension ReplicaSet {
    /// Replicas >= 0, selector matches the template, restart policy Always.
    public func validateSpec(old: ReplicaSet?) -> [FieldError] {
        var errors = WorkloadValidation.nonNegative(spec.replicas, "spec.replicas")
        errors += WorkloadValidation.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        if let template = spec.template {
            errors += WorkloadValidation.selectorAndTemplate(
                selector: spec.selector, template: template, path: "spec", resource: "replicaset")
        } else if spec.selector == nil {
            errors.append(.required("spec.selector"))
        }
        if let old, old.spec.selector != nil {
            errors += WorkloadValidation.immutable(spec.selector, old.spec.selector, "spec.selector")
        }
        return errors
    }
}

extension Deployment {
    /// Replicas >= 0, selector matches the template, strategy and history limits are sane.
    public func validateSpec(old: Deployment?) -> [FieldError] {
        var errors = WorkloadValidation.nonNegative(spec.replicas, "spec.replicas")
        errors += WorkloadValidation.selectorAndTemplate(
            selector: spec.selector, template: spec.template, path: "spec", resource: "deployment")
        errors += WorkloadValidation.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        errors += WorkloadValidation.nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit")
        if let strategy = spec.strategy {
            let type = strategy.type ?? "RollingUpdate"
            switch type {
            case "Recreate":
                if strategy.rollingUpdate != nil {
                    errors.append(
                        .forbidden(
                            "spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
                }
            case "RollingUpdate":
                if let rolling = strategy.rollingUpdate {
                    errors += WorkloadValidation.intOrPercent(
                        rolling.maxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable")
                    errors += WorkloadValidation.intOrPercent(rolling.maxSurge, "spec.strategy.rollingUpdate.maxSurge")
                    if rolling.maxUnavailable != nil || rolling.maxSurge != nil,
                        WorkloadValidation.isZero(rolling.maxUnavailable), WorkloadValidation.isZero(rolling.maxSurge)
                    {
                        errors.append(
                            .invalid(
                                "spec.strategy.rollingUpdate.maxUnavailable",
                                .string(rolling.maxUnavailable?.description ?? "0"),
                                "may not be 0 when `maxSurge` is 0"))
                    }
                }
            default:
                errors.append(.notSupported("spec.strategy.type", type, supported: ["Recreate", "RollingUpdate"]))
            }
        }
        if let deadline = spec.progressDeadlineSeconds {
            errors += WorkloadValidation.nonNegative(deadline, "spec.progressDeadlineSeconds")
            if deadline <= (spec.minReadySeconds ?? 0) {
                errors.append(
                    .invalid(
                        "spec.progressDeadlineSeconds", .int(Int64(deadline)), "must be greater than minReadySeconds"))
            }
        }
        if let old {
            errors += WorkloadValidation.immutable(spec.selector, old.spec.selector, "spec.selector")
        }
        return errors
    }
}

extension StatefulSet {
    /// Replicas >= 0, selector matches, policies valid; on update only some spec fields may change.
    public func validateSpec(old: StatefulSet?) -> [FieldError] {
        var errors = WorkloadValidation.nonNegative(spec.replicas, "spec.replicas")
        errors += WorkloadValidation.selectorAndTemplate(
            selector: spec.selector, template: spec.template, path: "spec", resource: "statefulset",
            claimVolumes: (spec.volumeClaimTemplates ?? []).compactMap(\.metadata.name))
        if let policy = spec.podManagementPolicy, !["OrderedReady", "Parallel"].contains(policy) {
            errors.append(
                .notSupported("spec.podManagementPolicy", policy, supported: ["OrderedReady", "Parallel"]))
        }
        if let strategy = spec.updateStrategy {
            let type = strategy.type ?? "RollingUpdate"
            if !["OnDelete", "RollingUpdate"].contains(type) {
                errors.append(
                    .notSupported("spec.updateStrategy.type", type, supported: ["OnDelete", "RollingUpdate"]))
            } else if type == "OnDelete", strategy.rollingUpdate != nil {
                errors.append(
                    .invalid(
                        "spec.updateStrategy.rollingUpdate", "",
                        "only allowed for updateStrategy 'RollingUpdate'"))
            }
            errors += WorkloadValidation.nonNegative(
                strategy.rollingUpdate?.partition, "spec.updateStrategy.rollingUpdate.partition")
        }
        errors += WorkloadValidation.nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit")
        errors += WorkloadValidation.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        for (index, template) in (spec.volumeClaimTemplates ?? []).enumerated() {
            let path = "spec.volumeClaimTemplates".index(index)
            if (template.metadata.name ?? "").isEmpty {
                errors.append(.required(path.child("metadata").child("name")))
            }
            errors += PersistentVolumeClaim.validate(template.spec, path: path.child("spec"))
        }
        if let old {
            var mutable = spec
            mutable.replicas = old.spec.replicas
            mutable.template = old.spec.template
            mutable.updateStrategy = old.spec.updateStrategy
            mutable.persistentVolumeClaimRetentionPolicy = old.spec.persistentVolumeClaimRetentionPolicy
            mutable.minReadySeconds = old.spec.minReadySeconds
            mutable.ordinals = old.spec.ordinals
            mutable.revisionHistoryLimit = old.spec.revisionHistoryLimit
            if mutable != old.spec {
                errors.append(
                    .forbidden(
                        "spec",
                        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
                    ))
            }
        }
        return errors
    }
}

extension DaemonSet {
    /// Selector matches, update strategy valid.
    public func validateSpec(old: DaemonSet?) -> [FieldError] {
        var errors = WorkloadValidation.selectorAndTemplate(
            selector: spec.selector, template: spec.template, path: "spec", resource: "daemonset")
        if let strategy = spec.updateStrategy {
            let type = strategy.type ?? "RollingUpdate"
            if !["OnDelete", "RollingUpdate"].contains(type) {
                errors.append(
                    .notSupported("spec.updateStrategy.type", type, supported: ["OnDelete", "RollingUpdate"]))
            }
            if let rolling = strategy.rollingUpdate {
                errors += WorkloadValidation.intOrPercent(
                    rolling.maxUnavailable, "spec.updateStrategy.rollingUpdate.maxUnavailable")
                errors += WorkloadValidation.intOrPercent(
                    rolling.maxSurge, "spec.updateStrategy.rollingUpdate.maxSurge")
                if WorkloadValidation.isZero(rolling.maxUnavailable), WorkloadValidation.isZero(rolling.maxSurge) {
                    errors.append(
                        .invalid(
                            "spec.updateStrategy.rollingUpdate.maxUnavailable",
                            .string(rolling.maxUnavailable?.description ?? "0"),
                            "may not be 0 when `maxSurge` is 0"))
                }
            }
        }
        errors += WorkloadValidation.nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit")
        errors += WorkloadValidation.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        if let old {
            errors += WorkloadValidation.immutable(spec.selector, old.spec.selector, "spec.selector")
        }
        return errors
    }
}

extension JobSpec {
    /// Job spec rules at `path`.
    public func validate(path: String) -> [FieldError] {
        var errors: [FieldError] = []
        errors += WorkloadValidation.nonNegative(parallelism, path.child("parallelism"))
        errors += WorkloadValidation.nonNegative(completions, path.child("completions"))
        errors += WorkloadValidation.nonNegative(backoffLimit, path.child("backoffLimit"))
        errors += WorkloadValidation.nonNegative(ttlSecondsAfterFinished, path.child("ttlSecondsAfterFinished"))
        if let deadline = activeDeadlineSeconds, deadline <= 0 {
            errors.append(
                .invalid(path.child("activeDeadlineSeconds"), .int(deadline), "must be greater than 0"))
        }
        if let mode = completionMode, !["Indexed", "NonIndexed"].contains(mode) {
            errors.append(.notSupported(path.child("completionMode"), mode, supported: ["Indexed", "NonIndexed"]))
        }
        if completionMode == "Indexed", completions == nil {
            errors.append(.required(path.child("completions"), "when completion mode is Indexed"))
        }
        errors += WorkloadValidation.selectorAndTemplate(
            selector: selector, template: template, path: path, resource: "job",
            restartPolicies: ["Never", "OnFailure"], selectorRequired: manualSelector == true)
        return errors
    }
}

extension Job {
    /// Job rules; selector and template are immutable.
    public func validateSpec(old: Job?) -> [FieldError] {
        var errors = spec.validate(path: "spec")
        if let old {
            if old.spec.selector != nil {
                errors += WorkloadValidation.immutable(spec.selector, old.spec.selector, "spec.selector")
            }
            errors += WorkloadValidation.immutable(spec.completions, old.spec.completions, "spec.completions")
            if spec.template != old.spec.template, old.spec.suspend != true {
                errors.append(.invalid("spec.template", "", "field is immutable"))
            }
        }
        return errors
    }
}

extension CronJob {
    /// Schedule parses, time zone known, policy valid, job template valid.
    public func validateSpec(old: CronJob?) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.schedule.isEmpty {
            errors.append(.required("spec.schedule"))
        } else if spec.schedule.contains("TZ") {
            errors.append(
                .invalid(
                    "spec.schedule", .string(spec.schedule),
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
        } else {
            do {
                _ = try CronSchedule(parsing: spec.schedule)
            } catch {
                errors.append(.invalid("spec.schedule", .string(spec.schedule), error.message))
            }
        }
        if let zone = spec.timeZone, TimeZone(identifier: zone) == nil || zone.isEmpty {
            errors.append(.invalid("spec.timeZone", .string(zone), "unknown time zone \(zone)"))
        }
        if let policy = spec.concurrencyPolicy, !["Allow", "Forbid", "Replace"].contains(policy) {
            errors.append(.notSupported("spec.concurrencyPolicy", policy, supported: ["Allow", "Forbid", "Replace"]))
        }
        errors += WorkloadValidation.nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds")
        errors += WorkloadValidation.nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit")
        errors += WorkloadValidation.nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit")
        errors += spec.jobTemplate.spec.validate(path: "spec.jobTemplate.spec")
        return errors
    }
}

extension Service {
    static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    /// Ports unique and in range, type valid, ExternalName needs a name, node ports in 30000-32767.
    public func validateSpec(old: Service?) -> [FieldError] {
        var errors: [FieldError] = []
        let type = spec.type ?? "ClusterIP"
        if !Service.serviceTypes.contains(type) {
            errors.append(.notSupported("spec.type", type, supported: Service.serviceTypes))
        }
        let ports = spec.ports ?? []
        if type == "ExternalName" {
            let name = spec.externalName ?? ""
            if name.isEmpty {
                errors.append(.required("spec.externalName"))
            } else {
                for message in NameValidation.dns1123Subdomain(name.hasSuffix(".") ? String(name.dropLast()) : name) {
                    errors.append(.invalid("spec.externalName", .string(name), message))
                }
            }
        } else if ports.isEmpty, spec.clusterIP != "None" {
            errors.append(.required("spec.ports"))
        }
        var names = Set<String>()
        var keys = Set<String>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports".index(index)
            let name = port.name ?? ""
            if ports.count > 1, name.isEmpty {
                errors.append(.required(path.child("name")))
            } else if !name.isEmpty {
                for message in NameValidation.dns1123Label(name) {
                    errors.append(.invalid(path.child("name"), .string(name), message))
                }
                if names.contains(name) { errors.append(.duplicate(path.child("name"), .string(name))) }
                names.insert(name)
            }
            if !(1...65535).contains(port.port) {
                errors.append(
                    .invalid(path.child("port"), .int(Int64(port.port)), "must be between 1 and 65535, inclusive"))
            }
            let proto = port.protocol ?? "TCP"
            if !PodSpecValidation.protocols.contains(proto) {
                errors.append(.notSupported(path.child("protocol"), proto, supported: PodSpecValidation.protocols))
            }
            let key = "\(port.port)/\(proto)"
            if keys.contains(key) { errors.append(.duplicate(path, .string(key))) }
            keys.insert(key)
            if let target = port.targetPort, target != .int(0), target != .string("") {
                errors += PodSpecValidation.validatePortNumberOrName(target, path: path.child("targetPort"))
            }
            if let nodePort = port.nodePort, nodePort != 0 {
                if type == "ClusterIP" || type == "ExternalName" {
                    errors.append(
                        .forbidden(path.child("nodePort"), "may not be used when `type` is '\(type)'"))
                } else if !(30000...32767).contains(nodePort) {
                    errors.append(
                        .invalid(
                            path.child("nodePort"), .int(Int64(nodePort)),
                            "provided port is not in the valid range. The range of valid ports is 30000-32767"))
                }
            }
        }
        if let timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds {
            if spec.sessionAffinity != "ClientIP" {
                errors.append(
                    .invalid(
                        "spec.sessionAffinityConfig", "", "must not be set when session affinity is None"))
            } else if !(1...86400).contains(timeout) {
                errors.append(
                    .invalid(
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds", .int(Int64(timeout)),
                        "must be greater than 0 and less than 86400"))
            }
        }
        if let affinity = spec.sessionAffinity, !["ClientIP", "None"].contains(affinity) {
            errors.append(.notSupported("spec.sessionAffinity", affinity, supported: ["ClientIP", "None"]))
        }
        if let policy = spec.externalTrafficPolicy, !policy.isEmpty {
            if type != "NodePort" && type != "LoadBalancer" {
                errors.append(
                    .invalid(
                        "spec.externalTrafficPolicy", .string(policy),
                        "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
            } else if !["Cluster", "Local"].contains(policy) {
                errors.append(.notSupported("spec.externalTrafficPolicy", policy, supported: ["Cluster", "Local"]))
            }
        }
        errors += ObjectMetaValidation.validateLabels(spec.selector ?? [:], path: "spec.selector")
        if let old, let oldIP = old.spec.clusterIP, !oldIP.isEmpty, type != "ExternalName",
            let newIP = spec.clusterIP, newIP != oldIP
        {
            errors.append(.invalid("spec.clusterIPs[0]", .string(newIP), "may not change once set"))
        }
        return errors
    }
}

enum DataValidation {
    static let maxSize = 1024 * 1024

    static func keys(_ keys: [String], path: String, seen: inout Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        for key in keys.sorted() {
            for message in NameValidation.configMapKey(key) {
                errors.append(.invalid(path.key(key), .string(key), message))
            }
            if seen.contains(key) {
                errors.append(
                    .invalid(
                        path.key(key), .string(key),
                        "duplicate of key present in \(path == "binaryData" ? "data" : "binaryData")"))
            }
            seen.insert(key)
        }
        return errors
    }
}

extension ConfigMap {
    /// Keys valid and unique across `data` and `binaryData`; total at most 1 MiB; immutable stays immutable.
    public func validateSpec(old: ConfigMap?) -> [FieldError] {
        var seen = Set<String>()
        var errors = DataValidation.keys(Array((data ?? [:]).keys), path: "data", seen: &seen)
        errors += DataValidation.keys(Array((binaryData ?? [:]).keys), path: "binaryData", seen: &seen)
        var size = 0
        for (key, value) in data ?? [:] { size += key.utf8.count + value.utf8.count }
        for (key, value) in binaryData ?? [:] {
            size += key.utf8.count + (Data(base64Encoded: value)?.count ?? value.utf8.count)
        }
        if size > DataValidation.maxSize { errors.append(.tooLong("", maxBytes: DataValidation.maxSize)) }
        for (key, value) in binaryData ?? [:] where Data(base64Encoded: value) == nil {
            errors.append(.invalid("binaryData".key(key), "<binary>", "must be base64-encoded"))
        }
        if let old, old.immutable == true {
            if immutable != true {
                errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
            }
            if data != old.data { errors.append(.forbidden("data", "field is immutable when `immutable` is set")) }
            if binaryData != old.binaryData {
                errors.append(.forbidden("binaryData", "field is immutable when `immutable` is set"))
            }
        }
        return errors
    }
}

extension Secret {
    /// Keys valid, values base64, total at most 1 MiB; type and immutable data stay fixed.
    public func validateSpec(old: Secret?) -> [FieldError] {
        var seen = Set<String>()
        var errors = DataValidation.keys(Array((data ?? [:]).keys), path: "data", seen: &seen)
        var size = 0
        for (key, value) in data ?? [:] {
            if let decoded = Data(base64Encoded: value) {
                size += decoded.count
            } else {
                errors.append(.invalid("data".key(key), "<secret contents redacted>", "illegal base64 data"))
            }
        }
        var plainSeen = Set<String>()
        errors += DataValidation.keys(Array((stringData ?? [:]).keys), path: "stringData", seen: &plainSeen)
        if size > DataValidation.maxSize { errors.append(.tooLong("data", maxBytes: DataValidation.maxSize)) }
        if type == "kubernetes.io/service-account-token",
            (metadata.annotations?["kubernetes.io/service-account.name"] ?? "").isEmpty
        {
            errors.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
        }
        if let old {
            if (old.type ?? "Opaque") != (type ?? "Opaque") {
                errors.append(.invalid("type", .string(type ?? ""), "field is immutable"))
            }
            if old.immutable == true {
                if immutable != true {
                    errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
                }
                if data != old.data { errors.append(.forbidden("data", "field is immutable when `immutable` is set")) }
            }
        }
        return errors
    }
}

extension Ingress {
    /// Either a default backend or rules; paths absolute with a known type; backends name a service port.
    public func validateSpec(old: Ingress?) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.defaultBackend == nil, (spec.rules ?? []).isEmpty {
            errors.append(.invalid("spec", "", "either `defaultBackend` or `rules` must be specified"))
        }
        if let backend = spec.defaultBackend { errors += Ingress.validate(backend, path: "spec.defaultBackend") }
        for (ruleIndex, rule) in (spec.rules ?? []).enumerated() {
            let rulePath = "spec.rules".index(ruleIndex)
            if let host = rule.host, !host.isEmpty {
                let checked = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
                for message in NameValidation.dns1123Subdomain(checked) {
                    errors.append(.invalid(rulePath.child("host"), .string(host), message))
                }
            }
            for (pathIndex, httpPath) in (rule.http?.paths ?? []).enumerated() {
                let path = rulePath.child("http").child("paths").index(pathIndex)
                let value = httpPath.path ?? ""
                if let type = httpPath.pathType {
                    if !["Exact", "ImplementationSpecific", "Prefix"].contains(type) {
                        errors.append(
                            .notSupported(
                                path.child("pathType"), type, supported: ["Exact", "ImplementationSpecific", "Prefix"]))
                    }
                } else {
                    errors.append(.required(path.child("pathType"), "pathType must be specified"))
                }
                if !value.hasPrefix("/") {
                    errors.append(.invalid(path.child("path"), .string(value), "must be an absolute path"))
                }
                errors += Ingress.validate(httpPath.backend, path: path.child("backend"))
            }
        }
        return errors
    }

    static func validate(_ backend: IngressBackend, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if backend.service != nil && backend.resource != nil {
            errors.append(.invalid(path, "", "cannot set both service and resource backends"))
        }
        if let service = backend.service {
            if service.name.isEmpty {
                errors.append(.required(path.child("service").child("name")))
            } else {
                for message in NameValidation.dns1123Label(service.name) {
                    errors.append(.invalid(path.child("service").child("name"), .string(service.name), message))
                }
            }
            let port = service.port
            let hasName = !(port?.name ?? "").isEmpty
            let hasNumber = (port?.number ?? 0) != 0
            if hasName && hasNumber {
                errors.append(
                    .invalid(path.child("service").child("port"), "", "cannot set both port name & port number"))
            } else if hasName {
                errors += PodSpecValidation.validatePortNumberOrName(
                    .string(port!.name!), path: path.child("service").child("port").child("name"))
            } else if hasNumber {
                errors += PodSpecValidation.validatePortNumberOrName(
                    .int(port!.number!), path: path.child("service").child("port").child("number"))
            } else {
                errors.append(.invalid(path.child("service").child("port"), "", "port name or number is required"))
            }
        } else if backend.resource == nil {
            errors.append(.invalid(path, "", "resource or service backend is required"))
        }
        return errors
    }
}

enum RBACValidation {
    static func rules(_ rules: [PolicyRule], namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, rule) in rules.enumerated() {
            let path = "rules".index(index)
            if rule.verbs.isEmpty {
                errors.append(.required(path.child("verbs"), "verbs must contain at least one value"))
            }
            let urls = rule.nonResourceURLs ?? []
            let resources = rule.resources ?? []
            if !urls.isEmpty {
                if namespaced {
                    errors.append(
                        .invalid(
                            path.child("nonResourceURLs"), .array(urls.map { .string($0) }),
                            "namespaced rules cannot apply to non-resource URLs"))
                }
                if !resources.isEmpty || !(rule.apiGroups ?? []).isEmpty || !(rule.resourceNames ?? []).isEmpty {
                    errors.append(
                        .invalid(
                            path.child("nonResourceURLs"), .array(urls.map { .string($0) }),
                            "rules cannot apply to both regular resources and non-resource URLs"))
                }
                continue
            }
            if (rule.apiGroups ?? []).isEmpty {
                errors.append(
                    .required(path.child("apiGroups"), "resource rules must supply at least one api group"))
            }
            if resources.isEmpty {
                errors.append(.required(path.child("resources"), "resource rules must supply at least one resource"))
            }
        }
        return errors
    }

    static func binding(subjects: [Subject], roleRef: RoleRef, namespaced: Bool, oldRoleRef: RoleRef?) -> [FieldError] {
        var errors: [FieldError] = []
        if roleRef.apiGroup != "rbac.authorization.k8s.io" {
            errors.append(
                .notSupported("roleRef.apiGroup", roleRef.apiGroup, supported: ["rbac.authorization.k8s.io"]))
        }
        let kinds = namespaced ? ["ClusterRole", "Role"] : ["ClusterRole"]
        if !kinds.contains(roleRef.kind) {
            errors.append(.notSupported("roleRef.kind", roleRef.kind, supported: kinds))
        }
        if roleRef.name.isEmpty {
            errors.append(.required("roleRef.name"))
        } else {
            for message in NameValidation.pathSegment(roleRef.name) {
                errors.append(.invalid("roleRef.name", .string(roleRef.name), message))
            }
        }
        for (index, subject) in subjects.enumerated() {
            let path = "subjects".index(index)
            if subject.name.isEmpty { errors.append(.required(path.child("name"))) }
            switch subject.kind {
            case "ServiceAccount":
                if !namespaced, (subject.namespace ?? "").isEmpty {
                    errors.append(.required(path.child("namespace")))
                }
            case "User", "Group":
                if let group = subject.apiGroup, group != "rbac.authorization.k8s.io" {
                    errors.append(
                        .notSupported(path.child("apiGroup"), group, supported: ["rbac.authorization.k8s.io"]))
                }
            default:
                errors.append(
                    .notSupported(path.child("kind"), subject.kind, supported: ["Group", "ServiceAccount", "User"]))
            }
        }
        if let oldRoleRef, oldRoleRef != roleRef {
            errors.append(.invalid("roleRef", (try? JSONValue(encoding: roleRef)) ?? .null, "cannot change roleRef"))
        }
        return errors
    }
}

extension Role {
    /// Every rule has verbs, groups and resources; no non-resource URLs.
    public func validateSpec(old: Role?) -> [FieldError] { RBACValidation.rules(rules ?? [], namespaced: true) }
}

extension ClusterRole {
    /// Every rule has verbs, and either resources with groups or non-resource URLs.
    public func validateSpec(old: ClusterRole?) -> [FieldError] { RBACValidation.rules(rules ?? [], namespaced: false) }
}

extension RoleBinding {
    /// Role reference valid and unchanged; subjects well-formed.
    public func validateSpec(old: RoleBinding?) -> [FieldError] {
        RBACValidation.binding(subjects: subjects ?? [], roleRef: roleRef, namespaced: true, oldRoleRef: old?.roleRef)
    }
}

extension ClusterRoleBinding {
    /// Cluster role reference valid and unchanged; subjects well-formed.
    public func validateSpec(old: ClusterRoleBinding?) -> [FieldError] {
        RBACValidation.binding(
            subjects: subjects ?? [], roleRef: roleRef, namespaced: false, oldRoleRef: old?.roleRef)
    }
}

extension HorizontalPodAutoscaler {
    /// A target, `minReplicas` >= 1, `maxReplicas` >= `minReplicas`, metrics with a type.
    public func validateSpec(old: HorizontalPodAutoscaler?) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.scaleTargetRef.kind.isEmpty { errors.append(.required("spec.scaleTargetRef.kind")) }
        if spec.scaleTargetRef.name.isEmpty { errors.append(.required("spec.scaleTargetRef.name")) }
        if let minimum = spec.minReplicas, minimum < 1 {
            errors.append(.invalid("spec.minReplicas", .int(Int64(minimum)), "must be greater than or equal to 1"))
        }
        if spec.maxReplicas < 1 {
            errors.append(.invalid("spec.maxReplicas", .int(Int64(spec.maxReplicas)), "must be greater than 0"))
        }
        if let minimum = spec.minReplicas, spec.maxReplicas < minimum {
            errors.append(
                .invalid(
                    "spec.maxReplicas", .int(Int64(spec.maxReplicas)),
                    "must be greater than or equal to `minReplicas`"))
        }
        let types = ["ContainerResource", "External", "Object", "Pods", "Resource"]
        for (index, metric) in (spec.metrics ?? []).enumerated() {
            let path = "spec.metrics".index(index)
            if !types.contains(metric.type) {
                errors.append(.notSupported(path.child("type"), metric.type, supported: types))
            }
            if metric.type == "Resource", metric.resource == nil {
                errors.append(
                    .required(path.child("resource"), "must populate information for the given metric source"))
            }
            if let target = metric.resource?.target ?? metric.pods?.target ?? metric.object?.target
                ?? metric.external?.target
            {
                let targetTypes = ["AverageValue", "Utilization", "Value"]
                if !targetTypes.contains(target.type) {
                    errors.append(
                        .notSupported(path.child("target").child("type"), target.type, supported: targetTypes))
                }
            }
        }
        return errors
    }
}

extension PersistentVolumeClaim {
    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]

    /// Claim spec rules at `path`: access modes and a storage request.
    public static func validate(_ spec: PersistentVolumeClaimSpec, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let modes = spec.accessModes ?? []
        if modes.isEmpty {
            errors.append(.required(path.child("accessModes"), "at least 1 access mode is required"))
        }
        for mode in modes where !accessModes.contains(mode) {
            errors.append(.notSupported(path.child("accessModes"), mode, supported: accessModes))
        }
        if let storage = spec.resources?.requests?["storage"] {
            if storage.sign <= 0 {
                errors.append(
                    .invalid(
                        path.child("resources").key("storage"), .string(storage.description),
                        "must be greater than zero"))
            }
        } else {
            errors.append(.required(path.child("resources").key("storage")))
        }
        if let mode = spec.volumeMode, !["Block", "Filesystem"].contains(mode) {
            errors.append(.notSupported(path.child("volumeMode"), mode, supported: ["Block", "Filesystem"]))
        }
        return errors
    }

    /// Spec rules; after binding only the storage request may change.
    public func validateSpec(old: PersistentVolumeClaim?) -> [FieldError] {
        var errors = PersistentVolumeClaim.validate(spec, path: "spec")
        if let old {
            var mutable = spec
            mutable.resources = old.spec.resources
            if (old.spec.volumeName ?? "").isEmpty { mutable.volumeName = old.spec.volumeName }
            if mutable != old.spec {
                errors.append(
                    .forbidden(
                        "spec",
                        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
                    ))
            }
        }
        return errors
    }
}

extension PersistentVolume {
    /// Capacity, access modes and exactly one volume source.
    public func validateSpec(old: PersistentVolume?) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.capacity?["storage"] == nil { errors.append(.required("spec.capacity")) }
        let modes = spec.accessModes ?? []
        if modes.isEmpty { errors.append(.required("spec.accessModes")) }
        for mode in modes where !PersistentVolumeClaim.accessModes.contains(mode) {
            errors.append(.notSupported("spec.accessModes", mode, supported: PersistentVolumeClaim.accessModes))
        }
        let sources = [spec.hostPath != nil, spec.nfs != nil, spec.local != nil, spec.csi != nil].filter { $0 }.count
        if sources == 0 {
            errors.append(.required("spec", "must specify a volume type"))
        } else if sources > 1 {
            errors.append(.forbidden("spec", "may not specify more than 1 volume type"))
        }
        if let policy = spec.persistentVolumeReclaimPolicy, !["Delete", "Recycle", "Retain"].contains(policy) {
            errors.append(
                .notSupported("spec.persistentVolumeReclaimPolicy", policy, supported: ["Delete", "Recycle", "Retain"]))
        }
        return errors
    }
}

extension StorageClass {
    /// Provisioner set, reclaim policy and binding mode valid; parameters and provisioner immutable.
    public func validateSpec(old: StorageClass?) -> [FieldError] {
        var errors: [FieldError] = []
        if provisioner.isEmpty { errors.append(.required("provisioner")) }
        if let policy = reclaimPolicy, !["Delete", "Retain"].contains(policy) {
            errors.append(.notSupported("reclaimPolicy", policy, supported: ["Delete", "Retain"]))
        }
        if let mode = volumeBindingMode, !["Immediate", "WaitForFirstConsumer"].contains(mode) {
            errors.append(.notSupported("volumeBindingMode", mode, supported: ["Immediate", "WaitForFirstConsumer"]))
        }
        if let old {
            if provisioner != old.provisioner {
                errors.append(.forbidden("provisioner", "updates to provisioner are forbidden."))
            }
            if parameters != old.parameters {
                errors.append(.forbidden("parameters", "updates to parameters are forbidden."))
            }
        }
        return errors
    }
}

extension Node {
    /// Taints have keys and known effects.
    public func validateSpec(old: Node?) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, taint) in (spec.taints ?? []).enumerated() {
            let path = "spec.taints".index(index)
            if taint.key.isEmpty {
                errors.append(.required(path.child("key")))
            } else {
                for message in NameValidation.qualifiedName(taint.key) {
                    errors.append(.invalid(path.child("key"), .string(taint.key), message))
                }
            }
            let effects = ["NoExecute", "NoSchedule", "PreferNoSchedule"]
            if taint.effect.isEmpty {
                errors.append(.required(path.child("effect")))
            } else if !effects.contains(taint.effect) {
                errors.append(.notSupported(path.child("effect"), taint.effect, supported: effects))
            }
        }
        return errors
    }
}

extension Lease {
    /// Durations and transition counts are positive.
    public func validateSpec(old: Lease?) -> [FieldError] {
        var errors: [FieldError] = []
        if let duration = spec.leaseDurationSeconds, duration <= 0 {
            errors.append(.invalid("spec.leaseDurationSeconds", .int(Int64(duration)), "must be greater than 0"))
        }
        errors += WorkloadValidation.nonNegative(spec.leaseTransitions, "spec.leaseTransitions")
        return errors
    }
}

extension Event {
    /// The involved object is named and the type is Normal or Warning.
    public func validateSpec(old: Event?) -> [FieldError] {
        var errors: [FieldError] = []
        if let type = type, !["Normal", "Warning"].contains(type) {
            errors.append(.notSupported("type", type, supported: ["Normal", "Warning"]))
        }
        if let namespace = involvedObject.namespace, !namespace.isEmpty, let own = metadata.namespace,
            namespace != own
        {
            errors.append(
                .invalid(
                    "involvedObject.namespace", .string(namespace), "does not match event.namespace"))
        }
        return errors
    }
}

extension Endpoints {
    /// Addresses have IPs; ports are in range.
    public func validateSpec(old: Endpoints?) -> [FieldError] {
        var errors: [FieldError] = []
        for (subsetIndex, subset) in (subsets ?? []).enumerated() {
            let path = "subsets".index(subsetIndex)
            for (index, address) in (subset.addresses ?? []).enumerated() where address.ip.isEmpty {
                errors.append(.required(path.child("addresses").index(index).child("ip")))
            }
            for (index, port) in (subset.ports ?? []).enumerated() where !(1...65535).contains(port.port) {
                errors.append(
                    .invalid(
                        path.child("ports").index(index).child("port"), .int(Int64(port.port)),
                        "must be between 1 and 65535, inclusive"))
            }
        }
        return errors
    }
}
