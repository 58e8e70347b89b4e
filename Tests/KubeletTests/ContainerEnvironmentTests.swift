import Foundation
import Schema
import Testing

@testable import Kubelet

@Suite struct ContainerEnvironmentTests {
    func map(_ name: String, _ data: [String: String]) -> ConfigMap {
        var m = ConfigMap()
        m.metadata.name = name
        m.data = data
        return m
    }

    func secret(_ name: String, _ data: [String: String]) -> Secret {
        var s = Secret()
        s.metadata.name = name
        s.data = data.mapValues { Data($0.utf8).base64EncodedString() }
        return s
    }

    /// The kubelet's service variables: `kubernetes` for every pod, the namespace's services with service links,
    /// overridable by the container's own env (the official pods/commands.yaml prints KUBERNETES_PORT).
    @Test func serviceVariables() throws {
        func service(_ name: String, namespace: String, ip: String, ports: [ServicePort]) -> Service {
            var service = Service(metadata: ObjectMeta(name: name, namespace: namespace))
            service.spec.clusterIP = ip
            service.spec.ports = ports
            return service
        }
        let kubernetes = service(
            "kubernetes", namespace: "default", ip: "10.96.0.1",
            ports: [ServicePort(name: "https", protocol: "TCP", port: 443)])
        let redis = service(
            "redis-primary", namespace: "web", ip: "10.96.0.11", ports: [ServicePort(protocol: "TCP", port: 6379)])
        var headless = service("db", namespace: "web", ip: "None", ports: [ServicePort(port: 5432)])
        headless.spec.clusterIP = "None"
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "web"))
        var container = Container(name: "c", image: "debian")
        container.env = [
            EnvVar(name: "REDIS_PRIMARY_SERVICE_PORT", value: "1234"),
            EnvVar(name: "URL", value: "redis://$(REDIS_PRIMARY_SERVICE_HOST)"),
        ]
        pod.spec.containers = [container]
        var sources = ContainerEnvironment.Sources()
        sources.services = [kubernetes, redis, headless]
        let env = Dictionary(
            try ContainerEnvironment.resolve(container: container, pod: pod, sources: sources).map {
                ($0.name, $0.value)
            },
            uniquingKeysWith: { $1 })
        #expect(env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        #expect(env["KUBERNETES_SERVICE_PORT"] == "443")
        #expect(env["KUBERNETES_SERVICE_PORT_HTTPS"] == "443")
        #expect(env["KUBERNETES_PORT"] == "tcp://10.96.0.1:443")
        #expect(env["KUBERNETES_PORT_443_TCP"] == "tcp://10.96.0.1:443")
        #expect(env["KUBERNETES_PORT_443_TCP_PROTO"] == "tcp")
        #expect(env["KUBERNETES_PORT_443_TCP_PORT"] == "443")
        #expect(env["KUBERNETES_PORT_443_TCP_ADDR"] == "10.96.0.1")
        #expect(env["REDIS_PRIMARY_SERVICE_HOST"] == "10.96.0.11")
        #expect(env["REDIS_PRIMARY_SERVICE_PORT"] == "1234")
        #expect(env["URL"] == "redis://10.96.0.11")
        #expect(env.keys.allSatisfy { !$0.hasPrefix("DB_") })

        pod.spec.enableServiceLinks = false
        let unlinked = try ContainerEnvironment.resolve(container: container, pod: pod, sources: sources).map(\.name)
        #expect(unlinked.contains("KUBERNETES_SERVICE_HOST"))
        #expect(!unlinked.contains("REDIS_PRIMARY_SERVICE_HOST"))
    }

    @Test func expansionFollowsKubernetes() {
        let env = ["A": "1", "B": "two"]
        #expect(ContainerEnvironment.expand("$(A)-$(B)", with: env) == "1-two")
        #expect(ContainerEnvironment.expand("$$(A)", with: env) == "$(A)")
        #expect(ContainerEnvironment.expand("$(MISSING)", with: env) == "$(MISSING)")
        #expect(ContainerEnvironment.expand("cost $5", with: env) == "cost $5")
        #expect(ContainerEnvironment.expand("$(A", with: env) == "$(A")
    }

    @Test func argvRules() {
        let image = ResolvedImage(image: "nginx", imageID: "x", entrypoint: ["/entry"], cmd: ["--default"])
        let env = [EnvPair(name: "PORT", value: "8080")]
        #expect(
            ContainerEnvironment.argv(container: Container(name: "c"), image: image, env: env) == [
                "/entry", "--default",
            ])
        #expect(
            ContainerEnvironment.argv(container: Container(name: "c", args: ["-p", "$(PORT)"]), image: image, env: env)
                == ["/entry", "-p", "8080"])
        #expect(
            ContainerEnvironment.argv(container: Container(name: "c", command: ["/bin/sh"]), image: image, env: env)
                == ["/bin/sh"])
        #expect(
            ContainerEnvironment.argv(
                container: Container(name: "c", command: ["/bin/sh", "-c"], args: ["echo $$(PORT) $(PORT)"]),
                image: image, env: env)
                == ["/bin/sh", "-c", "echo $(PORT) 8080"])
    }

    @Test func envFromValueRefsAndOrder() throws {
        var pod = Fixtures.pod()
        pod.metadata.labels = ["app": "web"]
        pod.spec.serviceAccountName = "default"
        let c = Container(
            name: "app",
            envFrom: [EnvFromSource(prefix: "CFG_", configMapRef: ConfigMapEnvSource(name: "cfg"))],
            env: [
                EnvVar(name: "GREETING", value: "hi $(CFG_MODE)"),
                EnvVar(name: "POD", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
                EnvVar(
                    name: "APP",
                    valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels['app']"))),
                EnvVar(name: "IP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "status.podIP"))),
                EnvVar(
                    name: "NODE", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "spec.nodeName"))),
                EnvVar(
                    name: "PW", valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(name: "s", key: "password"))),
            ])
        let sources = ContainerEnvironment.Sources(
            configMaps: ["cfg": map("cfg", ["MODE": "fast"])], secrets: ["s": secret("s", ["password": "hunter2"])],
            podIP: "10.244.1.7", hostIP: "10.244.1.1")
        let env = try ContainerEnvironment.resolve(container: c, pod: pod, sources: sources)
        let dict = Dictionary(env.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        #expect(dict["CFG_MODE"] == "fast")
        #expect(dict["GREETING"] == "hi fast")
        #expect(dict["POD"] == "web")
        #expect(dict["APP"] == "web")
        #expect(dict["IP"] == "10.244.1.7")
        #expect(dict["NODE"] == "node-1")
        #expect(dict["PW"] == "hunter2")
        #expect(dict["POD_IP"] == "10.244.1.7")
        #expect(dict["HOSTNAME"] == "web")
        #expect(env.first?.name == "CFG_MODE")
    }

    @Test func missingConfigMapIsAConfigError() {
        let c = Container(
            name: "app",
            env: [
                EnvVar(name: "X", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "x", key: "k")))
            ])
        #expect(throws: ContainerEnvironment.ConfigError("configmap \"x\" not found")) {
            try ContainerEnvironment.resolve(container: c, pod: Fixtures.pod(), sources: .init())
        }
        let optional = Container(
            name: "app",
            env: [
                EnvVar(
                    name: "X",
                    valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "x", key: "k", optional: true)))
            ])
        let env = try? ContainerEnvironment.resolve(container: optional, pod: Fixtures.pod(), sources: .init())
        #expect(env?.contains { $0.name == "X" } == false)
    }

    @Test func missingKeyNamesTheConfigMap() {
        let c = Container(
            name: "app",
            env: [
                EnvVar(
                    name: "X", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "cfg", key: "nope")))
            ])
        #expect(throws: ContainerEnvironment.ConfigError("couldn't find key nope in ConfigMap default/cfg")) {
            try ContainerEnvironment.resolve(
                container: c, pod: Fixtures.pod(), sources: .init(configMaps: ["cfg": map("cfg", [:])]))
        }
    }

    @Test func resourceFieldRefUsesDivisorAndNodeDefault() throws {
        let c = Container(
            name: "app",
            resources: ResourceRequirements(limits: ["memory": "64Mi", "cpu": "250m"], requests: ["cpu": "100m"]))
        let pod = Fixtures.pod(containers: [c])
        let sources = ContainerEnvironment.Sources(nodeAllocatableCPUMillis: 4000)
        func value(_ resource: String, _ divisor: Quantity? = nil, _ container: Container = c) throws -> String {
            try ContainerEnvironment.resourceValue(
                ResourceFieldSelector(resource: resource, divisor: divisor), container: container, pod: pod,
                sources: sources)
        }
        #expect(try value("limits.memory", "1Mi") == "64")
        #expect(try value("limits.cpu") == "1")
        #expect(try value("limits.cpu", "1m") == "250")
        #expect(try value("requests.cpu", "1m") == "100")
        #expect(try value("limits.cpu", nil, Container(name: "bare")) == "4")
    }

    @Test func hostnamePrefersSpecHostname() {
        var pod = Fixtures.pod()
        #expect(ContainerEnvironment.hostname(of: pod) == "web")
        pod.spec.hostname = "db-0"
        #expect(ContainerEnvironment.hostname(of: pod) == "db-0")
    }
}
