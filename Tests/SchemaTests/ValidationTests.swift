import Testing

@testable import Schema

@Suite struct ValidationTests {
    func deployment(_ mutate: (inout Deployment) -> Void = { _ in }) -> Deployment {
        var deployment = Deployment(metadata: ObjectMeta(name: "web", namespace: "default"))
        deployment.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        deployment.spec.template.metadata.labels = ["app": "web"]
        deployment.spec.template.spec.containers = [Container(name: "web", image: "nginx")]
        mutate(&deployment)
        return deployment
    }

    func messages(_ errors: [FieldError]) -> [String] { errors.map(\.description) }

    @Test func validDeploymentPasses() {
        #expect(deployment().validate().isEmpty)
    }

    @Test func invalidNames() {
        let errors = messages(deployment { $0.metadata.name = "Web_1" }.validate())
        #expect(
            errors == [
                #"metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
            ])
        let missing = messages(deployment { $0.metadata.name = nil }.validate())
        #expect(missing == ["metadata.name: Required value: name or generateName is required"])
        #expect(
            deployment {
                $0.metadata.name = nil
                $0.metadata.generateName = "web-"
            }.validate().isEmpty)
        var service = Service(metadata: ObjectMeta(name: "my.service", namespace: "default"))
        service.spec.ports = [ServicePort(port: 80)]
        #expect(
            messages(service.validate()) == [
                #"metadata.name: Invalid value: "my.service": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#
            ])
        #expect(
            validateName(String(repeating: "a", count: 64), rule: .dns1123Label) == [
                "must be no more than 63 characters"
            ])
        #expect(validateName("a/b", rule: .pathSegment) == ["may not contain '/'"])
        #expect(validateName("system:controller", rule: .pathSegment).isEmpty)
        #expect(
            messages(Namespace(metadata: ObjectMeta(name: "x", namespace: "y")).validate()) == [
                "metadata.namespace: Forbidden: not allowed on this type"
            ])
        #expect(
            messages(ConfigMap(metadata: ObjectMeta(name: "x")).validate()) == ["metadata.namespace: Required value"])
    }

    @Test func labelsAreChecked() {
        let errors = messages(
            deployment { $0.metadata.labels = ["bad key!": "ok", "app": String(repeating: "v", count: 64)] }.validate())
        #expect(
            errors.contains(
                #"metadata.labels: Invalid value: "\#(String(repeating: "v", count: 64))": must be no more than 63 characters"#
            ))
        #expect(
            errors.contains {
                $0.hasPrefix(
                    #"metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters"#)
            })
    }

    /// A StatefulSet's pods may mount its volumeClaimTemplates by name (the shape of the official
    /// application/web/web.yaml); a mount of a name that is neither a volume nor a claim template is still refused.
    @Test func statefulSetMountsItsClaimTemplates() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web, namespace: default}
            spec:
              serviceName: nginx
              replicas: 2
              selector: {matchLabels: {app: nginx}}
              template:
                metadata: {labels: {app: nginx}}
                spec:
                  containers:
                  - name: nginx
                    image: registry.k8s.io/nginx-slim:0.21
                    volumeMounts:
                    - {name: www, mountPath: /usr/share/nginx/html}
              volumeClaimTemplates:
              - metadata: {name: www}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            """
        var set = try Manifest.parse(yaml: yaml, source: "web.yaml")[0].decode(as: StatefulSet.self)
        #expect(messages(set.validate()) == [])
        set.spec.template.spec.containers[0].volumeMounts?.append(VolumeMount(name: "logs", mountPath: "/logs"))
        #expect(
            messages(set.validate()) == [
                #"spec.template.spec.containers[0].volumeMounts[1].name: Not found: "logs""#
            ])
    }

    @Test func negativeReplicas() {
        #expect(
            messages(deployment { $0.spec.replicas = -1 }.validate()) == [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
            ])
    }

    @Test func selectorMismatchAndMissingSelector() {
        #expect(
            messages(deployment { $0.spec.template.metadata.labels = ["app": "api", "tier": "be"] }.validate()) == [
                #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"be"}: selector does not match template labels"#
            ])
        #expect(messages(deployment { $0.spec.selector = nil }.validate()) == ["spec.selector: Required value"])
        #expect(
            messages(deployment { $0.spec.selector = LabelSelector() }.validate()) == [
                "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
            ])
    }

    @Test func selectorIsImmutable() {
        let old = deployment()
        let new = deployment {
            $0.spec.selector = LabelSelector(matchLabels: ["app": "web", "v": "2"])
            $0.spec.template.metadata.labels = ["app": "web", "v": "2"]
        }
        #expect(
            messages(new.validate(old: old)) == [
                #"spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable"#
            ])
        #expect(deployment { $0.spec.replicas = 5 }.validate(old: old).isEmpty)
    }

    @Test func badRestartPolicy() {
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"))
        pod.spec.containers = [Container(name: "c", image: "busybox")]
        pod.spec.restartPolicy = "Sometimes"
        #expect(
            messages(pod.validate()) == [
                #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure""#
            ])
        var job = Job(metadata: ObjectMeta(name: "j", namespace: "default"))
        job.spec.template.spec.containers = [Container(name: "c", image: "busybox")]
        #expect(
            messages(job.validate()) == [
                #"spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "Never", "OnFailure""#
            ])
        #expect(
            messages(deployment { $0.spec.template.spec.restartPolicy = "Never" }.validate()) == [
                #"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#
            ])
    }

    @Test func containerRules() {
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"))
        #expect(messages(pod.validate()) == ["spec.containers: Required value"])
        pod.spec.containers = [
            Container(
                name: "web", image: "nginx",
                ports: [ContainerPort(containerPort: 70000), ContainerPort(containerPort: 80, protocol: "tcp")]),
            Container(name: "web"),
        ]
        pod.spec.containers[0].livenessProbe = Probe(
            exec: ExecAction(command: ["true"]), tcpSocket: TCPSocketAction(port: 80))
        pod.spec.containers[0].readinessProbe = Probe(periodSeconds: -1)
        pod.spec.containers[0].volumeMounts = [VolumeMount(name: "data", mountPath: "/data")]
        let errors = messages(pod.validate())
        #expect(
            errors.contains(
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
            ))
        #expect(
            errors.contains(
                #"spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP""#
            ))
        #expect(errors.contains(#"spec.containers[1].name: Duplicate value: "web""#))
        #expect(errors.contains("spec.containers[1].image: Required value"))
        #expect(
            errors.contains(
                "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"))
        #expect(errors.contains("spec.containers[0].readinessProbe: Required value: must specify a handler type"))
        #expect(
            errors.contains(
                "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"
            ))
        #expect(errors.contains(#"spec.containers[0].volumeMounts[0].name: Not found: "data""#))
        #expect(errors.count == 8, "\(errors)")
    }

    @Test func serviceRules() {
        var service = Service(metadata: ObjectMeta(name: "svc", namespace: "default"))
        service.spec.ports = [
            ServicePort(name: "http", port: 80), ServicePort(name: "http", port: 0, nodePort: 80),
        ]
        service.spec.type = "NodePort"
        var errors = messages(service.validate())
        #expect(errors.contains(#"spec.ports[1].name: Duplicate value: "http""#))
        #expect(errors.contains("spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive"))
        #expect(
            errors.contains(
                "spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
            ))
        service.spec.type = "ExternalName"
        service.spec.ports = nil
        errors = messages(service.validate())
        #expect(errors == ["spec.externalName: Required value"])
        service.spec.type = "Magic"
        errors = messages(service.validate())
        #expect(
            errors.contains(
                #"spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#
            ))
    }

    @Test func configMapKeysAndSize() {
        let map = ConfigMap(
            metadata: ObjectMeta(name: "c", namespace: "default"), data: ["good.key": "x", "bad key": "y"])
        #expect(
            messages(map.validate()) == [
                #"data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"#
            ])
        let big = ConfigMap(
            metadata: ObjectMeta(name: "c", namespace: "default"), data: ["k": String(repeating: "x", count: 1_048_577)]
        )
        #expect(messages(big.validate()) == ["Too long: must have at most 1048576 bytes"])
        var frozen = ConfigMap(metadata: ObjectMeta(name: "c", namespace: "default"), immutable: true, data: ["a": "1"])
        let old = frozen
        frozen.data = ["a": "2"]
        #expect(messages(frozen.validate(old: old)) == ["data: Forbidden: field is immutable when `immutable` is set"])
    }

    @Test func cronJobAndIngressAndRBAC() {
        var cron = CronJob(metadata: ObjectMeta(name: "c", namespace: "default"))
        cron.spec.schedule = "61 * * * *"
        cron.spec.jobTemplate.spec.template.spec = PodSpec(
            containers: [Container(name: "c", image: "x")], restartPolicy: "OnFailure")
        #expect(
            messages(cron.validate()) == [
                #"spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61"#
            ])
        cron.spec.schedule = "@daily"
        cron.spec.timeZone = "Mars/Olympus"
        #expect(
            messages(cron.validate()) == [
                #"spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus"#
            ])

        var ingress = Ingress(metadata: ObjectMeta(name: "i", namespace: "default"))
        ingress.spec.rules = [
            IngressRule(
                host: "example.com",
                http: HTTPIngressRuleValue(paths: [
                    HTTPIngressPath(
                        path: "api", pathType: "Prefix",
                        backend: IngressBackend(
                            service: IngressServiceBackend(name: "api", port: ServiceBackendPort(number: 80)))),
                    HTTPIngressPath(
                        path: "/", pathType: "Fuzzy",
                        backend: IngressBackend(
                            service: IngressServiceBackend(name: "web", port: ServiceBackendPort(name: "http")))),
                ]))
        ]
        #expect(
            messages(ingress.validate()) == [
                #"spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path"#,
                #"spec.rules[0].http.paths[1].pathType: Unsupported value: "Fuzzy": supported values: "Exact", "ImplementationSpecific", "Prefix""#,
            ])

        let role = Role(
            metadata: ObjectMeta(name: "r", namespace: "default"),
            rules: [PolicyRule(verbs: [], apiGroups: [""], resources: ["pods"])])
        #expect(messages(role.validate()) == ["rules[0].verbs: Required value: verbs must contain at least one value"])
        let binding = RoleBinding(
            metadata: ObjectMeta(name: "b", namespace: "default"),
            subjects: [Subject(kind: "ServiceAccount", name: "default")],
            roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r"))
        #expect(binding.validate().isEmpty)
    }

    @Test func codecValidatesUpdatesAsJSON() throws {
        let codec = try #require(KindRegistry.codec(for: "pods"))
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"))
        pod.spec.containers = [Container(name: "c", image: "nginx:1")]
        let old = try pod.jsonValue()
        pod.spec.containers[0].image = "nginx:2"
        #expect(codec.validate(try pod.jsonValue(), oldObject: old).isEmpty)
        pod.spec.restartPolicy = "Never"
        pod.metadata.name = "q"
        let errors = codec.validate(try pod.jsonValue(), oldObject: old).map(\.field)
        #expect(errors == ["metadata.name", "spec"])
    }
}
