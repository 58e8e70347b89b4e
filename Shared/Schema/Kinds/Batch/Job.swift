// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Pods that run to completion.
public struct Job: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .job }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: JobSpec
    /// The observed state, written by controllers.
    public var status: JobStatus

    /// Creates a `Job`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: JobSpec = JobSpec(),
        status: JobStatus = JobStatus()
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
        self.spec = try container.decodeIfPresent(JobSpec.self, forKey: .spec) ?? JobSpec()
        self.status = try container.decodeIfPresent(JobStatus.self, forKey: .status) ?? JobStatus()
    }
}

extension Job: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? JobSpec()
        self.status = try JSONTree.field(members, "status") ?? JobStatus()
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

/// The job a cron job creates.
public struct JobTemplateSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `metadata` field.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: JobSpec

    /// Creates a `JobTemplateSpec`; every field defaults to empty.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: JobSpec = JobSpec()
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
        self.spec = try container.decodeIfPresent(JobSpec.self, forKey: .spec) ?? JobSpec()
    }
}

extension JobTemplateSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? JobSpec()
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["metadata"] = metadata.jsonTree()
        members["spec"] = spec.jsonTree()
        return .object(members)
    }
}

/// The desired state of a job.
public struct JobSpec: Sendable, Codable, Hashable {
    /// Kubernetes' `parallelism` field.
    public var parallelism: Int?
    /// Kubernetes' `completions` field.
    public var completions: Int?
    /// Kubernetes' `activeDeadlineSeconds` field.
    public var activeDeadlineSeconds: Int64?
    /// Kubernetes' `backoffLimit` field.
    public var backoffLimit: Int?
    /// Kubernetes' `backoffLimitPerIndex` field.
    public var backoffLimitPerIndex: Int?
    /// Kubernetes' `maxFailedIndexes` field.
    public var maxFailedIndexes: Int?
    /// Selects the pods this object manages.
    public var selector: LabelSelector?
    /// Kubernetes' `manualSelector` field.
    public var manualSelector: Bool?
    /// The pod template used to create pods.
    public var template: PodTemplateSpec
    /// Kubernetes' `ttlSecondsAfterFinished` field.
    public var ttlSecondsAfterFinished: Int?
    /// NonIndexed or Indexed.
    public var completionMode: String?
    /// Kubernetes' `suspend` field.
    public var suspend: Bool?
    /// Kubernetes' `podReplacementPolicy` field.
    public var podReplacementPolicy: String?

    /// Creates a `JobSpec`; every field defaults to empty.
    public init(
        parallelism: Int? = nil,
        completions: Int? = nil,
        activeDeadlineSeconds: Int64? = nil,
        backoffLimit: Int? = nil,
        backoffLimitPerIndex: Int? = nil,
        maxFailedIndexes: Int? = nil,
        selector: LabelSelector? = nil,
        manualSelector: Bool? = nil,
        template: PodTemplateSpec = PodTemplateSpec(),
        ttlSecondsAfterFinished: Int? = nil,
        completionMode: String? = nil,
        suspend: Bool? = nil,
        podReplacementPolicy: String? = nil
    ) {
        self.parallelism = parallelism
        self.completions = completions
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.backoffLimit = backoffLimit
        self.backoffLimitPerIndex = backoffLimitPerIndex
        self.maxFailedIndexes = maxFailedIndexes
        self.selector = selector
        self.manualSelector = manualSelector
        self.template = template
        self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
        self.completionMode = completionMode
        self.suspend = suspend
        self.podReplacementPolicy = podReplacementPolicy
    }

    enum CodingKeys: String, CodingKey {
        case parallelism
        case completions
        case activeDeadlineSeconds
        case backoffLimit
        case backoffLimitPerIndex
        case maxFailedIndexes
        case selector
        case manualSelector
        case template
        case ttlSecondsAfterFinished
        case completionMode
        case suspend
        case podReplacementPolicy
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.parallelism = try container.decodeIfPresent(Int.self, forKey: .parallelism)
        self.completions = try container.decodeIfPresent(Int.self, forKey: .completions)
        self.activeDeadlineSeconds = try container.decodeIfPresent(Int64.self, forKey: .activeDeadlineSeconds)
        self.backoffLimit = try container.decodeIfPresent(Int.self, forKey: .backoffLimit)
        self.backoffLimitPerIndex = try container.decodeIfPresent(Int.self, forKey: .backoffLimitPerIndex)
        self.maxFailedIndexes = try container.decodeIfPresent(Int.self, forKey: .maxFailedIndexes)
        self.selector = try container.decodeIfPresent(LabelSelector.self, forKey: .selector)
        self.manualSelector = try container.decodeIfPresent(Bool.self, forKey: .manualSelector)
        self.template = try container.decodeIfPresent(PodTemplateSpec.self, forKey: .template) ?? PodTemplateSpec()
        self.ttlSecondsAfterFinished = try container.decodeIfPresent(Int.self, forKey: .ttlSecondsAfterFinished)
        self.completionMode = try container.decodeIfPresent(String.self, forKey: .completionMode)
        self.suspend = try container.decodeIfPresent(Bool.self, forKey: .suspend)
        self.podReplacementPolicy = try container.decodeIfPresent(String.self, forKey: .podReplacementPolicy)
    }
}

extension JobSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.parallelism = try JSONTree.field(members, "parallelism")
        self.completions = try JSONTree.field(members, "completions")
        self.activeDeadlineSeconds = try JSONTree.field(members, "activeDeadlineSeconds")
        self.backoffLimit = try JSONTree.field(members, "backoffLimit")
        self.backoffLimitPerIndex = try JSONTree.field(members, "backoffLimitPerIndex")
        self.maxFailedIndexes = try JSONTree.field(members, "maxFailedIndexes")
        self.selector = try JSONTree.field(members, "selector")
        self.manualSelector = try JSONTree.field(members, "manualSelector")
        self.template = try JSONTree.field(members, "template") ?? PodTemplateSpec()
        self.ttlSecondsAfterFinished = try JSONTree.field(members, "ttlSecondsAfterFinished")
        self.completionMode = try JSONTree.field(members, "completionMode")
        self.suspend = try JSONTree.field(members, "suspend")
        self.podReplacementPolicy = try JSONTree.field(members, "podReplacementPolicy")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let parallelism { members["parallelism"] = parallelism.jsonTree() }
        if let completions { members["completions"] = completions.jsonTree() }
        if let activeDeadlineSeconds { members["activeDeadlineSeconds"] = activeDeadlineSeconds.jsonTree() }
        if let backoffLimit { members["backoffLimit"] = backoffLimit.jsonTree() }
        if let backoffLimitPerIndex { members["backoffLimitPerIndex"] = backoffLimitPerIndex.jsonTree() }
        if let maxFailedIndexes { members["maxFailedIndexes"] = maxFailedIndexes.jsonTree() }
        if let selector { members["selector"] = selector.jsonTree() }
        if let manualSelector { members["manualSelector"] = manualSelector.jsonTree() }
        members["template"] = template.jsonTree()
        if let ttlSecondsAfterFinished { members["ttlSecondsAfterFinished"] = ttlSecondsAfterFinished.jsonTree() }
        if let completionMode { members["completionMode"] = completionMode.jsonTree() }
        if let suspend { members["suspend"] = suspend.jsonTree() }
        if let podReplacementPolicy { members["podReplacementPolicy"] = podReplacementPolicy.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a job.
public struct JobStatus: Sendable, Codable, Hashable {
    /// The latest observations of the object's state.
    public var conditions: [JobCondition]?
    /// Kubernetes' `startTime` field.
    public var startTime: Time?
    /// Kubernetes' `completionTime` field.
    public var completionTime: Time?
    /// Kubernetes' `active` field.
    public var active: Int?
    /// Kubernetes' `succeeded` field.
    public var succeeded: Int?
    /// Kubernetes' `failed` field.
    public var failed: Int?
    /// Kubernetes' `terminating` field.
    public var terminating: Int?
    /// Kubernetes' `completedIndexes` field.
    public var completedIndexes: String?
    /// Kubernetes' `failedIndexes` field.
    public var failedIndexes: String?
    /// Kubernetes' `ready` field.
    public var ready: Int?

    /// Creates a `JobStatus`; every field defaults to empty.
    public init(
        conditions: [JobCondition]? = nil,
        startTime: Time? = nil,
        completionTime: Time? = nil,
        active: Int? = nil,
        succeeded: Int? = nil,
        failed: Int? = nil,
        terminating: Int? = nil,
        completedIndexes: String? = nil,
        failedIndexes: String? = nil,
        ready: Int? = nil
    ) {
        self.conditions = conditions
        self.startTime = startTime
        self.completionTime = completionTime
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
        self.terminating = terminating
        self.completedIndexes = completedIndexes
        self.failedIndexes = failedIndexes
        self.ready = ready
    }

    enum CodingKeys: String, CodingKey {
        case conditions
        case startTime
        case completionTime
        case active
        case succeeded
        case failed
        case terminating
        case completedIndexes
        case failedIndexes
        case ready
    }
}

extension JobStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.conditions = try JSONTree.field(members, "conditions")
        self.startTime = try JSONTree.field(members, "startTime")
        self.completionTime = try JSONTree.field(members, "completionTime")
        self.active = try JSONTree.field(members, "active")
        self.succeeded = try JSONTree.field(members, "succeeded")
        self.failed = try JSONTree.field(members, "failed")
        self.terminating = try JSONTree.field(members, "terminating")
        self.completedIndexes = try JSONTree.field(members, "completedIndexes")
        self.failedIndexes = try JSONTree.field(members, "failedIndexes")
        self.ready = try JSONTree.field(members, "ready")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let conditions { members["conditions"] = conditions.jsonTree() }
        if let startTime { members["startTime"] = startTime.jsonTree() }
        if let completionTime { members["completionTime"] = completionTime.jsonTree() }
        if let active { members["active"] = active.jsonTree() }
        if let succeeded { members["succeeded"] = succeeded.jsonTree() }
        if let failed { members["failed"] = failed.jsonTree() }
        if let terminating { members["terminating"] = terminating.jsonTree() }
        if let completedIndexes { members["completedIndexes"] = completedIndexes.jsonTree() }
        if let failedIndexes { members["failedIndexes"] = failedIndexes.jsonTree() }
        if let ready { members["ready"] = ready.jsonTree() }
        return .object(members)
    }
}

/// A condition of a Job: the shape Kubernetes gives conditions that are probed.
public typealias JobCondition = ProbedCondition
