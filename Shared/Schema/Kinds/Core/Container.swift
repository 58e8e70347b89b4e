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

extension Container: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.image = try JSONTree.field(members, "image")
        self.command = try JSONTree.field(members, "command")
        self.args = try JSONTree.field(members, "args")
        self.workingDir = try JSONTree.field(members, "workingDir")
        self.ports = try JSONTree.field(members, "ports")
        self.envFrom = try JSONTree.field(members, "envFrom")
        self.env = try JSONTree.field(members, "env")
        self.resources = try JSONTree.field(members, "resources")
        self.restartPolicy = try JSONTree.field(members, "restartPolicy")
        self.volumeMounts = try JSONTree.field(members, "volumeMounts")
        self.livenessProbe = try JSONTree.field(members, "livenessProbe")
        self.readinessProbe = try JSONTree.field(members, "readinessProbe")
        self.startupProbe = try JSONTree.field(members, "startupProbe")
        self.lifecycle = try JSONTree.field(members, "lifecycle")
        self.terminationMessagePath = try JSONTree.field(members, "terminationMessagePath")
        self.terminationMessagePolicy = try JSONTree.field(members, "terminationMessagePolicy")
        self.imagePullPolicy = try JSONTree.field(members, "imagePullPolicy")
        self.securityContext = try JSONTree.field(members, "securityContext")
        self.stdin = try JSONTree.field(members, "stdin")
        self.stdinOnce = try JSONTree.field(members, "stdinOnce")
        self.tty = try JSONTree.field(members, "tty")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let image { members["image"] = image.jsonTree() }
        if let command { members["command"] = command.jsonTree() }
        if let args { members["args"] = args.jsonTree() }
        if let workingDir { members["workingDir"] = workingDir.jsonTree() }
        if let ports { members["ports"] = ports.jsonTree() }
        if let envFrom { members["envFrom"] = envFrom.jsonTree() }
        if let env { members["env"] = env.jsonTree() }
        if let resources { members["resources"] = resources.jsonTree() }
        if let restartPolicy { members["restartPolicy"] = restartPolicy.jsonTree() }
        if let volumeMounts { members["volumeMounts"] = volumeMounts.jsonTree() }
        if let livenessProbe { members["livenessProbe"] = livenessProbe.jsonTree() }
        if let readinessProbe { members["readinessProbe"] = readinessProbe.jsonTree() }
        if let startupProbe { members["startupProbe"] = startupProbe.jsonTree() }
        if let lifecycle { members["lifecycle"] = lifecycle.jsonTree() }
        if let terminationMessagePath { members["terminationMessagePath"] = terminationMessagePath.jsonTree() }
        if let terminationMessagePolicy { members["terminationMessagePolicy"] = terminationMessagePolicy.jsonTree() }
        if let imagePullPolicy { members["imagePullPolicy"] = imagePullPolicy.jsonTree() }
        if let securityContext { members["securityContext"] = securityContext.jsonTree() }
        if let stdin { members["stdin"] = stdin.jsonTree() }
        if let stdinOnce { members["stdinOnce"] = stdinOnce.jsonTree() }
        if let tty { members["tty"] = tty.jsonTree() }
        return .object(members)
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

extension ContainerPort: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.hostPort = try JSONTree.field(members, "hostPort")
        self.containerPort = try JSONTree.field(members, "containerPort") ?? 0
        self.protocol = try JSONTree.field(members, "protocol")
        self.hostIP = try JSONTree.field(members, "hostIP")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let hostPort { members["hostPort"] = hostPort.jsonTree() }
        members["containerPort"] = containerPort.jsonTree()
        if let `protocol` { members["protocol"] = `protocol`.jsonTree() }
        if let hostIP { members["hostIP"] = hostIP.jsonTree() }
        return .object(members)
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

extension EnvVar: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.value = try JSONTree.field(members, "value")
        self.valueFrom = try JSONTree.field(members, "valueFrom")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let value { members["value"] = value.jsonTree() }
        if let valueFrom { members["valueFrom"] = valueFrom.jsonTree() }
        return .object(members)
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

extension EnvVarSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.fieldRef = try JSONTree.field(members, "fieldRef")
        self.resourceFieldRef = try JSONTree.field(members, "resourceFieldRef")
        self.configMapKeyRef = try JSONTree.field(members, "configMapKeyRef")
        self.secretKeyRef = try JSONTree.field(members, "secretKeyRef")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let fieldRef { members["fieldRef"] = fieldRef.jsonTree() }
        if let resourceFieldRef { members["resourceFieldRef"] = resourceFieldRef.jsonTree() }
        if let configMapKeyRef { members["configMapKeyRef"] = configMapKeyRef.jsonTree() }
        if let secretKeyRef { members["secretKeyRef"] = secretKeyRef.jsonTree() }
        return .object(members)
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

extension ObjectFieldSelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.fieldPath = try JSONTree.field(members, "fieldPath") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        members["fieldPath"] = fieldPath.jsonTree()
        return .object(members)
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

extension ResourceFieldSelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.containerName = try JSONTree.field(members, "containerName")
        self.resource = try JSONTree.field(members, "resource") ?? ""
        self.divisor = try JSONTree.field(members, "divisor")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let containerName { members["containerName"] = containerName.jsonTree() }
        members["resource"] = resource.jsonTree()
        if let divisor { members["divisor"] = divisor.jsonTree() }
        return .object(members)
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

extension ConfigMapKeySelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.key = try JSONTree.field(members, "key") ?? ""
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        members["key"] = key.jsonTree()
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
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

extension SecretKeySelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.key = try JSONTree.field(members, "key") ?? ""
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        members["key"] = key.jsonTree()
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
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

extension EnvFromSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.prefix = try JSONTree.field(members, "prefix")
        self.configMapRef = try JSONTree.field(members, "configMapRef")
        self.secretRef = try JSONTree.field(members, "secretRef")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let prefix { members["prefix"] = prefix.jsonTree() }
        if let configMapRef { members["configMapRef"] = configMapRef.jsonTree() }
        if let secretRef { members["secretRef"] = secretRef.jsonTree() }
        return .object(members)
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

extension ConfigMapEnvSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
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

extension SecretEnvSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
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

extension ResourceRequirements: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.limits = try JSONTree.field(members, "limits")
        self.requests = try JSONTree.field(members, "requests")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let limits { members["limits"] = limits.jsonTree() }
        if let requests { members["requests"] = requests.jsonTree() }
        return .object(members)
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

extension VolumeMount: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.readOnly = try JSONTree.field(members, "readOnly")
        self.mountPath = try JSONTree.field(members, "mountPath") ?? ""
        self.subPath = try JSONTree.field(members, "subPath")
        self.mountPropagation = try JSONTree.field(members, "mountPropagation")
        self.subPathExpr = try JSONTree.field(members, "subPathExpr")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let readOnly { members["readOnly"] = readOnly.jsonTree() }
        members["mountPath"] = mountPath.jsonTree()
        if let subPath { members["subPath"] = subPath.jsonTree() }
        if let mountPropagation { members["mountPropagation"] = mountPropagation.jsonTree() }
        if let subPathExpr { members["subPathExpr"] = subPathExpr.jsonTree() }
        return .object(members)
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

extension Probe: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.exec = try JSONTree.field(members, "exec")
        self.httpGet = try JSONTree.field(members, "httpGet")
        self.tcpSocket = try JSONTree.field(members, "tcpSocket")
        self.grpc = try JSONTree.field(members, "grpc")
        self.initialDelaySeconds = try JSONTree.field(members, "initialDelaySeconds")
        self.timeoutSeconds = try JSONTree.field(members, "timeoutSeconds")
        self.periodSeconds = try JSONTree.field(members, "periodSeconds")
        self.successThreshold = try JSONTree.field(members, "successThreshold")
        self.failureThreshold = try JSONTree.field(members, "failureThreshold")
        self.terminationGracePeriodSeconds = try JSONTree.field(members, "terminationGracePeriodSeconds")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let exec { members["exec"] = exec.jsonTree() }
        if let httpGet { members["httpGet"] = httpGet.jsonTree() }
        if let tcpSocket { members["tcpSocket"] = tcpSocket.jsonTree() }
        if let grpc { members["grpc"] = grpc.jsonTree() }
        if let initialDelaySeconds { members["initialDelaySeconds"] = initialDelaySeconds.jsonTree() }
        if let timeoutSeconds { members["timeoutSeconds"] = timeoutSeconds.jsonTree() }
        if let periodSeconds { members["periodSeconds"] = periodSeconds.jsonTree() }
        if let successThreshold { members["successThreshold"] = successThreshold.jsonTree() }
        if let failureThreshold { members["failureThreshold"] = failureThreshold.jsonTree() }
        if let terminationGracePeriodSeconds {
            members["terminationGracePeriodSeconds"] = terminationGracePeriodSeconds.jsonTree()
        }
        return .object(members)
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

extension ExecAction: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.command = try JSONTree.field(members, "command")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let command { members["command"] = command.jsonTree() }
        return .object(members)
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

extension HTTPGetAction: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.path = try JSONTree.field(members, "path")
        self.port = try JSONTree.field(members, "port") ?? .int(0)
        self.host = try JSONTree.field(members, "host")
        self.scheme = try JSONTree.field(members, "scheme")
        self.httpHeaders = try JSONTree.field(members, "httpHeaders")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let path { members["path"] = path.jsonTree() }
        members["port"] = port.jsonTree()
        if let host { members["host"] = host.jsonTree() }
        if let scheme { members["scheme"] = scheme.jsonTree() }
        if let httpHeaders { members["httpHeaders"] = httpHeaders.jsonTree() }
        return .object(members)
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

extension HTTPHeader: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.value = try JSONTree.field(members, "value") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        members["value"] = value.jsonTree()
        return .object(members)
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

extension TCPSocketAction: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.port = try JSONTree.field(members, "port") ?? .int(0)
        self.host = try JSONTree.field(members, "host")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["port"] = port.jsonTree()
        if let host { members["host"] = host.jsonTree() }
        return .object(members)
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

extension GRPCAction: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.port = try JSONTree.field(members, "port") ?? 0
        self.service = try JSONTree.field(members, "service")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["port"] = port.jsonTree()
        if let service { members["service"] = service.jsonTree() }
        return .object(members)
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

extension Lifecycle: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.postStart = try JSONTree.field(members, "postStart")
        self.preStop = try JSONTree.field(members, "preStop")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let postStart { members["postStart"] = postStart.jsonTree() }
        if let preStop { members["preStop"] = preStop.jsonTree() }
        return .object(members)
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

extension LifecycleHandler: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.exec = try JSONTree.field(members, "exec")
        self.httpGet = try JSONTree.field(members, "httpGet")
        self.tcpSocket = try JSONTree.field(members, "tcpSocket")
        self.sleep = try JSONTree.field(members, "sleep")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let exec { members["exec"] = exec.jsonTree() }
        if let httpGet { members["httpGet"] = httpGet.jsonTree() }
        if let tcpSocket { members["tcpSocket"] = tcpSocket.jsonTree() }
        if let sleep { members["sleep"] = sleep.jsonTree() }
        return .object(members)
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

extension SleepAction: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.seconds = try JSONTree.field(members, "seconds") ?? 0
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["seconds"] = seconds.jsonTree()
        return .object(members)
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

extension SecurityContext: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.capabilities = try JSONTree.field(members, "capabilities")
        self.privileged = try JSONTree.field(members, "privileged")
        self.runAsUser = try JSONTree.field(members, "runAsUser")
        self.runAsGroup = try JSONTree.field(members, "runAsGroup")
        self.runAsNonRoot = try JSONTree.field(members, "runAsNonRoot")
        self.readOnlyRootFilesystem = try JSONTree.field(members, "readOnlyRootFilesystem")
        self.allowPrivilegeEscalation = try JSONTree.field(members, "allowPrivilegeEscalation")
        self.seccompProfile = try JSONTree.field(members, "seccompProfile")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let capabilities { members["capabilities"] = capabilities.jsonTree() }
        if let privileged { members["privileged"] = privileged.jsonTree() }
        if let runAsUser { members["runAsUser"] = runAsUser.jsonTree() }
        if let runAsGroup { members["runAsGroup"] = runAsGroup.jsonTree() }
        if let runAsNonRoot { members["runAsNonRoot"] = runAsNonRoot.jsonTree() }
        if let readOnlyRootFilesystem { members["readOnlyRootFilesystem"] = readOnlyRootFilesystem.jsonTree() }
        if let allowPrivilegeEscalation { members["allowPrivilegeEscalation"] = allowPrivilegeEscalation.jsonTree() }
        if let seccompProfile { members["seccompProfile"] = seccompProfile.jsonTree() }
        return .object(members)
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

extension Capabilities: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.add = try JSONTree.field(members, "add")
        self.drop = try JSONTree.field(members, "drop")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let add { members["add"] = add.jsonTree() }
        if let drop { members["drop"] = drop.jsonTree() }
        return .object(members)
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

extension SeccompProfile: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.type = try JSONTree.field(members, "type") ?? ""
        self.localhostProfile = try JSONTree.field(members, "localhostProfile")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["type"] = type.jsonTree()
        if let localhostProfile { members["localhostProfile"] = localhostProfile.jsonTree() }
        return .object(members)
    }
}
