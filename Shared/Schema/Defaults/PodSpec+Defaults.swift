// Kubernetes' SetDefaults_PodSpec, SetDefaults_Container and friends.
extension PodSpec {
    /// Fills unset fields the way Kubernetes does for pods and pod templates.
    public mutating func applyDefaults() {
        if restartPolicy == nil { restartPolicy = "Always" }
        if dnsPolicy == nil { dnsPolicy = "ClusterFirst" }
        if terminationGracePeriodSeconds == nil { terminationGracePeriodSeconds = 30 }
        if schedulerName == nil { schedulerName = "default-scheduler" }
        if securityContext == nil { securityContext = PodSecurityContext() }
        if enableServiceLinks == nil { enableServiceLinks = true }
        if (serviceAccountName ?? "").isEmpty, let legacy = serviceAccount, !legacy.isEmpty {
            serviceAccountName = legacy
        }
        let hostNetwork = self.hostNetwork == true
        containers = containers.map { $0.defaulted(hostNetwork: hostNetwork) }
        initContainers = initContainers?.map { $0.defaulted(hostNetwork: hostNetwork) }
        volumes = volumes?.map { $0.defaulted() }
    }

    /// The pod's quality-of-service class: Guaranteed, Burstable or BestEffort.
    public var qosClass: String {
        var anyRequest = false
        var guaranteed = true
        for container in (initContainers ?? []) + containers {
            let requests = container.resources?.requests ?? [:]
            let limits = container.resources?.limits ?? [:]
            let relevant = ["cpu", "memory"]
            for name in relevant {
                let request = requests[name] ?? limits[name]
                if let request, !request.isZero { anyRequest = true }
                if let limit = limits[name], !limit.isZero {
                    anyRequest = true
                    if request != limit { guaranteed = false }
                } else {
                    guaranteed = false
                }
            }
        }
        if !anyRequest { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}

extension Container {
    /// The pull policy Kubernetes picks for an image: `Always` for `:latest` or no tag, else `IfNotPresent`.
    public static func defaultPullPolicy(image: String?) -> String {
        guard let image, !image.isEmpty else { return "Always" }
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    func defaulted(hostNetwork: Bool) -> Container {
        var container = self
        if container.terminationMessagePath == nil { container.terminationMessagePath = "/dev/termination-log" }
        if container.terminationMessagePolicy == nil { container.terminationMessagePolicy = "File" }
        if container.imagePullPolicy == nil { container.imagePullPolicy = Container.defaultPullPolicy(image: image) }
        container.ports = container.ports?.map { port in
            var port = port
            if port.protocol == nil { port.protocol = "TCP" }
            if hostNetwork, port.hostPort == nil || port.hostPort == 0 { port.hostPort = port.containerPort }
            return port
        }
        container.livenessProbe = container.livenessProbe?.defaulted()
        container.readinessProbe = container.readinessProbe?.defaulted()
        container.startupProbe = container.startupProbe?.defaulted()
        if var lifecycle = container.lifecycle {
            let postStart = lifecycle.postStart?.httpGet?.defaulted()
            let preStop = lifecycle.preStop?.httpGet?.defaulted()
            lifecycle.postStart?.httpGet = postStart
            lifecycle.preStop?.httpGet = preStop
            container.lifecycle = lifecycle
        }
        container.env = container.env?.map { variable in
            var variable = variable
            if variable.valueFrom?.fieldRef != nil, variable.valueFrom?.fieldRef?.apiVersion == nil {
                variable.valueFrom?.fieldRef?.apiVersion = "v1"
            }
            return variable
        }
        return container
    }
}

extension Probe {
    func defaulted() -> Probe {
        var probe = self
        if probe.timeoutSeconds == nil { probe.timeoutSeconds = 1 }
        if probe.periodSeconds == nil { probe.periodSeconds = 10 }
        if probe.successThreshold == nil { probe.successThreshold = 1 }
        if probe.failureThreshold == nil { probe.failureThreshold = 3 }
        probe.httpGet = probe.httpGet?.defaulted()
        return probe
    }
}

extension HTTPGetAction {
    func defaulted() -> HTTPGetAction {
        var action = self
        if action.path == nil { action.path = "/" }
        if action.scheme == nil { action.scheme = "HTTP" }
        return action
    }
}

extension Volume {
    func defaulted() -> Volume {
        var volume = self
        // 0644, as Kubernetes' SecretVolumeSourceDefaultMode and friends.
        let mode = 0o644
        if volume.secret != nil, volume.secret?.defaultMode == nil { volume.secret?.defaultMode = mode }
        if volume.configMap != nil, volume.configMap?.defaultMode == nil { volume.configMap?.defaultMode = mode }
        if volume.downwardAPI != nil, volume.downwardAPI?.defaultMode == nil { volume.downwardAPI?.defaultMode = mode }
        if volume.projected != nil, volume.projected?.defaultMode == nil { volume.projected?.defaultMode = mode }
        if volume.hostPath != nil, volume.hostPath?.type == nil { volume.hostPath?.type = "" }
        return volume
    }
}

extension PodTemplateSpec {
    /// Applies pod spec defaults to the template.
    public mutating func applyDefaults() {
        spec.applyDefaults()
    }
}

extension PersistentVolumeClaimSpec {
    /// `volumeMode` defaults to `Filesystem`.
    public mutating func applyDefaults() {
        if volumeMode == nil { volumeMode = "Filesystem" }
    }
}
