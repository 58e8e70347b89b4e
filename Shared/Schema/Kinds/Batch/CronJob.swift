// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// Jobs created on a schedule.
public struct CronJob: KubeObject {
    /// The kind's registry entry.
    public static var kindInfo: KindInfo { .cronJob }

    /// APIVersion defines the versioned schema of this representation of an object.
    public var apiVersion: String?
    /// Kind is a string value representing the REST resource this object represents.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: CronJobSpec
    /// The observed state, written by controllers.
    public var status: CronJobStatus

    /// Creates a `CronJob`; every field defaults to empty.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: CronJobSpec = CronJobSpec(),
        status: CronJobStatus = CronJobStatus()
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
        self.spec = try container.decodeIfPresent(CronJobSpec.self, forKey: .spec) ?? CronJobSpec()
        self.status = try container.decodeIfPresent(CronJobStatus.self, forKey: .status) ?? CronJobStatus()
    }
}

extension CronJob: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.apiVersion = try JSONTree.field(members, "apiVersion")
        self.kind = try JSONTree.field(members, "kind")
        self.metadata = try JSONTree.field(members, "metadata") ?? ObjectMeta()
        self.spec = try JSONTree.field(members, "spec") ?? CronJobSpec()
        self.status = try JSONTree.field(members, "status") ?? CronJobStatus()
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

/// The desired state of a cron job.
public struct CronJobSpec: Sendable, Codable, Hashable {
    /// Cron format, e.g. `*/15 9-17 * * 1-5` or `@hourly`.
    public var schedule: String
    /// Kubernetes' `timeZone` field.
    public var timeZone: String?
    /// Kubernetes' `startingDeadlineSeconds` field.
    public var startingDeadlineSeconds: Int64?
    /// Allow, Forbid or Replace.
    public var concurrencyPolicy: String?
    /// Kubernetes' `suspend` field.
    public var suspend: Bool?
    /// Kubernetes' `jobTemplate` field.
    public var jobTemplate: JobTemplateSpec
    /// Kubernetes' `successfulJobsHistoryLimit` field.
    public var successfulJobsHistoryLimit: Int?
    /// Kubernetes' `failedJobsHistoryLimit` field.
    public var failedJobsHistoryLimit: Int?

    /// Creates a `CronJobSpec`; every field defaults to empty.
    public init(
        schedule: String = "",
        timeZone: String? = nil,
        startingDeadlineSeconds: Int64? = nil,
        concurrencyPolicy: String? = nil,
        suspend: Bool? = nil,
        jobTemplate: JobTemplateSpec = JobTemplateSpec(),
        successfulJobsHistoryLimit: Int? = nil,
        failedJobsHistoryLimit: Int? = nil
    ) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.concurrencyPolicy = concurrencyPolicy
        self.suspend = suspend
        self.jobTemplate = jobTemplate
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
    }

    enum CodingKeys: String, CodingKey {
        case schedule
        case timeZone
        case startingDeadlineSeconds
        case concurrencyPolicy
        case suspend
        case jobTemplate
        case successfulJobsHistoryLimit
        case failedJobsHistoryLimit
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schedule = try container.decodeIfPresent(String.self, forKey: .schedule) ?? ""
        self.timeZone = try container.decodeIfPresent(String.self, forKey: .timeZone)
        self.startingDeadlineSeconds = try container.decodeIfPresent(Int64.self, forKey: .startingDeadlineSeconds)
        self.concurrencyPolicy = try container.decodeIfPresent(String.self, forKey: .concurrencyPolicy)
        self.suspend = try container.decodeIfPresent(Bool.self, forKey: .suspend)
        self.jobTemplate =
            try container.decodeIfPresent(JobTemplateSpec.self, forKey: .jobTemplate) ?? JobTemplateSpec()
        self.successfulJobsHistoryLimit = try container.decodeIfPresent(Int.self, forKey: .successfulJobsHistoryLimit)
        self.failedJobsHistoryLimit = try container.decodeIfPresent(Int.self, forKey: .failedJobsHistoryLimit)
    }
}

extension CronJobSpec: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.schedule = try JSONTree.field(members, "schedule") ?? ""
        self.timeZone = try JSONTree.field(members, "timeZone")
        self.startingDeadlineSeconds = try JSONTree.field(members, "startingDeadlineSeconds")
        self.concurrencyPolicy = try JSONTree.field(members, "concurrencyPolicy")
        self.suspend = try JSONTree.field(members, "suspend")
        self.jobTemplate = try JSONTree.field(members, "jobTemplate") ?? JobTemplateSpec()
        self.successfulJobsHistoryLimit = try JSONTree.field(members, "successfulJobsHistoryLimit")
        self.failedJobsHistoryLimit = try JSONTree.field(members, "failedJobsHistoryLimit")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["schedule"] = schedule.jsonTree()
        if let timeZone { members["timeZone"] = timeZone.jsonTree() }
        if let startingDeadlineSeconds { members["startingDeadlineSeconds"] = startingDeadlineSeconds.jsonTree() }
        if let concurrencyPolicy { members["concurrencyPolicy"] = concurrencyPolicy.jsonTree() }
        if let suspend { members["suspend"] = suspend.jsonTree() }
        members["jobTemplate"] = jobTemplate.jsonTree()
        if let successfulJobsHistoryLimit {
            members["successfulJobsHistoryLimit"] = successfulJobsHistoryLimit.jsonTree()
        }
        if let failedJobsHistoryLimit { members["failedJobsHistoryLimit"] = failedJobsHistoryLimit.jsonTree() }
        return .object(members)
    }
}

/// The observed state of a cron job.
public struct CronJobStatus: Sendable, Codable, Hashable {
    /// Kubernetes' `active` field.
    public var active: [ObjectReference]?
    /// Kubernetes' `lastScheduleTime` field.
    public var lastScheduleTime: Time?
    /// Kubernetes' `lastSuccessfulTime` field.
    public var lastSuccessfulTime: Time?

    /// Creates a `CronJobStatus`; every field defaults to empty.
    public init(
        active: [ObjectReference]? = nil,
        lastScheduleTime: Time? = nil,
        lastSuccessfulTime: Time? = nil
    ) {
        self.active = active
        self.lastScheduleTime = lastScheduleTime
        self.lastSuccessfulTime = lastSuccessfulTime
    }

    enum CodingKeys: String, CodingKey {
        case active
        case lastScheduleTime
        case lastSuccessfulTime
    }
}

extension CronJobStatus: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.active = try JSONTree.field(members, "active")
        self.lastScheduleTime = try JSONTree.field(members, "lastScheduleTime")
        self.lastSuccessfulTime = try JSONTree.field(members, "lastSuccessfulTime")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let active { members["active"] = active.jsonTree() }
        if let lastScheduleTime { members["lastScheduleTime"] = lastScheduleTime.jsonTree() }
        if let lastSuccessfulTime { members["lastSuccessfulTime"] = lastSuccessfulTime.jsonTree() }
        return .object(members)
    }
}
