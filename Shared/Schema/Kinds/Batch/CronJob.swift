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
