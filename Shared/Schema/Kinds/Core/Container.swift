// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// One container of a pod.
public struct Container: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `image` field.
    public var image: String?
    /// Kubernetes' `command` field.
    public var command: [String]?
    /// Kubernetes' `args` field.
    public var args: [String]?
    /// Kubernetes' `workingDir` field.
    public var workingDir: String?
    /// Kubernetes' `ports` field.
    public var ports: [ContainerPort]?
    /// Kubernetes' `envFrom` field.
    public var envFrom: [EnvFromSource]?
    /// Kubernetes' `env` field.
    public var env: [EnvVar]?
    /// Kubernetes' `resources` field.
    public var resources: ResourceRequirements?
    /// Only `Always`, for sidecar init containers.
    public var restartPolicy: String?
    /// Kubernetes' `volumeMounts` field.
    public var volumeMounts: [VolumeMount]?
    /// Kubernetes' `livenessProbe` field.
    public var livenessProbe: Probe?
    /// Kubernetes' `readinessProbe` field.
    public var readinessProbe: Probe?
    /// Kubernetes' `startupProbe` field.
    public var startupProbe: Probe?
    /// Kubernetes' `lifecycle` field.
    public var lifecycle: Lifecycle?
    /// Kubernetes' `terminationMessagePath` field.
    public var terminationMessagePath: String?
    /// File or FallbackToLogsOnError.
    public var terminationMessagePolicy: String?
    /// Always, IfNotPresent or Never.
    public var imagePullPolicy: String?
    /// Kubernetes' `securityContext` field.
    public var securityContext: SecurityContext?
    /// Kubernetes' `stdin` field.
    public var stdin: Bool?
    /// Kubernetes' `stdinOnce` field.
    public var stdinOnce: Bool?
    /// Kubernetes' `tty` field.
    public var tty: Bool?

    /// Creates a `Container`; every field defaults to empty.
    public init(
        name: String = "",
        image: String? = nil,
        command: [String]? = nil,
        args: [String]? = nil,
        workingDir: String? = nil,
        ports: [ContainerPort]? = nil,
        envFrom: [EnvFromSource]? = nil,
        env: [EnvVar]? = nil,
        resources: ResourceRequirements? = nil,
        restartPolicy: String? = nil,
        volumeMounts: [VolumeMount]? = nil,
        livenessProbe: Probe? = nil,
        readinessProbe: Probe? = nil,
        startupProbe: Probe? = nil,
        lifecycle: Lifecycle? = nil,
        terminationMessagePath: String? = nil,
        terminationMessagePolicy: String? = nil,
        imagePullPolicy: String? = nil,
        securityContext: SecurityContext? = nil,
        stdin: Bool? = nil,
        stdinOnce: Bool? = nil,
        tty: Bool? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.ports = ports
        self.envFrom = envFrom
        self.env = env
        self.resources = resources
        self.restartPolicy = restartPolicy
        self.volumeMounts = volumeMounts
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
        self.lifecycle = lifecycle
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
        self.imagePullPolicy = imagePullPolicy
        self.securityContext = securityContext
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.tty = tty
    }

    enum CodingKeys: String, CodingKey {
        case name
        case image
        case command
        case args
        case workingDir
        case ports
        case envFrom
        case env
        case resources
        case restartPolicy
        case volumeMounts
        case livenessProbe
        case readinessProbe
        case startupProbe
        case lifecycle
        case terminationMessagePath
        case terminationMessagePolicy
        case imagePullPolicy
        case securityContext
        case stdin
        case stdinOnce
        case tty
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.image = try container.decodeIfPresent(String.self, forKey: .image)
        self.command = try container.decodeIfPresent([String].self, forKey: .command)
        self.args = try container.decodeIfPresent([String].self, forKey: .args)
        self.workingDir = try container.decodeIfPresent(String.self, forKey: .workingDir)
        self.ports = try container.decodeIfPresent([ContainerPort].self, forKey: .ports)
        self.envFrom = try container.decodeIfPresent([EnvFromSource].self, forKey: .envFrom)
        self.env = try container.decodeIfPresent([EnvVar].self, forKey: .env)
        self.resources = try container.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        self.restartPolicy = try container.decodeIfPresent(String.self, forKey: .restartPolicy)
        self.volumeMounts = try container.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts)
        self.livenessProbe = try container.decodeIfPresent(Probe.self, forKey: .livenessProbe)
        self.readinessProbe = try container.decodeIfPresent(Probe.self, forKey: .readinessProbe)
        self.startupProbe = try container.decodeIfPresent(Probe.self, forKey: .startupProbe)
        self.lifecycle = try container.decodeIfPresent(Lifecycle.self, forKey: .lifecycle)
        self.terminationMessagePath = try container.decodeIfPresent(String.self, forKey: .terminationMessagePath)
        self.terminationMessagePolicy = try container.decodeIfPresent(String.self, forKey: .terminationMessagePolicy)
        self.imagePullPolicy = try container.decodeIfPresent(String.self, forKey: .imagePullPolicy)
        self.securityContext = try container.decodeIfPresent(SecurityContext.self, forKey: .securityContext)
        self.stdin = try container.decodeIfPresent(Bool.self, forKey: .stdin)
        self.stdinOnce = try container.decodeIfPresent(Bool.self, forKey: .stdinOnce)
        self.tty = try container.decodeIfPresent(Bool.self, forKey: .tty)
    }
}

/// A port a container listens on.
public struct ContainerPort: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Kubernetes' `hostPort` field.
    public var hostPort: Int?
    /// Kubernetes' `containerPort` field.
    public var containerPort: Int
    /// TCP, UDP or SCTP.
    public var `protocol`: String?
    /// Kubernetes' `hostIP` field.
    public var hostIP: String?

    /// Creates a `ContainerPort`; every field defaults to empty.
    public init(
        name: String? = nil,
        hostPort: Int? = nil,
        containerPort: Int = 0,
        `protocol`: String? = nil,
        hostIP: String? = nil
    ) {
        self.name = name
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostIP = hostIP
    }

    enum CodingKeys: String, CodingKey {
        case name
        case hostPort
        case containerPort
        case `protocol`
        case hostIP
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.hostPort = try container.decodeIfPresent(Int.self, forKey: .hostPort)
        self.containerPort = try container.decodeIfPresent(Int.self, forKey: .containerPort) ?? 0
        self.protocol = try container.decodeIfPresent(String.self, forKey: .`protocol`)
        self.hostIP = try container.decodeIfPresent(String.self, forKey: .hostIP)
    }
}

/// An environment variable: a literal value or a reference.
public struct EnvVar: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String?
    /// Kubernetes' `valueFrom` field.
    public var valueFrom: EnvVarSource?

    /// Creates a `EnvVar`; every field defaults to empty.
    public init(
        name: String = "",
        value: String? = nil,
        valueFrom: EnvVarSource? = nil
    ) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
        case valueFrom
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.value = try container.decodeIfPresent(String.self, forKey: .value)
        self.valueFrom = try container.decodeIfPresent(EnvVarSource.self, forKey: .valueFrom)
    }
}

/// Where an environment variable's value comes from.
public struct EnvVarSource: Sendable, Codable, Hashable {
    /// Kubernetes' `fieldRef` field.
    public var fieldRef: ObjectFieldSelector?
    /// Kubernetes' `resourceFieldRef` field.
    public var resourceFieldRef: ResourceFieldSelector?
    /// Kubernetes' `configMapKeyRef` field.
    public var configMapKeyRef: ConfigMapKeySelector?
    /// Kubernetes' `secretKeyRef` field.
    public var secretKeyRef: SecretKeySelector?

    /// Creates a `EnvVarSource`; every field defaults to empty.
    public init(
        fieldRef: ObjectFieldSelector? = nil,
        resourceFieldRef: ResourceFieldSelector? = nil,
        configMapKeyRef: ConfigMapKeySelector? = nil,
        secretKeyRef: SecretKeySelector? = nil
    ) {
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
    }

    enum CodingKeys: String, CodingKey {
        case fieldRef
        case resourceFieldRef
        case configMapKeyRef
        case secretKeyRef
    }
}

/// Selects a field of the pod, e.g. `metadata.name`.
public struct ObjectFieldSelector: Sendable, Codable, Hashable {
    /// Kubernetes' `apiVersion` field.
    public var apiVersion: String?
    /// Kubernetes' `fieldPath` field.
    public var fieldPath: String

    /// Creates a `ObjectFieldSelector`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        fieldPath: String = ""
    ) {
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case fieldPath
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.fieldPath = try container.decodeIfPresent(String.self, forKey: .fieldPath) ?? ""
    }
}

/// Selects a container resource, e.g. `limits.cpu`.
public struct ResourceFieldSelector: Sendable, Codable, Hashable {
    /// Kubernetes' `containerName` field.
    public var containerName: String?
    /// Kubernetes' `resource` field.
    public var resource: String
    /// Kubernetes' `divisor` field.
    public var divisor: Quantity?

    /// Creates a `ResourceFieldSelector`; every field defaults to empty.
    public init(
        containerName: String? = nil,
        resource: String = "",
        divisor: Quantity? = nil
    ) {
        self.containerName = containerName
        self.resource = resource
        self.divisor = divisor
    }

    enum CodingKeys: String, CodingKey {
        case containerName
        case resource
        case divisor
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.containerName = try container.decodeIfPresent(String.self, forKey: .containerName)
        self.resource = try container.decodeIfPresent(String.self, forKey: .resource) ?? ""
        self.divisor = try container.decodeIfPresent(Quantity.self, forKey: .divisor)
    }
}

/// Selects a key of a ConfigMap.
public struct ConfigMapKeySelector: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// The key.
    public var key: String
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapKeySelector`; every field defaults to empty.
    public init(
        name: String? = nil,
        key: String = "",
        optional: Bool? = nil
    ) {
        self.name = name
        self.key = key
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case key
        case optional
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.optional = try container.decodeIfPresent(Bool.self, forKey: .optional)
    }
}

/// Selects a key of a Secret.
public struct SecretKeySelector: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// The key.
    public var key: String
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `SecretKeySelector`; every field defaults to empty.
    public init(
        name: String? = nil,
        key: String = "",
        optional: Bool? = nil
    ) {
        self.name = name
        self.key = key
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case key
        case optional
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.optional = try container.decodeIfPresent(Bool.self, forKey: .optional)
    }
}

/// Imports all keys of a ConfigMap or Secret as variables.
public struct EnvFromSource: Sendable, Codable, Hashable {
    /// Kubernetes' `prefix` field.
    public var prefix: String?
    /// Kubernetes' `configMapRef` field.
    public var configMapRef: ConfigMapEnvSource?
    /// Kubernetes' `secretRef` field.
    public var secretRef: SecretEnvSource?

    /// Creates a `EnvFromSource`; every field defaults to empty.
    public init(
        prefix: String? = nil,
        configMapRef: ConfigMapEnvSource? = nil,
        secretRef: SecretEnvSource? = nil
    ) {
        self.prefix = prefix
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }

    enum CodingKeys: String, CodingKey {
        case prefix
        case configMapRef
        case secretRef
    }
}

/// The ConfigMap of an `envFrom`.
public struct ConfigMapEnvSource: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapEnvSource`; every field defaults to empty.
    public init(
        name: String? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case optional
    }
}

/// The Secret of an `envFrom`.
public struct SecretEnvSource: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `SecretEnvSource`; every field defaults to empty.
    public init(
        name: String? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case optional
    }
}

/// Compute resources a container requests and may not exceed.
public struct ResourceRequirements: Sendable, Codable, Hashable {
    /// Kubernetes' `limits` field.
    public var limits: [String: Quantity]?
    /// Kubernetes' `requests` field.
    public var requests: [String: Quantity]?

    /// Creates a `ResourceRequirements`; every field defaults to empty.
    public init(
        limits: [String: Quantity]? = nil,
        requests: [String: Quantity]? = nil
    ) {
        self.limits = limits
        self.requests = requests
    }

    enum CodingKeys: String, CodingKey {
        case limits
        case requests
    }
}

/// Where a volume is mounted in a container.
public struct VolumeMount: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `readOnly` field.
    public var readOnly: Bool?
    /// Kubernetes' `mountPath` field.
    public var mountPath: String
    /// Kubernetes' `subPath` field.
    public var subPath: String?
    /// Kubernetes' `mountPropagation` field.
    public var mountPropagation: String?
    /// Kubernetes' `subPathExpr` field.
    public var subPathExpr: String?

    /// Creates a `VolumeMount`; every field defaults to empty.
    public init(
        name: String = "",
        readOnly: Bool? = nil,
        mountPath: String = "",
        subPath: String? = nil,
        mountPropagation: String? = nil,
        subPathExpr: String? = nil
    ) {
        self.name = name
        self.readOnly = readOnly
        self.mountPath = mountPath
        self.subPath = subPath
        self.mountPropagation = mountPropagation
        self.subPathExpr = subPathExpr
    }

    enum CodingKeys: String, CodingKey {
        case name
        case readOnly
        case mountPath
        case subPath
        case mountPropagation
        case subPathExpr
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly)
        self.mountPath = try container.decodeIfPresent(String.self, forKey: .mountPath) ?? ""
        self.subPath = try container.decodeIfPresent(String.self, forKey: .subPath)
        self.mountPropagation = try container.decodeIfPresent(String.self, forKey: .mountPropagation)
        self.subPathExpr = try container.decodeIfPresent(String.self, forKey: .subPathExpr)
    }
}

/// A health check run against a container.
public struct Probe: Sendable, Codable, Hashable {
    /// Kubernetes' `exec` field.
    public var exec: ExecAction?
    /// Kubernetes' `httpGet` field.
    public var httpGet: HTTPGetAction?
    /// Kubernetes' `tcpSocket` field.
    public var tcpSocket: TCPSocketAction?
    /// Kubernetes' `grpc` field.
    public var grpc: GRPCAction?
    /// Kubernetes' `initialDelaySeconds` field.
    public var initialDelaySeconds: Int?
    /// Kubernetes' `timeoutSeconds` field.
    public var timeoutSeconds: Int?
    /// Kubernetes' `periodSeconds` field.
    public var periodSeconds: Int?
    /// Kubernetes' `successThreshold` field.
    public var successThreshold: Int?
    /// Kubernetes' `failureThreshold` field.
    public var failureThreshold: Int?
    /// Kubernetes' `terminationGracePeriodSeconds` field.
    public var terminationGracePeriodSeconds: Int64?

    /// Creates a `Probe`; every field defaults to empty.
    public init(
        exec: ExecAction? = nil,
        httpGet: HTTPGetAction? = nil,
        tcpSocket: TCPSocketAction? = nil,
        grpc: GRPCAction? = nil,
        initialDelaySeconds: Int? = nil,
        timeoutSeconds: Int? = nil,
        periodSeconds: Int? = nil,
        successThreshold: Int? = nil,
        failureThreshold: Int? = nil,
        terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.grpc = grpc
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    enum CodingKeys: String, CodingKey {
        case exec
        case httpGet
        case tcpSocket
        case grpc
        case initialDelaySeconds
        case timeoutSeconds
        case periodSeconds
        case successThreshold
        case failureThreshold
        case terminationGracePeriodSeconds
    }
}

/// Runs a command in the container.
public struct ExecAction: Sendable, Codable, Hashable {
    /// Kubernetes' `command` field.
    public var command: [String]?

    /// Creates a `ExecAction`; every field defaults to empty.
    public init(
        command: [String]? = nil
    ) {
        self.command = command
    }

    enum CodingKeys: String, CodingKey {
        case command
    }
}

/// Performs an HTTP GET.
public struct HTTPGetAction: Sendable, Codable, Hashable {
    /// Kubernetes' `path` field.
    public var path: String?
    /// Kubernetes' `port` field.
    public var port: IntOrString
    /// Kubernetes' `host` field.
    public var host: String?
    /// Kubernetes' `scheme` field.
    public var scheme: String?
    /// Kubernetes' `httpHeaders` field.
    public var httpHeaders: [HTTPHeader]?

    /// Creates a `HTTPGetAction`; every field defaults to empty.
    public init(
        path: String? = nil,
        port: IntOrString = .int(0),
        host: String? = nil,
        scheme: String? = nil,
        httpHeaders: [HTTPHeader]? = nil
    ) {
        self.path = path
        self.port = port
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
    }

    enum CodingKeys: String, CodingKey {
        case path
        case port
        case host
        case scheme
        case httpHeaders
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try container.decodeIfPresent(String.self, forKey: .path)
        self.port = try container.decodeIfPresent(IntOrString.self, forKey: .port) ?? .int(0)
        self.host = try container.decodeIfPresent(String.self, forKey: .host)
        self.scheme = try container.decodeIfPresent(String.self, forKey: .scheme)
        self.httpHeaders = try container.decodeIfPresent([HTTPHeader].self, forKey: .httpHeaders)
    }
}

/// A header of a probe request.
public struct HTTPHeader: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a `HTTPHeader`; every field defaults to empty.
    public init(
        name: String = "",
        value: String = ""
    ) {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}

/// Opens a TCP connection.
public struct TCPSocketAction: Sendable, Codable, Hashable {
    /// Kubernetes' `port` field.
    public var port: IntOrString
    /// Kubernetes' `host` field.
    public var host: String?

    /// Creates a `TCPSocketAction`; every field defaults to empty.
    public init(
        port: IntOrString = .int(0),
        host: String? = nil
    ) {
        self.port = port
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case port
        case host
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try container.decodeIfPresent(IntOrString.self, forKey: .port) ?? .int(0)
        self.host = try container.decodeIfPresent(String.self, forKey: .host)
    }
}

/// Calls the gRPC health service.
public struct GRPCAction: Sendable, Codable, Hashable {
    /// Kubernetes' `port` field.
    public var port: Int
    /// Kubernetes' `service` field.
    public var service: String?

    /// Creates a `GRPCAction`; every field defaults to empty.
    public init(
        port: Int = 0,
        service: String? = nil
    ) {
        self.port = port
        self.service = service
    }

    enum CodingKeys: String, CodingKey {
        case port
        case service
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        self.service = try container.decodeIfPresent(String.self, forKey: .service)
    }
}

/// Actions run after start and before stop.
public struct Lifecycle: Sendable, Codable, Hashable {
    /// Kubernetes' `postStart` field.
    public var postStart: LifecycleHandler?
    /// Kubernetes' `preStop` field.
    public var preStop: LifecycleHandler?

    /// Creates a `Lifecycle`; every field defaults to empty.
    public init(
        postStart: LifecycleHandler? = nil,
        preStop: LifecycleHandler? = nil
    ) {
        self.postStart = postStart
        self.preStop = preStop
    }

    enum CodingKeys: String, CodingKey {
        case postStart
        case preStop
    }
}

/// One lifecycle action.
public struct LifecycleHandler: Sendable, Codable, Hashable {
    /// Kubernetes' `exec` field.
    public var exec: ExecAction?
    /// Kubernetes' `httpGet` field.
    public var httpGet: HTTPGetAction?
    /// Kubernetes' `tcpSocket` field.
    public var tcpSocket: TCPSocketAction?
    /// Kubernetes' `sleep` field.
    public var sleep: SleepAction?

    /// Creates a `LifecycleHandler`; every field defaults to empty.
    public init(
        exec: ExecAction? = nil,
        httpGet: HTTPGetAction? = nil,
        tcpSocket: TCPSocketAction? = nil,
        sleep: SleepAction? = nil
    ) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.sleep = sleep
    }

    enum CodingKeys: String, CodingKey {
        case exec
        case httpGet
        case tcpSocket
        case sleep
    }
}

/// Sleeps for a while.
public struct SleepAction: Sendable, Codable, Hashable {
    /// Kubernetes' `seconds` field.
    public var seconds: Int64

    /// Creates a `SleepAction`; every field defaults to empty.
    public init(
        seconds: Int64 = 0
    ) {
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case seconds
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.seconds = try container.decodeIfPresent(Int64.self, forKey: .seconds) ?? 0
    }
}

/// Security settings of one container.
public struct SecurityContext: Sendable, Codable, Hashable {
    /// Kubernetes' `capabilities` field.
    public var capabilities: Capabilities?
    /// Kubernetes' `privileged` field.
    public var privileged: Bool?
    /// Kubernetes' `runAsUser` field.
    public var runAsUser: Int64?
    /// Kubernetes' `runAsGroup` field.
    public var runAsGroup: Int64?
    /// Kubernetes' `runAsNonRoot` field.
    public var runAsNonRoot: Bool?
    /// Kubernetes' `readOnlyRootFilesystem` field.
    public var readOnlyRootFilesystem: Bool?
    /// Kubernetes' `allowPrivilegeEscalation` field.
    public var allowPrivilegeEscalation: Bool?
    /// Kubernetes' `seccompProfile` field.
    public var seccompProfile: SeccompProfile?

    /// Creates a `SecurityContext`; every field defaults to empty.
    public init(
        capabilities: Capabilities? = nil,
        privileged: Bool? = nil,
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        readOnlyRootFilesystem: Bool? = nil,
        allowPrivilegeEscalation: Bool? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.capabilities = capabilities
        self.privileged = privileged
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.seccompProfile = seccompProfile
    }

    enum CodingKeys: String, CodingKey {
        case capabilities
        case privileged
        case runAsUser
        case runAsGroup
        case runAsNonRoot
        case readOnlyRootFilesystem
        case allowPrivilegeEscalation
        case seccompProfile
    }
}

/// Linux capabilities to add and drop.
public struct Capabilities: Sendable, Codable, Hashable {
    /// Kubernetes' `add` field.
    public var add: [String]?
    /// Kubernetes' `drop` field.
    public var drop: [String]?

    /// Creates a `Capabilities`; every field defaults to empty.
    public init(
        add: [String]? = nil,
        drop: [String]? = nil
    ) {
        self.add = add
        self.drop = drop
    }

    enum CodingKeys: String, CodingKey {
        case add
        case drop
    }
}

/// A seccomp profile.
public struct SeccompProfile: Sendable, Codable, Hashable {
    /// The type, one of the values Kubernetes defines for it.
    public var type: String
    /// Kubernetes' `localhostProfile` field.
    public var localhostProfile: String?

    /// Creates a `SeccompProfile`; every field defaults to empty.
    public init(
        type: String = "",
        localhostProfile: String? = nil
    ) {
        self.type = type
        self.localhostProfile = localhostProfile
    }

    enum CodingKeys: String, CodingKey {
        case type
        case localhostProfile
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.localhostProfile = try container.decodeIfPresent(String.self, forKey: .localhostProfile)
    }
}
