// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A named volume a pod's containers can mount; exactly one source is set.
public struct Volume: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// Kubernetes' `hostPath` field.
    public var hostPath: HostPathVolumeSource?
    /// Kubernetes' `emptyDir` field.
    public var emptyDir: EmptyDirVolumeSource?
    /// Kubernetes' `secret` field.
    public var secret: SecretVolumeSource?
    /// Kubernetes' `nfs` field.
    public var nfs: NFSVolumeSource?
    /// Kubernetes' `persistentVolumeClaim` field.
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?
    /// Kubernetes' `downwardAPI` field.
    public var downwardAPI: DownwardAPIVolumeSource?
    /// Kubernetes' `configMap` field.
    public var configMap: ConfigMapVolumeSource?
    /// Kubernetes' `projected` field.
    public var projected: ProjectedVolumeSource?

    /// Creates a `Volume`; every field defaults to empty.
    public init(
        name: String = "",
        hostPath: HostPathVolumeSource? = nil,
        emptyDir: EmptyDirVolumeSource? = nil,
        secret: SecretVolumeSource? = nil,
        nfs: NFSVolumeSource? = nil,
        persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil,
        downwardAPI: DownwardAPIVolumeSource? = nil,
        configMap: ConfigMapVolumeSource? = nil,
        projected: ProjectedVolumeSource? = nil
    ) {
        self.name = name
        self.hostPath = hostPath
        self.emptyDir = emptyDir
        self.secret = secret
        self.nfs = nfs
        self.persistentVolumeClaim = persistentVolumeClaim
        self.downwardAPI = downwardAPI
        self.configMap = configMap
        self.projected = projected
    }

    enum CodingKeys: String, CodingKey {
        case name
        case hostPath
        case emptyDir
        case secret
        case nfs
        case persistentVolumeClaim
        case downwardAPI
        case configMap
        case projected
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.hostPath = try container.decodeIfPresent(HostPathVolumeSource.self, forKey: .hostPath)
        self.emptyDir = try container.decodeIfPresent(EmptyDirVolumeSource.self, forKey: .emptyDir)
        self.secret = try container.decodeIfPresent(SecretVolumeSource.self, forKey: .secret)
        self.nfs = try container.decodeIfPresent(NFSVolumeSource.self, forKey: .nfs)
        self.persistentVolumeClaim = try container.decodeIfPresent(
            PersistentVolumeClaimVolumeSource.self, forKey: .persistentVolumeClaim)
        self.downwardAPI = try container.decodeIfPresent(DownwardAPIVolumeSource.self, forKey: .downwardAPI)
        self.configMap = try container.decodeIfPresent(ConfigMapVolumeSource.self, forKey: .configMap)
        self.projected = try container.decodeIfPresent(ProjectedVolumeSource.self, forKey: .projected)
    }
}

extension Volume: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name") ?? ""
        self.hostPath = try JSONTree.field(members, "hostPath")
        self.emptyDir = try JSONTree.field(members, "emptyDir")
        self.secret = try JSONTree.field(members, "secret")
        self.nfs = try JSONTree.field(members, "nfs")
        self.persistentVolumeClaim = try JSONTree.field(members, "persistentVolumeClaim")
        self.downwardAPI = try JSONTree.field(members, "downwardAPI")
        self.configMap = try JSONTree.field(members, "configMap")
        self.projected = try JSONTree.field(members, "projected")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["name"] = name.jsonTree()
        if let hostPath { members["hostPath"] = hostPath.jsonTree() }
        if let emptyDir { members["emptyDir"] = emptyDir.jsonTree() }
        if let secret { members["secret"] = secret.jsonTree() }
        if let nfs { members["nfs"] = nfs.jsonTree() }
        if let persistentVolumeClaim { members["persistentVolumeClaim"] = persistentVolumeClaim.jsonTree() }
        if let downwardAPI { members["downwardAPI"] = downwardAPI.jsonTree() }
        if let configMap { members["configMap"] = configMap.jsonTree() }
        if let projected { members["projected"] = projected.jsonTree() }
        return .object(members)
    }
}

/// A file or directory on the host.
public struct HostPathVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `path` field.
    public var path: String
    /// The type, one of the values Kubernetes defines for it.
    public var type: String?

    /// Creates a `HostPathVolumeSource`; every field defaults to empty.
    public init(
        path: String = "",
        type: String? = nil
    ) {
        self.path = path
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case path
        case type
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.type = try container.decodeIfPresent(String.self, forKey: .type)
    }
}

extension HostPathVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.path = try JSONTree.field(members, "path") ?? ""
        self.type = try JSONTree.field(members, "type")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["path"] = path.jsonTree()
        if let type { members["type"] = type.jsonTree() }
        return .object(members)
    }
}

/// A scratch directory that lives as long as the pod.
public struct EmptyDirVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `medium` field.
    public var medium: String?
    /// Kubernetes' `sizeLimit` field.
    public var sizeLimit: Quantity?

    /// Creates a `EmptyDirVolumeSource`; every field defaults to empty.
    public init(
        medium: String? = nil,
        sizeLimit: Quantity? = nil
    ) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }

    enum CodingKeys: String, CodingKey {
        case medium
        case sizeLimit
    }
}

extension EmptyDirVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.medium = try JSONTree.field(members, "medium")
        self.sizeLimit = try JSONTree.field(members, "sizeLimit")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let medium { members["medium"] = medium.jsonTree() }
        if let sizeLimit { members["sizeLimit"] = sizeLimit.jsonTree() }
        return .object(members)
    }
}

/// The keys of a Secret as files.
public struct SecretVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `secretName` field.
    public var secretName: String?
    /// Key-to-path mappings; all keys when empty.
    public var items: [KeyToPath]?
    /// File mode bits for created files.
    public var defaultMode: Int?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `SecretVolumeSource`; every field defaults to empty.
    public init(
        secretName: String? = nil,
        items: [KeyToPath]? = nil,
        defaultMode: Int? = nil,
        optional: Bool? = nil
    ) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case secretName
        case items
        case defaultMode
        case optional
    }
}

extension SecretVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.secretName = try JSONTree.field(members, "secretName")
        self.items = try JSONTree.field(members, "items")
        self.defaultMode = try JSONTree.field(members, "defaultMode")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let secretName { members["secretName"] = secretName.jsonTree() }
        if let items { members["items"] = items.jsonTree() }
        if let defaultMode { members["defaultMode"] = defaultMode.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
    }
}

/// The keys of a ConfigMap as files.
public struct ConfigMapVolumeSource: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Key-to-path mappings; all keys when empty.
    public var items: [KeyToPath]?
    /// File mode bits for created files.
    public var defaultMode: Int?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapVolumeSource`; every field defaults to empty.
    public init(
        name: String? = nil,
        items: [KeyToPath]? = nil,
        defaultMode: Int? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case items
        case defaultMode
        case optional
    }
}

extension ConfigMapVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.items = try JSONTree.field(members, "items")
        self.defaultMode = try JSONTree.field(members, "defaultMode")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let items { members["items"] = items.jsonTree() }
        if let defaultMode { members["defaultMode"] = defaultMode.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
    }
}

/// Maps a key to a relative file path.
public struct KeyToPath: Sendable, Codable, Hashable {
    /// The key.
    public var key: String
    /// Kubernetes' `path` field.
    public var path: String
    /// Kubernetes' `mode` field.
    public var mode: Int?

    /// Creates a `KeyToPath`; every field defaults to empty.
    public init(
        key: String = "",
        path: String = "",
        mode: Int? = nil
    ) {
        self.key = key
        self.path = path
        self.mode = mode
    }

    enum CodingKeys: String, CodingKey {
        case key
        case path
        case mode
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.mode = try container.decodeIfPresent(Int.self, forKey: .mode)
    }
}

extension KeyToPath: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key") ?? ""
        self.path = try JSONTree.field(members, "path") ?? ""
        self.mode = try JSONTree.field(members, "mode")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["key"] = key.jsonTree()
        members["path"] = path.jsonTree()
        if let mode { members["mode"] = mode.jsonTree() }
        return .object(members)
    }
}

/// An NFS export.
public struct NFSVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `server` field.
    public var server: String
    /// Kubernetes' `path` field.
    public var path: String
    /// Kubernetes' `readOnly` field.
    public var readOnly: Bool?

    /// Creates a `NFSVolumeSource`; every field defaults to empty.
    public init(
        server: String = "",
        path: String = "",
        readOnly: Bool? = nil
    ) {
        self.server = server
        self.path = path
        self.readOnly = readOnly
    }

    enum CodingKeys: String, CodingKey {
        case server
        case path
        case readOnly
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.server = try container.decodeIfPresent(String.self, forKey: .server) ?? ""
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly)
    }
}

extension NFSVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.server = try JSONTree.field(members, "server") ?? ""
        self.path = try JSONTree.field(members, "path") ?? ""
        self.readOnly = try JSONTree.field(members, "readOnly")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["server"] = server.jsonTree()
        members["path"] = path.jsonTree()
        if let readOnly { members["readOnly"] = readOnly.jsonTree() }
        return .object(members)
    }
}

/// A claim in the pod's namespace.
public struct PersistentVolumeClaimVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `claimName` field.
    public var claimName: String
    /// Kubernetes' `readOnly` field.
    public var readOnly: Bool?

    /// Creates a `PersistentVolumeClaimVolumeSource`; every field defaults to empty.
    public init(
        claimName: String = "",
        readOnly: Bool? = nil
    ) {
        self.claimName = claimName
        self.readOnly = readOnly
    }

    enum CodingKeys: String, CodingKey {
        case claimName
        case readOnly
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.claimName = try container.decodeIfPresent(String.self, forKey: .claimName) ?? ""
        self.readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly)
    }
}

extension PersistentVolumeClaimVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.claimName = try JSONTree.field(members, "claimName") ?? ""
        self.readOnly = try JSONTree.field(members, "readOnly")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["claimName"] = claimName.jsonTree()
        if let readOnly { members["readOnly"] = readOnly.jsonTree() }
        return .object(members)
    }
}

/// Pod fields as files.
public struct DownwardAPIVolumeSource: Sendable, Codable, Hashable {
    /// Key-to-path mappings; all keys when empty.
    public var items: [DownwardAPIVolumeFile]?
    /// File mode bits for created files.
    public var defaultMode: Int?

    /// Creates a `DownwardAPIVolumeSource`; every field defaults to empty.
    public init(
        items: [DownwardAPIVolumeFile]? = nil,
        defaultMode: Int? = nil
    ) {
        self.items = items
        self.defaultMode = defaultMode
    }

    enum CodingKeys: String, CodingKey {
        case items
        case defaultMode
    }
}

extension DownwardAPIVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.items = try JSONTree.field(members, "items")
        self.defaultMode = try JSONTree.field(members, "defaultMode")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let items { members["items"] = items.jsonTree() }
        if let defaultMode { members["defaultMode"] = defaultMode.jsonTree() }
        return .object(members)
    }
}

/// One file of a downward API volume.
public struct DownwardAPIVolumeFile: Sendable, Codable, Hashable {
    /// Kubernetes' `path` field.
    public var path: String
    /// Kubernetes' `fieldRef` field.
    public var fieldRef: ObjectFieldSelector?
    /// Kubernetes' `resourceFieldRef` field.
    public var resourceFieldRef: ResourceFieldSelector?
    /// Kubernetes' `mode` field.
    public var mode: Int?

    /// Creates a `DownwardAPIVolumeFile`; every field defaults to empty.
    public init(
        path: String = "",
        fieldRef: ObjectFieldSelector? = nil,
        resourceFieldRef: ResourceFieldSelector? = nil,
        mode: Int? = nil
    ) {
        self.path = path
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.mode = mode
    }

    enum CodingKeys: String, CodingKey {
        case path
        case fieldRef
        case resourceFieldRef
        case mode
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.fieldRef = try container.decodeIfPresent(ObjectFieldSelector.self, forKey: .fieldRef)
        self.resourceFieldRef = try container.decodeIfPresent(ResourceFieldSelector.self, forKey: .resourceFieldRef)
        self.mode = try container.decodeIfPresent(Int.self, forKey: .mode)
    }
}

extension DownwardAPIVolumeFile: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.path = try JSONTree.field(members, "path") ?? ""
        self.fieldRef = try JSONTree.field(members, "fieldRef")
        self.resourceFieldRef = try JSONTree.field(members, "resourceFieldRef")
        self.mode = try JSONTree.field(members, "mode")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["path"] = path.jsonTree()
        if let fieldRef { members["fieldRef"] = fieldRef.jsonTree() }
        if let resourceFieldRef { members["resourceFieldRef"] = resourceFieldRef.jsonTree() }
        if let mode { members["mode"] = mode.jsonTree() }
        return .object(members)
    }
}

/// Several sources merged into one directory.
public struct ProjectedVolumeSource: Sendable, Codable, Hashable {
    /// Kubernetes' `sources` field.
    public var sources: [VolumeProjection]?
    /// File mode bits for created files.
    public var defaultMode: Int?

    /// Creates a `ProjectedVolumeSource`; every field defaults to empty.
    public init(
        sources: [VolumeProjection]? = nil,
        defaultMode: Int? = nil
    ) {
        self.sources = sources
        self.defaultMode = defaultMode
    }

    enum CodingKeys: String, CodingKey {
        case sources
        case defaultMode
    }
}

extension ProjectedVolumeSource: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.sources = try JSONTree.field(members, "sources")
        self.defaultMode = try JSONTree.field(members, "defaultMode")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let sources { members["sources"] = sources.jsonTree() }
        if let defaultMode { members["defaultMode"] = defaultMode.jsonTree() }
        return .object(members)
    }
}

/// One source of a projected volume.
public struct VolumeProjection: Sendable, Codable, Hashable {
    /// Kubernetes' `secret` field.
    public var secret: SecretProjection?
    /// Kubernetes' `downwardAPI` field.
    public var downwardAPI: DownwardAPIProjection?
    /// Kubernetes' `configMap` field.
    public var configMap: ConfigMapProjection?
    /// Kubernetes' `serviceAccountToken` field.
    public var serviceAccountToken: ServiceAccountTokenProjection?

    /// Creates a `VolumeProjection`; every field defaults to empty.
    public init(
        secret: SecretProjection? = nil,
        downwardAPI: DownwardAPIProjection? = nil,
        configMap: ConfigMapProjection? = nil,
        serviceAccountToken: ServiceAccountTokenProjection? = nil
    ) {
        self.secret = secret
        self.downwardAPI = downwardAPI
        self.configMap = configMap
        self.serviceAccountToken = serviceAccountToken
    }

    enum CodingKeys: String, CodingKey {
        case secret
        case downwardAPI
        case configMap
        case serviceAccountToken
    }
}

extension VolumeProjection: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.secret = try JSONTree.field(members, "secret")
        self.downwardAPI = try JSONTree.field(members, "downwardAPI")
        self.configMap = try JSONTree.field(members, "configMap")
        self.serviceAccountToken = try JSONTree.field(members, "serviceAccountToken")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let secret { members["secret"] = secret.jsonTree() }
        if let downwardAPI { members["downwardAPI"] = downwardAPI.jsonTree() }
        if let configMap { members["configMap"] = configMap.jsonTree() }
        if let serviceAccountToken { members["serviceAccountToken"] = serviceAccountToken.jsonTree() }
        return .object(members)
    }
}

/// A Secret inside a projected volume.
public struct SecretProjection: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Key-to-path mappings; all keys when empty.
    public var items: [KeyToPath]?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `SecretProjection`; every field defaults to empty.
    public init(
        name: String? = nil,
        items: [KeyToPath]? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.items = items
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case items
        case optional
    }
}

extension SecretProjection: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.items = try JSONTree.field(members, "items")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let items { members["items"] = items.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
    }
}

/// A ConfigMap inside a projected volume.
public struct ConfigMapProjection: Sendable, Codable, Hashable {
    /// The name.
    public var name: String?
    /// Key-to-path mappings; all keys when empty.
    public var items: [KeyToPath]?
    /// Whether the referenced object or key may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapProjection`; every field defaults to empty.
    public init(
        name: String? = nil,
        items: [KeyToPath]? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.items = items
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case items
        case optional
    }
}

extension ConfigMapProjection: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.name = try JSONTree.field(members, "name")
        self.items = try JSONTree.field(members, "items")
        self.optional = try JSONTree.field(members, "optional")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let name { members["name"] = name.jsonTree() }
        if let items { members["items"] = items.jsonTree() }
        if let optional { members["optional"] = optional.jsonTree() }
        return .object(members)
    }
}

/// Pod fields inside a projected volume.
public struct DownwardAPIProjection: Sendable, Codable, Hashable {
    /// Key-to-path mappings; all keys when empty.
    public var items: [DownwardAPIVolumeFile]?

    /// Creates a `DownwardAPIProjection`; every field defaults to empty.
    public init(
        items: [DownwardAPIVolumeFile]? = nil
    ) {
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case items
    }
}

extension DownwardAPIProjection: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.items = try JSONTree.field(members, "items")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let items { members["items"] = items.jsonTree() }
        return .object(members)
    }
}

/// A service account token inside a projected volume.
public struct ServiceAccountTokenProjection: Sendable, Codable, Hashable {
    /// Kubernetes' `audience` field.
    public var audience: String?
    /// Kubernetes' `expirationSeconds` field.
    public var expirationSeconds: Int64?
    /// Kubernetes' `path` field.
    public var path: String

    /// Creates a `ServiceAccountTokenProjection`; every field defaults to empty.
    public init(
        audience: String? = nil,
        expirationSeconds: Int64? = nil,
        path: String = ""
    ) {
        self.audience = audience
        self.expirationSeconds = expirationSeconds
        self.path = path
    }

    enum CodingKeys: String, CodingKey {
        case audience
        case expirationSeconds
        case path
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.audience = try container.decodeIfPresent(String.self, forKey: .audience)
        self.expirationSeconds = try container.decodeIfPresent(Int64.self, forKey: .expirationSeconds)
        self.path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
    }
}

extension ServiceAccountTokenProjection: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.audience = try JSONTree.field(members, "audience")
        self.expirationSeconds = try JSONTree.field(members, "expirationSeconds")
        self.path = try JSONTree.field(members, "path") ?? ""
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let audience { members["audience"] = audience.jsonTree() }
        if let expirationSeconds { members["expirationSeconds"] = expirationSeconds.jsonTree() }
        members["path"] = path.jsonTree()
        return .object(members)
    }
}
