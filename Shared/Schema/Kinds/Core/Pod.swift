// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A group of containers scheduled together on one node.
public struct Pod: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .pod }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PodSpec
    /// The observed state, written by controllers.
    public var status: PodStatus

    /// Creates a `Pod`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodSpec = PodSpec(),
        status: PodStatus = PodStatus()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
        case status
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try container.decodeIfPresent(PodSpec.self, forKey: .spec) ?? PodSpec()
        self.status = try container.decodeIfPresent(PodStatus.self, forKey: .status) ?? PodStatus()
    }
}

extension Pod: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? PodSpec()
        self.status = try JSONTree.field(members, "status") ?? PodStatus()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let apiVersion { members["apiVersion"] = apiVersion.jsonTree() }
        if let kind { members["kind"] = kind.jsonTree() }
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        members["status"] = status.jsonTree()
        return .object(members)
    }
}

/// The pod a workload stamps out.
public struct PodTemplateSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `metadata` field.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PodSpec

    /// Creates a `PodTemplateSpec`; every field defaults to empty.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodSpec = PodSpec()
    ) {
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case metadata
        case spec
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try container.decodeIfPresent(PodSpec.self, forKey: .spec) ?? PodSpec()
    }
}

extension PodTemplateSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? PodSpec()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        return .object(members)
    }
}

/// The desired state of a pod.
public struct PodSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `volumes` field.
    public var volumes: [Volume]?
    /// Kubernetes' `initContainers` field.
    public var initContainers: [Container]?
    /// Kubernetes' `containers` field.
    public var containers: [Container]
    /// Always, OnFailure or Never.
    public var restartPolicy: String?
    /// Kubernetes' `terminationGracePeriodSeconds` field.
    public var terminationGracePeriodSeconds: Int64?
    /// Kubernetes' `activeDeadlineSeconds` field.
    public var activeDeadlineSeconds: Int64?
    /// ClusterFirst, ClusterFirstWithHostNet, Default or None.
    public var dnsPolicy: String?
    /// Kubernetes' `nodeSelector` field.
    public var nodeSelector: [String: String]?
    /// Kubernetes' `serviceAccountName` field.
    public var serviceAccountName: String?
    /// Deprecated alias of `serviceAccountName`.
    public var serviceAccount: String?
    /// Kubernetes' `automountServiceAccountToken` field.
    public var automountServiceAccountToken: Bool?
    /// The node the pod is bound to.
    public var nodeName: String?
    /// Kubernetes' `hostNetwork` field.
    public var hostNetwork: Bool?
    /// Kubernetes' `hostPID` field.
    public var hostPID: Bool?
    /// Kubernetes' `hostIPC` field.
    public var hostIPC: Bool?
    /// Kubernetes' `shareProcessNamespace` field.
    public var shareProcessNamespace: Bool?
    /// Kubernetes' `securityContext` field.
    public var securityContext: PodSecurityContext?
    /// Kubernetes' `imagePullSecrets` field.
    public var imagePullSecrets: [LocalObjectReference]?
    /// Kubernetes' `hostname` field.
    public var hostname: String?
    /// Kubernetes' `subdomain` field.
    public var subdomain: String?
    /// Kubernetes' `affinity` field.
    public var affinity: Affinity?
    /// Kubernetes' `schedulerName` field.
    public var schedulerName: String?
    /// Kubernetes' `tolerations` field.
    public var tolerations: [Toleration]?
    /// Kubernetes' `hostAliases` field.
    public var hostAliases: [HostAlias]?
    /// Kubernetes' `priorityClassName` field.
    public var priorityClassName: String?
    /// Kubernetes' `priority` field.
    public var priority: Int?
    /// Kubernetes' `dnsConfig` field.
    public var dnsConfig: PodDNSConfig?
    /// Kubernetes' `readinessGates` field.
    public var readinessGates: [PodReadinessGate]?
    /// Kubernetes' `runtimeClassName` field.
    public var runtimeClassName: String?
    /// Kubernetes' `enableServiceLinks` field.
    public var enableServiceLinks: Bool?
    /// Kubernetes' `preemptionPolicy` field.
    public var preemptionPolicy: String?
    /// Kubernetes' `overhead` field.
    public var overhead: [String: Quantity]?
    /// Kubernetes' `topologySpreadConstraints` field.
    public var topologySpreadConstraints: [TopologySpreadConstraint]?

    /// Creates a `PodSpec`; every field defaults to empty.
    public init(
        volumes: [Volume]? = nil,
        initContainers: [Container]? = nil,
        containers: [Container] = [],
        restartPolicy: String? = nil,
        terminationGracePeriodSeconds: Int64? = nil,
        activeDeadlineSeconds: Int64? = nil,
        dnsPolicy: String? = nil,
        nodeSelector: [String: String]? = nil,
        serviceAccountName: String? = nil,
        serviceAccount: String? = nil,
        automountServiceAccountToken: Bool? = nil,
        nodeName: String? = nil,
        hostNetwork: Bool? = nil,
        hostPID: Bool? = nil,
        hostIPC: Bool? = nil,
        shareProcessNamespace: Bool? = nil,
        securityContext: PodSecurityContext? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil,
        hostname: String? = nil,
        subdomain: String? = nil,
        affinity: Affinity? = nil,
        schedulerName: String? = nil,
        tolerations: [Toleration]? = nil,
        hostAliases: [HostAlias]? = nil,
        priorityClassName: String? = nil,
        priority: Int? = nil,
        dnsConfig: PodDNSConfig? = nil,
        readinessGates: [PodReadinessGate]? = nil,
        runtimeClassName: String? = nil,
        enableServiceLinks: Bool? = nil,
        preemptionPolicy: String? = nil,
        overhead: [String: Quantity]? = nil,
        topologySpreadConstraints: [TopologySpreadConstraint]? = nil
    ) {
        self.volumes = volumes
        self.initContainers = initContainers
        self.containers = containers
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.dnsPolicy = dnsPolicy
        self.nodeSelector = nodeSelector
        self.serviceAccountName = serviceAccountName
        self.serviceAccount = serviceAccount
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.hostNetwork = hostNetwork
        self.hostPID = hostPID
        self.hostIPC = hostIPC
        self.shareProcessNamespace = shareProcessNamespace
        self.securityContext = securityContext
        self.imagePullSecrets = imagePullSecrets
        self.hostname = hostname
        self.subdomain = subdomain
        self.affinity = affinity
        self.schedulerName = schedulerName
        self.tolerations = tolerations
        self.hostAliases = hostAliases
        self.priorityClassName = priorityClassName
        self.priority = priority
        self.dnsConfig = dnsConfig
        self.readinessGates = readinessGates
        self.runtimeClassName = runtimeClassName
        self.enableServiceLinks = enableServiceLinks
        self.preemptionPolicy = preemptionPolicy
        self.overhead = overhead
        self.topologySpreadConstraints = topologySpreadConstraints
    }

    enum CodingKeys: String, CodingKey {
        case volumes
        case initContainers
        case containers
        case restartPolicy
        case terminationGracePeriodSeconds
        case activeDeadlineSeconds
        case dnsPolicy
        case nodeSelector
        case serviceAccountName
        case serviceAccount
        case automountServiceAccountToken
        case nodeName
        case hostNetwork
        case hostPID
        case hostIPC
        case shareProcessNamespace
        case securityContext
        case imagePullSecrets
        case hostname
        case subdomain
        case affinity
        case schedulerName
        case tolerations
        case hostAliases
        case priorityClassName
        case priority
        case dnsConfig
        case readinessGates
        case runtimeClassName
        case enableServiceLinks
        case preemptionPolicy
        case overhead
        case topologySpreadConstraints
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.volumes = try container.decodeIfPresent([Volume].self, forKey: .volumes)
        self.initContainers = try container.decodeIfPresent([Container].self, forKey: .initContainers)
        self.containers = try container.decodeIfPresent([Container].self, forKey: .containers) ?? []
        self.restartPolicy = try container.decodeIfPresent(String.self, forKey: .restartPolicy)
        self.terminationGracePeriodSeconds = try container.decodeIfPresent(
            Int64.self, forKey: .terminationGracePeriodSeconds)
        self.activeDeadlineSeconds = try container.decodeIfPresent(Int64.self, forKey: .activeDeadlineSeconds)
        self.dnsPolicy = try container.decodeIfPresent(String.self, forKey: .dnsPolicy)
        self.nodeSelector = try container.decodeIfPresent([String: String].self, forKey: .nodeSelector)
        self.serviceAccountName = try container.decodeIfPresent(String.self, forKey: .serviceAccountName)
        self.serviceAccount = try container.decodeIfPresent(String.self, forKey: .serviceAccount)
        self.automountServiceAccountToken = try container.decodeIfPresent(
            Bool.self, forKey: .automountServiceAccountToken)
        self.nodeName = try container.decodeIfPresent(String.self, forKey: .nodeName)
        self.hostNetwork = try container.decodeIfPresent(Bool.self, forKey: .hostNetwork)
        self.hostPID = try container.decodeIfPresent(Bool.self, forKey: .hostPID)
        self.hostIPC = try container.decodeIfPresent(Bool.self, forKey: .hostIPC)
        self.shareProcessNamespace = try container.decodeIfPresent(Bool.self, forKey: .shareProcessNamespace)
        self.securityContext = try container.decodeIfPresent(PodSecurityContext.self, forKey: .securityContext)
        self.imagePullSecrets = try container.decodeIfPresent([LocalObjectReference].self, forKey: .imagePullSecrets)
        self.hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        self.subdomain = try container.decodeIfPresent(String.self, forKey: .subdomain)
        self.affinity = try container.decodeIfPresent(Affinity.self, forKey: .affinity)
        self.schedulerName = try container.decodeIfPresent(String.self, forKey: .schedulerName)
        self.tolerations = try container.decodeIfPresent([Toleration].self, forKey: .tolerations)
        self.hostAliases = try container.decodeIfPresent([HostAlias].self, forKey: .hostAliases)
        self.priorityClassName = try container.decodeIfPresent(String.self, forKey: .priorityClassName)
        self.priority = try container.decodeIfPresent(Int.self, forKey: .priority)
        self.dnsConfig = try container.decodeIfPresent(PodDNSConfig.self, forKey: .dnsConfig)
        self.readinessGates = try container.decodeIfPresent([PodReadinessGate].self, forKey: .readinessGates)
        self.runtimeClassName = try container.decodeIfPresent(String.self, forKey: .runtimeClassName)
        self.enableServiceLinks = try container.decodeIfPresent(Bool.self, forKey: .enableServiceLinks)
        self.preemptionPolicy = try container.decodeIfPresent(String.self, forKey: .preemptionPolicy)
        self.overhead = try container.decodeIfPresent([String: Quantity].self, forKey: .overhead)
        self.topologySpreadConstraints = try container.decodeIfPresent(
            [TopologySpreadConstraint].self, forKey: .topologySpreadConstraints)
    }
}

extension PodSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.volumes = try JSONTree.field(members, "volumes")
        self.initContainers = try JSONTree.field(members, "initContainers")
        self.containers = try JSONTree.field(members, "containers") ?? []
        self.restartPolicy = try JSONTree.field(members, "restartPolicy")
        self.terminationGracePeriodSeconds = try JSONTree.field(members, "terminationGracePeriodSeconds")
        self.activeDeadlineSeconds = try JSONTree.field(members, "activeDeadlineSeconds")
        self.dnsPolicy = try JSONTree.field(members, "dnsPolicy")
        self.nodeSelector = try JSONTree.field(members, "nodeSelector")
        self.serviceAccountName = try JSONTree.field(members, "serviceAccountName")
        self.serviceAccount = try JSONTree.field(members, "serviceAccount")
        self.automountServiceAccountToken = try JSONTree.field(members, "automountServiceAccountToken")
        self.nodeName = try JSONTree.field(members, "nodeName")
        self.hostNetwork = try JSONTree.field(members, "hostNetwork")
        self.hostPID = try JSONTree.field(members, "hostPID")
        self.hostIPC = try JSONTree.field(members, "hostIPC")
        self.shareProcessNamespace = try JSONTree.field(members, "shareProcessNamespace")
        self.securityContext = try JSONTree.field(members, "securityContext")
        self.imagePullSecrets = try JSONTree.field(members, "imagePullSecrets")
        self.hostname = try JSONTree.field(members, "hostname")
        self.subdomain = try JSONTree.field(members, "subdomain")
        self.affinity = try JSONTree.field(members, "affinity")
        self.schedulerName = try JSONTree.field(members, "schedulerName")
        self.tolerations = try JSONTree.field(members, "tolerations")
        self.hostAliases = try JSONTree.field(members, "hostAliases")
        self.priorityClassName = try JSONTree.field(members, "priorityClassName")
        self.priority = try JSONTree.field(members, "priority")
        self.dnsConfig = try JSONTree.field(members, "dnsConfig")
        self.readinessGates = try JSONTree.field(members, "readinessGates")
        self.runtimeClassName = try JSONTree.field(members, "runtimeClassName")
        self.enableServiceLinks = try JSONTree.field(members, "enableServiceLinks")
        self.preemptionPolicy = try JSONTree.field(members, "preemptionPolicy")
        self.overhead = try JSONTree.field(members, "overhead")
        self.topologySpreadConstraints = try JSONTree.field(members, "topologySpreadConstraints")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let volumes { members["volumes"] = volumes.jsonTree() }
        if let initContainers { members["initContainers"] = initContainers.jsonTree() }
        members["containers"] = containers.jsonTree()
        if let restartPolicy { members["restartPolicy"] = restartPolicy.jsonTree() }
        if let terminationGracePeriodSeconds {
            members["terminationGracePeriodSeconds"] = terminationGracePeriodSeconds.jsonTree()
        }
        if let activeDeadlineSeconds { members["activeDeadlineSeconds"] = activeDeadlineSeconds.jsonTree() }
        if let dnsPolicy { members["dnsPolicy"] = dnsPolicy.jsonTree() }
        if let nodeSelector { members["nodeSelector"] = nodeSelector.jsonTree() }
        if let serviceAccountName { members["serviceAccountName"] = serviceAccountName.jsonTree() }
        if let serviceAccount { members["serviceAccount"] = serviceAccount.jsonTree() }
        if let automountServiceAccountToken {
            members["automountServiceAccountToken"] = automountServiceAccountToken.jsonTree()
        }
        if let nodeName { members["nodeName"] = nodeName.jsonTree() }
        if let hostNetwork { members["hostNetwork"] = hostNetwork.jsonTree() }
        if let hostPID { members["hostPID"] = hostPID.jsonTree() }
        if let hostIPC { members["hostIPC"] = hostIPC.jsonTree() }
        if let shareProcessNamespace { members["shareProcessNamespace"] = shareProcessNamespace.jsonTree() }
        if let securityContext { members["securityContext"] = securityContext.jsonTree() }
        if let imagePullSecrets { members["imagePullSecrets"] = imagePullSecrets.jsonTree() }
        if let hostname { members["hostname"] = hostname.jsonTree() }
        if let subdomain { members["subdomain"] = subdomain.jsonTree() }
        if let affinity { members["affinity"] = affinity.jsonTree() }
        if let schedulerName { members["schedulerName"] = schedulerName.jsonTree() }
        if let tolerations { members["tolerations"] = tolerations.jsonTree() }
        if let hostAliases { members["hostAliases"] = hostAliases.jsonTree() }
        if let priorityClassName { members["priorityClassName"] = priorityClassName.jsonTree() }
        if let priority { members["priority"] = priority.jsonTree() }
        if let dnsConfig { members["dnsConfig"] = dnsConfig.jsonTree() }
        if let readinessGates { members["readinessGates"] = readinessGates.jsonTree() }
        if let runtimeClassName { members["runtimeClassName"] = runtimeClassName.jsonTree() }
        if let enableServiceLinks { members["enableServiceLinks"] = enableServiceLinks.jsonTree() }
        if let preemptionPolicy { members["preemptionPolicy"] = preemptionPolicy.jsonTree() }
        if let overhead { members["overhead"] = overhead.jsonTree() }
        if let topologySpreadConstraints { members["topologySpreadConstraints"] = topologySpreadConstraints.jsonTree() }
        return .object(members)
    }
}

/// Security settings applied to all containers of a pod.
public struct PodSecurityContext: Sendable, Codable, Hashable {
    /// Kubernetes' `runAsUser` field.
    public var runAsUser: Int64?
    /// Kubernetes' `runAsGroup` field.
    public var runAsGroup: Int64?
    /// Kubernetes' `runAsNonRoot` field.
    public var runAsNonRoot: Bool?
    /// Kubernetes' `fsGroup` field.
    public var fsGroup: Int64?
    /// Kubernetes' `supplementalGroups` field.
    public var supplementalGroups: [Int64]?
    /// Kubernetes' `fsGroupChangePolicy` field.
    public var fsGroupChangePolicy: String?
    /// Kubernetes' `seccompProfile` field.
    public var seccompProfile: SeccompProfile?
    /// Kubernetes' `sysctls` field.
    public var sysctls: [Sysctl]?

    /// Creates a `PodSecurityContext`; every field defaults to empty.
    public init(
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        fsGroup: Int64? = nil,
        supplementalGroups: [Int64]? = nil,
        fsGroupChangePolicy: String? = nil,
        seccompProfile: SeccompProfile? = nil,
        sysctls: [Sysctl]? = nil
    ) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.fsGroup = fsGroup
        self.supplementalGroups = supplementalGroups
        self.fsGroupChangePolicy = fsGroupChangePolicy
        self.seccompProfile = seccompProfile
        self.sysctls = sysctls
    }

    enum CodingKeys: String, CodingKey {
        case runAsUser
        case runAsGroup
        case runAsNonRoot
        case fsGroup
        case supplementalGroups
        case fsGroupChangePolicy
        case seccompProfile
        case sysctls
    }
}

extension PodSecurityContext: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.runAsUser = try JSONTree.field(members, "runAsUser")
        self.runAsGroup = try JSONTree.field(members, "runAsGroup")
        self.runAsNonRoot = try JSONTree.field(members, "runAsNonRoot")
        self.fsGroup = try JSONTree.field(members, "fsGroup")
        self.supplementalGroups = try JSONTree.field(members, "supplementalGroups")
        self.fsGroupChangePolicy = try JSONTree.field(members, "fsGroupChangePolicy")
        self.seccompProfile = try JSONTree.field(members, "seccompProfile")
        self.sysctls = try JSONTree.field(members, "sysctls")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let runAsUser { members["runAsUser"] = runAsUser.jsonTree() }
        if let runAsGroup { members["runAsGroup"] = runAsGroup.jsonTree() }
        if let runAsNonRoot { members["runAsNonRoot"] = runAsNonRoot.jsonTree() }
        if let fsGroup { members["fsGroup"] = fsGroup.jsonTree() }
        if let supplementalGroups { members["supplementalGroups"] = supplementalGroups.jsonTree() }
        if let fsGroupChangePolicy { members["fsGroupChangePolicy"] = fsGroupChangePolicy.jsonTree() }
        if let seccompProfile { members["seccompProfile"] = seccompProfile.jsonTree() }
        if let sysctls { members["sysctls"] = sysctls.jsonTree() }
        return .object(members)
    }
}

/// A kernel parameter to set.
public struct Sysctl: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a `Sysctl`; every field defaults to empty.
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

extension Sysctl: JSONTreeCodable {
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

/// An extra /etc/hosts entry.
public struct HostAlias: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String
    /// Kubernetes' `hostnames` field.
    public var hostnames: [String]?

    /// Creates a `HostAlias`; every field defaults to empty.
    public init(
        ip: String = "",
        hostnames: [String]? = nil
    ) {
        self.ip = ip
        self.hostnames = hostnames
    }

    enum CodingKeys: String, CodingKey {
        case ip
        case hostnames
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? ""
        self.hostnames = try container.decodeIfPresent([String].self, forKey: .hostnames)
    }
}

extension HostAlias: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip") ?? ""
        self.hostnames = try JSONTree.field(members, "hostnames")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["ip"] = ip.jsonTree()
        if let hostnames { members["hostnames"] = hostnames.jsonTree() }
        return .object(members)
    }
}

/// DNS settings beyond those of `dnsPolicy`.
public struct PodDNSConfig: Sendable, Codable, Hashable {
    /// Kubernetes' `nameservers` field.
    public var nameservers: [String]?
    /// Kubernetes' `searches` field.
    public var searches: [String]?
    /// Kubernetes' `options` field.
    public var options: [PodDNSConfigOption]?

    /// Creates a `PodDNSConfig`; every field defaults to empty.
    public init(
        nameservers: [String]? = nil,
        searches: [String]? = nil,
        options: [PodDNSConfigOption]? = nil
    ) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case nameservers
        case searches
        case options
    }
}

extension PodDNSConfig: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.nameservers = try JSONTree.field(members, "nameservers")
        self.searches = try JSONTree.field(members, "searches")
        self.options = try JSONTree.field(members, "options")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let nameservers { members["nameservers"] = nameservers.jsonTree() }
        if let searches { members["searches"] = searches.jsonTree() }
        if let options { members["options"] = options.jsonTree() }
        return .object(members)
    }
}

/// A resolver option.
public struct PodDNSConfigOption: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// The value.
    public var value: String?

    /// Creates a `PodDNSConfigOption`; every field defaults to empty.
    public init(
        name: String? = nil,
        value: String? = nil
    ) {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
    }
}

extension PodDNSConfigOption: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.value = try JSONTree.field(members, "value")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let value { members["value"] = value.jsonTree() }
        return .object(members)
    }
}

/// An extra condition that must be true for the pod to be ready.
public struct PodReadinessGate: Sendable, Codable, Hashable {
    /// Kubernetes' `conditionType` field.
    public var conditionType: String

    /// Creates a `PodReadinessGate`; every field defaults to empty.
    public init(
        conditionType: String = ""
    ) {
        self.conditionType = conditionType
    }

    enum CodingKeys: String, CodingKey {
        case conditionType
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.conditionType = try container.decodeIfPresent(String.self, forKey: .conditionType) ?? ""
    }
}

extension PodReadinessGate: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.conditionType = try JSONTree.field(members, "conditionType") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["conditionType"] = conditionType.jsonTree()
        return .object(members)
    }
}

/// How pods spread across a topology domain.
public struct TopologySpreadConstraint: Sendable, Codable, Hashable {
    /// Kubernetes' `maxSkew` field.
    public var maxSkew: Int
    /// Kubernetes' `topologyKey` field.
    public var topologyKey: String
    /// Kubernetes' `whenUnsatisfiable` field.
    public var whenUnsatisfiable: String
    /// Kubernetes' `labelSelector` field.
    public var labelSelector: LabelSelector?
    /// Kubernetes' `minDomains` field.
    public var minDomains: Int?

    /// Creates a `TopologySpreadConstraint`; every field defaults to empty.
    public init(
        maxSkew: Int = 0,
        topologyKey: String = "",
        whenUnsatisfiable: String = "",
        labelSelector: LabelSelector? = nil,
        minDomains: Int? = nil
    ) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.whenUnsatisfiable = whenUnsatisfiable
        self.labelSelector = labelSelector
        self.minDomains = minDomains
    }

    enum CodingKeys: String, CodingKey {
        case maxSkew
        case topologyKey
        case whenUnsatisfiable
        case labelSelector
        case minDomains
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.maxSkew = try container.decodeIfPresent(Int.self, forKey: .maxSkew) ?? 0
        self.topologyKey = try container.decodeIfPresent(String.self, forKey: .topologyKey) ?? ""
        self.whenUnsatisfiable = try container.decodeIfPresent(String.self, forKey: .whenUnsatisfiable) ?? ""
        self.labelSelector = try container.decodeIfPresent(LabelSelector.self, forKey: .labelSelector)
        self.minDomains = try container.decodeIfPresent(Int.self, forKey: .minDomains)
    }
}

extension TopologySpreadConstraint: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.maxSkew = try JSONTree.field(members, "maxSkew") ?? 0
        self.topologyKey = try JSONTree.field(members, "topologyKey") ?? ""
        self.whenUnsatisfiable = try JSONTree.field(members, "whenUnsatisfiable") ?? ""
        self.labelSelector = try JSONTree.field(members, "labelSelector")
        self.minDomains = try JSONTree.field(members, "minDomains")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["maxSkew"] = maxSkew.jsonTree()
        members["topologyKey"] = topologyKey.jsonTree()
        members["whenUnsatisfiable"] = whenUnsatisfiable.jsonTree()
        if let labelSelector { members["labelSelector"] = labelSelector.jsonTree() }
        if let minDomains { members["minDomains"] = minDomains.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a pod.
public struct PodStatus: Sendable, Codable, Hashable {
    /// Pending, Running, Succeeded, Failed or Unknown.
    public var phase: String?
    /// The latest observations of the object's state.
    public var conditions: [PodCondition]?
    /// A human-readable explanation.
    public var message: String?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// Kubernetes' `nominatedNodeName` field.
    public var nominatedNodeName: String?
    /// Kubernetes' `hostIP` field.
    public var hostIP: String?
    /// Kubernetes' `hostIPs` field.
    public var hostIPs: [HostIP]?
    /// Kubernetes' `podIP` field.
    public var podIP: String?
    /// Kubernetes' `podIPs` field.
    public var podIPs: [PodIP]?
    /// Kubernetes' `startTime` field.
    public var startTime: Time?
    /// Kubernetes' `initContainerStatuses` field.
    public var initContainerStatuses: [ContainerStatus]?
    /// Kubernetes' `containerStatuses` field.
    public var containerStatuses: [ContainerStatus]?
    /// Guaranteed, Burstable or BestEffort.
    public var qosClass: String?

    /// Creates a `PodStatus`; every field defaults to empty.
    public init(
        phase: String? = nil,
        conditions: [PodCondition]? = nil,
        message: String? = nil,
        reason: String? = nil,
        nominatedNodeName: String? = nil,
        hostIP: String? = nil,
        hostIPs: [HostIP]? = nil,
        podIP: String? = nil,
        podIPs: [PodIP]? = nil,
        startTime: Time? = nil,
        initContainerStatuses: [ContainerStatus]? = nil,
        containerStatuses: [ContainerStatus]? = nil,
        qosClass: String? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.nominatedNodeName = nominatedNodeName
        self.hostIP = hostIP
        self.hostIPs = hostIPs
        self.podIP = podIP
        self.podIPs = podIPs
        self.startTime = startTime
        self.initContainerStatuses = initContainerStatuses
        self.containerStatuses = containerStatuses
        self.qosClass = qosClass
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case conditions
        case message
        case reason
        case nominatedNodeName
        case hostIP
        case hostIPs
        case podIP
        case podIPs
        case startTime
        case initContainerStatuses
        case containerStatuses
        case qosClass
    }
}

extension PodStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.phase = try JSONTree.field(members, "phase")
        self.conditions = try JSONTree.field(members, "conditions")
        self.message = try JSONTree.field(members, "message")
        self.reason = try JSONTree.field(members, "reason")
        self.nominatedNodeName = try JSONTree.field(members, "nominatedNodeName")
        self.hostIP = try JSONTree.field(members, "hostIP")
        self.hostIPs = try JSONTree.field(members, "hostIPs")
        self.podIP = try JSONTree.field(members, "podIP")
        self.podIPs = try JSONTree.field(members, "podIPs")
        self.startTime = try JSONTree.field(members, "startTime")
        self.initContainerStatuses = try JSONTree.field(members, "initContainerStatuses")
        self.containerStatuses = try JSONTree.field(members, "containerStatuses")
        self.qosClass = try JSONTree.field(members, "qosClass")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let phase { members["phase"] = phase.jsonTree() }
        if let conditions { members["conditions"] = conditions.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let nominatedNodeName { members["nominatedNodeName"] = nominatedNodeName.jsonTree() }
        if let hostIP { members["hostIP"] = hostIP.jsonTree() }
        if let hostIPs { members["hostIPs"] = hostIPs.jsonTree() }
        if let podIP { members["podIP"] = podIP.jsonTree() }
        if let podIPs { members["podIPs"] = podIPs.jsonTree() }
        if let startTime { members["startTime"] = startTime.jsonTree() }
        if let initContainerStatuses { members["initContainerStatuses"] = initContainerStatuses.jsonTree() }
        if let containerStatuses { members["containerStatuses"] = containerStatuses.jsonTree() }
        if let qosClass { members["qosClass"] = qosClass.jsonTree() }
        return .object(members)
    }
}

/// A condition of a Pod: the shape Kubernetes gives conditions that are probed.
public typealias PodCondition = ProbedCondition

/// One IP address of a pod.
public struct PodIP: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String

    /// Creates a `PodIP`; every field defaults to empty.
    public init(
        ip: String = ""
    ) {
        self.ip = ip
    }

    enum CodingKeys: String, CodingKey {
        case ip
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? ""
    }
}

extension PodIP: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["ip"] = ip.jsonTree()
        return .object(members)
    }
}

/// One IP address of the pod's host.
public struct HostIP: Sendable, Codable, Hashable {
    /// Kubernetes' `ip` field.
    public var ip: String

    /// Creates a `HostIP`; every field defaults to empty.
    public init(
        ip: String = ""
    ) {
        self.ip = ip
    }

    enum CodingKeys: String, CodingKey {
        case ip
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? ""
    }
}

extension HostIP: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.ip = try JSONTree.field(members, "ip") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["ip"] = ip.jsonTree()
        return .object(members)
    }
}

/// The observed state of one container.
public struct ContainerStatus: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `state` field.
    public var state: ContainerState?
    /// Kubernetes' `lastState` field.
    public var lastState: ContainerState?
    /// Kubernetes' `ready` field.
    public var ready: Bool
    /// Kubernetes' `restartCount` field.
    public var restartCount: Int
    /// Kubernetes' `image` field.
    public var image: String
    /// Kubernetes' `imageID` field.
    public var imageID: String
    /// Kubernetes' `containerID` field.
    public var containerID: String?
    /// Kubernetes' `started` field.
    public var started: Bool?

    /// Creates a `ContainerStatus`; every field defaults to empty.
    public init(
        name: String = "",
        state: ContainerState? = nil,
        lastState: ContainerState? = nil,
        ready: Bool = false,
        restartCount: Int = 0,
        image: String = "",
        imageID: String = "",
        containerID: String? = nil,
        started: Bool? = nil
    ) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
    }

    enum CodingKeys: String, CodingKey {
        case name
        case state
        case lastState
        case ready
        case restartCount
        case image
        case imageID
        case containerID
        case started
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.state = try container.decodeIfPresent(ContainerState.self, forKey: .state)
        self.lastState = try container.decodeIfPresent(ContainerState.self, forKey: .lastState)
        self.ready = try container.decodeIfPresent(Bool.self, forKey: .ready) ?? false
        self.restartCount = try container.decodeIfPresent(Int.self, forKey: .restartCount) ?? 0
        self.image = try container.decodeIfPresent(String.self, forKey: .image) ?? ""
        self.imageID = try container.decodeIfPresent(String.self, forKey: .imageID) ?? ""
        self.containerID = try container.decodeIfPresent(String.self, forKey: .containerID)
        self.started = try container.decodeIfPresent(Bool.self, forKey: .started)
    }
}

extension ContainerStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.state = try JSONTree.field(members, "state")
        self.lastState = try JSONTree.field(members, "lastState")
        self.ready = try JSONTree.field(members, "ready") ?? false
        self.restartCount = try JSONTree.field(members, "restartCount") ?? 0
        self.image = try JSONTree.field(members, "image") ?? ""
        self.imageID = try JSONTree.field(members, "imageID") ?? ""
        self.containerID = try JSONTree.field(members, "containerID")
        self.started = try JSONTree.field(members, "started")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let state { members["state"] = state.jsonTree() }
        if let lastState { members["lastState"] = lastState.jsonTree() }
        members["ready"] = ready.jsonTree()
        members["restartCount"] = restartCount.jsonTree()
        members["image"] = image.jsonTree()
        members["imageID"] = imageID.jsonTree()
        if let containerID { members["containerID"] = containerID.jsonTree() }
        if let started { members["started"] = started.jsonTree() }
        return .object(members)
    }
}

/// Exactly one of waiting, running or terminated.
public struct ContainerState: Sendable, Codable, Hashable {
    /// Kubernetes' `waiting` field.
    public var waiting: ContainerStateWaiting?
    /// Kubernetes' `running` field.
    public var running: ContainerStateRunning?
    /// Kubernetes' `terminated` field.
    public var terminated: ContainerStateTerminated?

    /// Creates a `ContainerState`; every field defaults to empty.
    public init(
        waiting: ContainerStateWaiting? = nil,
        running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }

    enum CodingKeys: String, CodingKey {
        case waiting
        case running
        case terminated
    }
}

extension ContainerState: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.waiting = try JSONTree.field(members, "waiting")
        self.running = try JSONTree.field(members, "running")
        self.terminated = try JSONTree.field(members, "terminated")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let waiting { members["waiting"] = waiting.jsonTree() }
        if let running { members["running"] = running.jsonTree() }
        if let terminated { members["terminated"] = terminated.jsonTree() }
        return .object(members)
    }
}

/// A container not yet running.
public struct ContainerStateWaiting: Sendable, Codable, Hashable {
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?

    /// Creates a `ContainerStateWaiting`; every field defaults to empty.
    public init(
        reason: String? = nil,
        message: String? = nil
    ) {
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case message
    }
}

extension ContainerStateWaiting: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        return .object(members)
    }
}

/// A running container.
public struct ContainerStateRunning: Sendable, Codable, Hashable {
    /// Kubernetes' `startedAt` field.
    public var startedAt: Time?

    /// Creates a `ContainerStateRunning`; every field defaults to empty.
    public init(
        startedAt: Time? = nil
    ) {
        self.startedAt = startedAt
    }

    enum CodingKeys: String, CodingKey {
        case startedAt
    }
}

extension ContainerStateRunning: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.startedAt = try JSONTree.field(members, "startedAt")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let startedAt { members["startedAt"] = startedAt.jsonTree() }
        return .object(members)
    }
}

/// A container that has exited.
public struct ContainerStateTerminated: Sendable, Codable, Hashable {
    /// Kubernetes' `exitCode` field.
    public var exitCode: Int
    /// Kubernetes' `signal` field.
    public var signal: Int?
    /// A machine-readable, CamelCase reason.
    public var reason: String?
    /// A human-readable explanation.
    public var message: String?
    /// Kubernetes' `startedAt` field.
    public var startedAt: Time?
    /// Kubernetes' `finishedAt` field.
    public var finishedAt: Time?
    /// Kubernetes' `containerID` field.
    public var containerID: String?

    /// Creates a `ContainerStateTerminated`; every field defaults to empty.
    public init(
        exitCode: Int = 0,
        signal: Int? = nil,
        reason: String? = nil,
        message: String? = nil,
        startedAt: Time? = nil,
        finishedAt: Time? = nil,
        containerID: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }

    enum CodingKeys: String, CodingKey {
        case exitCode
        case signal
        case reason
        case message
        case startedAt
        case finishedAt
        case containerID
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
        self.signal = try container.decodeIfPresent(Int.self, forKey: .signal)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.message = try container.decodeIfPresent(String.self, forKey: .message)
        self.startedAt = try container.decodeIfPresent(Time.self, forKey: .startedAt)
        self.finishedAt = try container.decodeIfPresent(Time.self, forKey: .finishedAt)
        self.containerID = try container.decodeIfPresent(String.self, forKey: .containerID)
    }
}

extension ContainerStateTerminated: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.exitCode = try JSONTree.field(members, "exitCode") ?? 0
        self.signal = try JSONTree.field(members, "signal")
        self.reason = try JSONTree.field(members, "reason")
        self.message = try JSONTree.field(members, "message")
        self.startedAt = try JSONTree.field(members, "startedAt")
        self.finishedAt = try JSONTree.field(members, "finishedAt")
        self.containerID = try JSONTree.field(members, "containerID")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["exitCode"] = exitCode.jsonTree()
        if let signal { members["signal"] = signal.jsonTree() }
        if let reason { members["reason"] = reason.jsonTree() }
        if let message { members["message"] = message.jsonTree() }
        if let startedAt { members["startedAt"] = startedAt.jsonTree() }
        if let finishedAt { members["finishedAt"] = finishedAt.jsonTree() }
        if let containerID { members["containerID"] = containerID.jsonTree() }
        return .object(members)
    }
}
