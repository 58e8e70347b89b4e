import Foundation

// Per-kind defaults, as Kubernetes' SetDefaults_* functions (and a few create-time strategy fields) apply them.

extension Pod {
    /// Pod spec defaults; requests default to limits; status phase `Pending` and the QoS class are filled in.
    public mutating func applyDefaults() {
        spec.applyDefaults()
        // SetDefaults_Pod: a container with limits but no requests requests its limits.
        spec.containers = spec.containers.map(Pod.requestsFromLimits)
        spec.initContainers = spec.initContainers?.map(Pod.requestsFromLimits)
        if status.phase == nil { status.phase = "Pending" }
        if status.qosClass == nil { status.qosClass = spec.qosClass }
    }

    private static func requestsFromLimits(_ container: Container) -> Container {
        guard let limits = container.resources?.limits, !limits.isEmpty else { return container }
        var container = container
        var requests = container.resources?.requests ?? [:]
        for (name, limit) in limits where requests[name] == nil {
            requests[name] = limit
        }
        container.resources?.requests = requests
        return container
    }
}

extension ReplicaSet {
    /// `replicas` 1 and pod template defaults.
    public mutating func applyDefaults() {
        if spec.replicas == nil { spec.replicas = 1 }
        spec.template?.applyDefaults()
    }
}

extension Deployment {
    /// `replicas` 1, RollingUpdate 25%/25%, `revisionHistoryLimit` 10, `progressDeadlineSeconds` 600.
    public mutating func applyDefaults() {
        if spec.replicas == nil { spec.replicas = 1 }
        var strategy = spec.strategy ?? DeploymentStrategy()
        if strategy.type == nil { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateDeployment()
            if rolling.maxUnavailable == nil { rolling.maxUnavailable = "25%" }
            if rolling.maxSurge == nil { rolling.maxSurge = "25%" }
            strategy.rollingUpdate = rolling
        }
        spec.strategy = strategy
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        if spec.progressDeadlineSeconds == nil { spec.progressDeadlineSeconds = 600 }
        spec.template.applyDefaults()
    }
}

extension StatefulSet {
    /// `replicas` 1, OrderedReady, RollingUpdate with partition 0, `revisionHistoryLimit` 10, claim retention Retain.
    public mutating func applyDefaults() {
        if spec.replicas == nil { spec.replicas = 1 }
        if spec.podManagementPolicy == nil { spec.podManagementPolicy = "OrderedReady" }
        var strategy = spec.updateStrategy ?? StatefulSetUpdateStrategy()
        if strategy.type == nil { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateStatefulSetStrategy()
            if rolling.partition == nil { rolling.partition = 0 }
            strategy.rollingUpdate = rolling
        }
        spec.updateStrategy = strategy
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        var retention = spec.persistentVolumeClaimRetentionPolicy ?? StatefulSetPersistentVolumeClaimRetentionPolicy()
        if retention.whenDeleted == nil { retention.whenDeleted = "Retain" }
        if retention.whenScaled == nil { retention.whenScaled = "Retain" }
        spec.persistentVolumeClaimRetentionPolicy = retention
        spec.volumeClaimTemplates = spec.volumeClaimTemplates?.map { template in
            var template = template
            template.spec.applyDefaults()
            return template
        }
        spec.template.applyDefaults()
    }
}

extension DaemonSet {
    /// RollingUpdate with `maxUnavailable` 1 and `maxSurge` 0, `revisionHistoryLimit` 10.
    public mutating func applyDefaults() {
        var strategy = spec.updateStrategy ?? DaemonSetUpdateStrategy()
        if strategy.type == nil { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateDaemonSet()
            if rolling.maxUnavailable == nil { rolling.maxUnavailable = 1 }
            if rolling.maxSurge == nil { rolling.maxSurge = 0 }
            strategy.rollingUpdate = rolling
        }
        spec.updateStrategy = strategy
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        spec.template.applyDefaults()
    }
}

extension JobSpec {
    /// Completions and parallelism 1, `backoffLimit` 6, NonIndexed, not suspended.
    public mutating func applyDefaults() {
        if completions == nil && parallelism == nil { completions = 1 }
        if parallelism == nil { parallelism = 1 }
        if backoffLimit == nil { backoffLimit = backoffLimitPerIndex == nil ? 6 : Int(Int32.max) }
        if completionMode == nil { completionMode = "NonIndexed" }
        if suspend == nil { suspend = false }
        if podReplacementPolicy == nil { podReplacementPolicy = "TerminatingOrFailed" }
        template.applyDefaults()
    }
}

extension Job {
    /// Job spec defaults; labels copied from the template when empty; a selector generated once the uid is known.
    public mutating func applyDefaults() {
        spec.applyDefaults()
        if (metadata.labels ?? [:]).isEmpty, let labels = spec.template.metadata.labels, !labels.isEmpty {
            metadata.labels = labels
        }
        if spec.manualSelector != true, spec.selector == nil, let uid = metadata.uid, !uid.isEmpty {
            // The API server generates a selector unique to this job, as Kubernetes' job strategy does.
            var labels = spec.template.metadata.labels ?? [:]
            labels["batch.kubernetes.io/controller-uid"] = uid
            labels["controller-uid"] = uid
            if let name = metadata.name {
                labels["batch.kubernetes.io/job-name"] = name
                labels["job-name"] = name
            }
            spec.template.metadata.labels = labels
            spec.selector = LabelSelector(matchLabels: ["batch.kubernetes.io/controller-uid": uid])
        }
    }
}

extension CronJob {
    /// Allow, not suspended, history limits 3 and 1, pod template defaults.
    public mutating func applyDefaults() {
        if spec.concurrencyPolicy == nil { spec.concurrencyPolicy = "Allow" }
        if spec.suspend == nil { spec.suspend = false }
        if spec.successfulJobsHistoryLimit == nil { spec.successfulJobsHistoryLimit = 3 }
        if spec.failedJobsHistoryLimit == nil { spec.failedJobsHistoryLimit = 1 }
        spec.jobTemplate.spec.template.applyDefaults()
    }
}

extension Service {
    /// ClusterIP, sessionAffinity None, ports TCP with `targetPort` = `port`.
    public mutating func applyDefaults() {
        if spec.type == nil { spec.type = "ClusterIP" }
        if spec.sessionAffinity == nil { spec.sessionAffinity = "None" }
        if spec.sessionAffinity == "ClientIP", spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == nil {
            spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 10800))
        }
        if spec.type == "NodePort" || spec.type == "LoadBalancer", spec.externalTrafficPolicy == nil {
            spec.externalTrafficPolicy = "Cluster"
        }
        if spec.type != "ExternalName", spec.internalTrafficPolicy == nil { spec.internalTrafficPolicy = "Cluster" }
        spec.ports = spec.ports?.map { port in
            var port = port
            if port.protocol == nil { port.protocol = "TCP" }
            if port.targetPort == nil || port.targetPort == .int(0) || port.targetPort == .string("") {
                port.targetPort = .int(port.port)
            }
            return port
        }
    }
}

extension Endpoints {
    /// Ports default to TCP.
    public mutating func applyDefaults() {
        subsets = subsets?.map { subset in
            var subset = subset
            subset.ports = subset.ports?.map { port in
                var port = port
                if port.protocol == nil { port.protocol = "TCP" }
                return port
            }
            return subset
        }
    }
}

extension PersistentVolumeClaim {
    /// `volumeMode` Filesystem; status phase Pending.
    public mutating func applyDefaults() {
        spec.applyDefaults()
        if status.phase == nil { status.phase = "Pending" }
    }
}

extension PersistentVolume {
    /// Reclaim policy Retain, `volumeMode` Filesystem; status phase Pending.
    public mutating func applyDefaults() {
        if spec.persistentVolumeReclaimPolicy == nil { spec.persistentVolumeReclaimPolicy = "Retain" }
        if spec.volumeMode == nil { spec.volumeMode = "Filesystem" }
        if status.phase == nil { status.phase = "Pending" }
    }
}

extension StorageClass {
    /// Reclaim policy Delete, binding mode Immediate.
    public mutating func applyDefaults() {
        if reclaimPolicy == nil { reclaimPolicy = "Delete" }
        if volumeBindingMode == nil { volumeBindingMode = "Immediate" }
    }
}

extension Secret {
    /// Type Opaque; `stringData` is merged into `data` (base64) and cleared.
    public mutating func applyDefaults() {
        if type == nil { type = "Opaque" }
        if let plain = stringData {
            var encoded = data ?? [:]
            for (key, value) in plain {
                encoded[key] = Data(value.utf8).base64EncodedString()
            }
            data = encoded
            stringData = nil
        }
    }
}

extension Namespace {
    /// The label every namespace carries, set to its name on every write (so it cannot be changed or removed).
    public static let nameLabel = "kubernetes.io/metadata.name"

    /// Status phase Active; the `kubernetes.io/metadata.name` label, as Kubernetes' defaulting sets it.
    public mutating func applyDefaults() {
        if status.phase == nil { status.phase = "Active" }
        if let name = metadata.name, !name.isEmpty {
            var labels = metadata.labels ?? [:]
            labels[Self.nameLabel] = name
            metadata.labels = labels
        }
    }
}

extension HorizontalPodAutoscaler {
    /// `minReplicas` 1; no metrics means 80% average CPU utilization.
    public mutating func applyDefaults() {
        if spec.minReplicas == nil { spec.minReplicas = 1 }
        if (spec.metrics ?? []).isEmpty {
            spec.metrics = [
                MetricSpec(
                    type: "Resource",
                    resource: ResourceMetricSource(
                        name: "cpu", target: MetricTarget(type: "Utilization", averageUtilization: 80)))
            ]
        }
    }
}

extension Event {
    /// `count` 1 and `type` Normal when unset.
    public mutating func applyDefaults() {
        if count == nil, eventTime == nil { count = 1 }
        if type == nil { type = "Normal" }
    }
}

extension NetworkPolicy {
    /// `policyTypes` Ingress, plus Egress when egress rules are given; ports TCP.
    public mutating func applyDefaults() {
        if (spec.policyTypes ?? []).isEmpty {
            spec.policyTypes = ["Ingress"] + ((spec.egress ?? []).isEmpty ? [] : ["Egress"])
        }
        func tcp(_ ports: [NetworkPolicyPort]?) -> [NetworkPolicyPort]? {
            ports?.map { port in
                var port = port
                if port.protocol == nil { port.protocol = "TCP" }
                return port
            }
        }
        spec.ingress = spec.ingress?.map { NetworkPolicyIngressRule(from: $0.from, ports: tcp($0.ports)) }
        spec.egress = spec.egress?.map { NetworkPolicyEgressRule(to: $0.to, ports: tcp($0.ports)) }
    }
}

extension EndpointSlice {
    /// Ports default to TCP.
    public mutating func applyDefaults() {
        ports = ports?.map { port in
            var port = port
            if port.protocol == nil { port.protocol = "TCP" }
            return port
        }
    }
}

extension LimitRange {
    /// SetDefaults_LimitRangeItem: a Container item's missing default limit is its max, its missing default request
    /// its default limit, else its min.
    public mutating func applyDefaults() {
        spec.limits = spec.limits.map { item in
            guard item.type == LimitRangeItem.container else { return item }
            var item = item
            var limits = item.default ?? [:]
            var requests = item.defaultRequest ?? [:]
            for (name, value) in item.max ?? [:] where limits[name] == nil { limits[name] = value }
            for (name, value) in limits where requests[name] == nil { requests[name] = value }
            for (name, value) in item.min ?? [:] where requests[name] == nil { requests[name] = value }
            item.default = limits.isEmpty ? item.default : limits
            item.defaultRequest = requests.isEmpty ? item.defaultRequest : requests
            return item
        }
    }
}
