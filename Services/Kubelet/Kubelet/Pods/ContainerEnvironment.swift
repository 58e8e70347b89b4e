import Foundation
public import Schema

/// A container's environment and argv, resolved the way the kubelet does, as pure functions.
public enum ContainerEnvironment {
    /// A container cannot start until its configuration resolves (`CreateContainerConfigError`).
    public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// What env resolution reads from outside the pod.
    public struct Sources: Sendable {
        /// ConfigMaps of the pod's namespace by name; a referenced name that is absent was not found.
        public var configMaps: [String: ConfigMap]
        public var secrets: [String: Secret]
        public var podIP: String?
        public var hostIP: String?
        /// The node's allocatable cpu (millicores) and memory (bytes): the default for unset limits.
        public var nodeAllocatableCPUMillis: Int64
        public var nodeAllocatableMemory: Int64
        /// The Services of the pod's namespace and `default/kubernetes`, for the service environment variables.
        public var services: [Service] = []

        public init(
            configMaps: [String: ConfigMap] = [:], secrets: [String: Secret] = [:], podIP: String? = nil,
            hostIP: String? = nil, nodeAllocatableCPUMillis: Int64 = 1000, nodeAllocatableMemory: Int64 = 1 << 30
        ) {
            self.configMaps = configMaps
            self.secrets = secrets
            self.podIP = podIP
            self.hostIP = hostIP
            self.nodeAllocatableCPUMillis = nodeAllocatableCPUMillis
            self.nodeAllocatableMemory = nodeAllocatableMemory
        }
    }

    /// The ConfigMap and Secret names `container` refers to in env and envFrom.
    public static func references(of container: Container) -> (configMaps: Set<String>, secrets: Set<String>) {
        var maps = Set<String>()
        var secrets = Set<String>()
        for e in container.envFrom ?? [] {
            if let n = e.configMapRef?.name { maps.insert(n) }
            if let n = e.secretRef?.name { secrets.insert(n) }
        }
        for v in container.env ?? [] {
            if let n = v.valueFrom?.configMapKeyRef?.name { maps.insert(n) }
            if let n = v.valueFrom?.secretKeyRef?.name { secrets.insert(n) }
        }
        return (maps, secrets)
    }

    /// The container's environment in order: envFrom, then env (with `$(VAR)` expanded against what came before),
    /// then `POD_IP` (loopback mode binds it) and `HOSTNAME` unless set.
    public static func resolve(
        container: Container, pod: Pod, sources: Sources
    ) throws(ConfigError) -> [EnvPair] {
        var env: [EnvPair] = []
        var index: [String: Int] = [:]
        func put(_ name: String, _ value: String) {
            if let i = index[name] {
                env[i].value = value
            } else {
                index[name] = env.count
                env.append(EnvPair(name: name, value: value))
            }
        }
        // Service variables first, as the kubelet sets them: env and envFrom may override them and refer to them.
        for pair in serviceEnvironment(
            sources.services, namespace: pod.metadata.namespace ?? "default",
            enableServiceLinks: pod.spec.enableServiceLinks ?? true)
        {
            put(pair.name, pair.value)
        }
        for source in container.envFrom ?? [] {
            let prefix = source.prefix ?? ""
            if let ref = source.configMapRef {
                let name = ref.name ?? ""
                if let map = sources.configMaps[name] {
                    for (k, v) in (map.data ?? [:]).sorted(by: { $0.key < $1.key }) { put(prefix + k, v) }
                } else if ref.optional != true {
                    throw ConfigError("configmap \"\(name)\" not found")
                }
            }
            if let ref = source.secretRef {
                let name = ref.name ?? ""
                if let secret = sources.secrets[name] {
                    for (k, v) in secretData(secret).sorted(by: { $0.key < $1.key }) {
                        put(prefix + k, String(decoding: v, as: UTF8.self))
                    }
                } else if ref.optional != true {
                    throw ConfigError("secret \"\(name)\" not found")
                }
            }
        }
        for variable in container.env ?? [] {
            if let from = variable.valueFrom {
                guard let value = try valueFrom(from, container: container, pod: pod, sources: sources) else {
                    continue
                }
                put(variable.name, value)
            } else {
                let current = Dictionary(env.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                put(variable.name, expand(variable.value ?? "", with: current))
            }
        }
        if index["POD_IP"] == nil, let ip = sources.podIP { put("POD_IP", ip) }
        if index["HOSTNAME"] == nil { put("HOSTNAME", hostname(of: pod)) }
        return env
    }

    /// The kubelet's service environment variables (`getServiceEnvVarMap`): for `default/kubernetes` always, and
    /// with `enableServiceLinks` for every Service of the pod's namespace that has a cluster IP —
    /// `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT[_<PORT NAME>]`, and the Docker-link style `<NAME>_PORT…`. A service
    /// of the namespace wins over the master service of the same name.
    public static func serviceEnvironment(_ services: [Service], namespace: String, enableServiceLinks: Bool)
        -> [EnvPair]
    {
        var chosen: [String: Service] = [:]
        for service in services {
            guard let ip = service.spec.clusterIP, IPv4(ip) != nil, service.spec.type != "ExternalName" else {
                continue
            }
            let name = service.metadata.name ?? ""
            let serviceNamespace = service.metadata.namespace ?? "default"
            if serviceNamespace == "default" && name == "kubernetes" {
                if chosen[name] == nil { chosen[name] = service }
            } else if serviceNamespace == namespace && enableServiceLinks {
                chosen[name] = service
            }
        }
        var env: [EnvPair] = []
        for name in chosen.keys.sorted() {
            let service = chosen[name]!
            let ports = service.spec.ports ?? []
            guard let first = ports.first, let ip = service.spec.clusterIP else { continue }
            let prefix = name.uppercased().replacingOccurrences(of: "-", with: "_")
            env.append(EnvPair(name: "\(prefix)_SERVICE_HOST", value: ip))
            env.append(EnvPair(name: "\(prefix)_SERVICE_PORT", value: String(first.port)))
            for port in ports {
                guard let portName = port.name, !portName.isEmpty else { continue }
                let suffix = portName.uppercased().replacingOccurrences(of: "-", with: "_")
                env.append(EnvPair(name: "\(prefix)_SERVICE_PORT_\(suffix)", value: String(port.port)))
            }
            let firstProto = (first.protocol ?? "TCP").lowercased()
            env.append(EnvPair(name: "\(prefix)_PORT", value: "\(firstProto)://\(ip):\(first.port)"))
            for port in ports {
                let proto = (port.protocol ?? "TCP").uppercased()
                let base = "\(prefix)_PORT_\(port.port)_\(proto)"
                env.append(EnvPair(name: base, value: "\(proto.lowercased())://\(ip):\(port.port)"))
                env.append(EnvPair(name: base + "_PROTO", value: proto.lowercased()))
                env.append(EnvPair(name: base + "_PORT", value: String(port.port)))
                env.append(EnvPair(name: base + "_ADDR", value: ip))
            }
        }
        return env
    }

    /// The pod's hostname: `spec.hostname` or the pod name, at most 63 characters.
    public static func hostname(of pod: Pod) -> String {
        let name = pod.spec.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? pod.metadata.name ?? "pod"
        return String(name.prefix(63))
    }

    static func secretData(_ secret: Secret) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (k, v) in secret.data ?? [:] {
            out[k] = Data(base64Encoded: v).map { Array($0) } ?? Array(v.utf8)
        }
        for (k, v) in secret.stringData ?? [:] { out[k] = Array(v.utf8) }
        return out
    }

    static func valueFrom(
        _ from: EnvVarSource, container: Container, pod: Pod, sources: Sources
    ) throws(ConfigError) -> String? {
        if let field = from.fieldRef {
            return try fieldValue(field.fieldPath, pod: pod, sources: sources)
        }
        if let resource = from.resourceFieldRef {
            return try resourceValue(resource, container: container, pod: pod, sources: sources)
        }
        if let ref = from.configMapKeyRef {
            let name = ref.name ?? ""
            guard let map = sources.configMaps[name] else {
                if ref.optional == true { return nil }
                throw ConfigError("configmap \"\(name)\" not found")
            }
            guard let value = map.data?[ref.key] else {
                if ref.optional == true { return nil }
                throw ConfigError("couldn't find key \(ref.key) in ConfigMap \(pod.metadata.namespace ?? "")/\(name)")
            }
            return value
        }
        if let ref = from.secretKeyRef {
            let name = ref.name ?? ""
            guard let secret = sources.secrets[name] else {
                if ref.optional == true { return nil }
                throw ConfigError("secret \"\(name)\" not found")
            }
            guard let value = secretData(secret)[ref.key] else {
                if ref.optional == true { return nil }
                throw ConfigError("couldn't find key \(ref.key) in Secret \(pod.metadata.namespace ?? "")/\(name)")
            }
            return String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    /// The value of a downward-API field path.
    public static func fieldValue(_ path: String, pod: Pod, sources: Sources) throws(ConfigError) -> String {
        func bracketKey(_ prefix: String) -> String? {
            guard path.hasPrefix(prefix + "['"), path.hasSuffix("']") else { return nil }
            return String(path.dropFirst(prefix.count + 2).dropLast(2))
        }
        switch path {
        case "metadata.name": return pod.metadata.name ?? ""
        case "metadata.namespace": return pod.metadata.namespace ?? ""
        case "metadata.uid": return pod.metadata.uid ?? ""
        case "spec.nodeName": return pod.spec.nodeName ?? ""
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? ""
        case "status.hostIP", "status.hostIPs": return sources.hostIP ?? ""
        case "status.podIP", "status.podIPs": return sources.podIP ?? ""
        case "metadata.labels":
            return (pod.metadata.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
                .joined(separator: "\n")
        case "metadata.annotations":
            return (pod.metadata.annotations ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\"\($0.value)\"" }.joined(separator: "\n")
        default:
            if let key = bracketKey("metadata.labels") { return pod.metadata.labels?[key] ?? "" }
            if let key = bracketKey("metadata.annotations") { return pod.metadata.annotations?[key] ?? "" }
            throw ConfigError("unsupported fieldPath: \(path)")
        }
    }

    /// The value of a `resourceFieldRef`: limits default to the node's allocatable, rounded up by `divisor`.
    public static func resourceValue(
        _ ref: ResourceFieldSelector, container: Container, pod: Pod, sources: Sources
    ) throws(ConfigError) -> String {
        var target = container
        if let name = ref.containerName, !name.isEmpty {
            guard let c = ((pod.spec.initContainers ?? []) + pod.spec.containers).first(where: { $0.name == name })
            else { throw ConfigError("container \"\(name)\" not found in pod \(pod.metadata.name ?? "")") }
            target = c
        }
        let limits = target.resources?.limits ?? [:]
        let requests = target.resources?.requests ?? [:]
        let milli: Int64
        switch ref.resource {
        case "limits.cpu": milli = limits["cpu"]?.milliValue ?? sources.nodeAllocatableCPUMillis
        case "requests.cpu": milli = requests["cpu"]?.milliValue ?? 0
        case "limits.memory": milli = (limits["memory"]?.value ?? sources.nodeAllocatableMemory) * 1000
        case "requests.memory": milli = (requests["memory"]?.value ?? 0) * 1000
        case "limits.ephemeral-storage": milli = (limits["ephemeral-storage"]?.value ?? 0) * 1000
        case "requests.ephemeral-storage": milli = (requests["ephemeral-storage"]?.value ?? 0) * 1000
        default: throw ConfigError("unsupported container resource: \(ref.resource)")
        }
        // The divisor defaults to 1 (one core, one byte); values are rounded up.
        let divisorMilli = max(1, ref.divisor.map { $0.milliValue } ?? 1000)
        let value = (milli + divisorMilli - 1) / divisorMilli
        return String(value)
    }

    /// Expands `$(VAR)` from `env`; `$$` is a literal `$`; unknown references stay as written.
    public static func expand(_ input: String, with env: [String: String]) -> String {
        let chars = Array(input)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "$", i + 1 < chars.count {
                let n = chars[i + 1]
                if n == "$" {
                    out.append("$")
                    i += 2
                    continue
                }
                if n == "(", let close = chars[(i + 2)...].firstIndex(of: ")") {
                    let name = String(chars[(i + 2)..<close])
                    if let value = env[name] {
                        out += value
                    } else {
                        out += "$(" + name + ")"
                    }
                    i = close + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The argv per Docker and Kubernetes: `command` replaces the entrypoint, `args` the cmd; `command` alone
    /// drops the cmd; `$(VAR)` expanded from the container's environment.
    public static func argv(container: Container, image: ResolvedImage, env: [EnvPair]) -> [String] {
        let vars = Dictionary(env.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let command = container.command.map { $0.map { expand($0, with: vars) } }
        let args = container.args.map { $0.map { expand($0, with: vars) } }
        switch (command, args) {
        case (let command?, let args): return command + (args ?? [])
        case (nil, let args?): return image.entrypoint + args
        case (nil, nil): return image.entrypoint + image.cmd
        }
    }
}
