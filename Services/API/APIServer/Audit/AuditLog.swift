import Bus
import Foundation
import Schema
import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The api's audit log (`--audit-log-path`, `--audit-policy-file`): one `audit.k8s.io/v1` Event per request, as a
/// JSON line, at the level the policy gives it. Lines are buffered and written by `run()` every 100 ms (and at
/// once past 256 KiB), with one `write(2)` per batch to a file opened for appending (0600): a crash of the api can
/// lose the last 100 ms of lines, never corrupt an earlier one. A file past `maxBytes` is renamed to `PATH.1`
/// (replacing the one before) and a new one started.
public final class AuditLog: Sendable {
    public let path: String
    let policy: AuditPolicy
    let maxBytes: Int
    /// The open file and how many bytes it holds.
    private let file: Mutex<(descriptor: Int32, size: Int)>
    private let buffer = Mutex<[UInt8]>([])

    public init(path: String, policy: AuditPolicy, maxBytes: Int = 100 << 20) throws(AuditPolicyError) {
        self.path = path
        self.policy = policy
        self.maxBytes = maxBytes
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        file = Mutex((try Self.open(path), Self.size(path)))
    }

    deinit { _ = file.withLock { close($0.descriptor) } }

    static func open(_ path: String) throws(AuditPolicyError) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditPolicyError(message: "--audit-log-path \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Records one answered request, when the policy's level for it is above None.
    func record(
        user: UserInfo, impersonated: UserInfo?, attributes: AccessAttributes, requestID: String,
        request: APIRequest?, reply: BusReply, received: Date, answered: Date, annotations: [String: String] = [:]
    ) {
        let level = policy.level(impersonated ?? user, attributes)
        guard level > .none else { return }
        var event: JSONValue = [
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": .string(level.rawValue),
            "auditID": .string(requestID.isEmpty ? RandomUID.make() : requestID),
            "stage": "ResponseComplete", "verb": .string(attributes.verb),
            "user": Self.user(user),
            "responseStatus": ["metadata": [:], "code": .int(Int64(reply.code))],
            "requestReceivedTimestamp": .string(Self.timestamp(received)),
            "stageTimestamp": .string(Self.timestamp(answered)),
            "annotations": [
                "kubus.io/latency-microseconds": .string(String(Int(answered.timeIntervalSince(received) * 1e6)))
            ],
        ]
        for (key, value) in annotations { event[path: ["annotations", key]] = .string(value) }
        if let impersonated { event["impersonatedUser"] = Self.user(impersonated) }
        if attributes.isResourceRequest {
            var reference: JSONValue = ["resource": .string(attributes.resource)]
            if !attributes.group.isEmpty { reference["apiGroup"] = .string(attributes.group) }
            reference["apiVersion"] = .string(
                KindRegistry.all.first { $0.plural == attributes.resource }?.version ?? "v1")
            if !attributes.namespace.isEmpty { reference["namespace"] = .string(attributes.namespace) }
            if !attributes.name.isEmpty { reference["name"] = .string(attributes.name) }
            if !attributes.subresource.isEmpty { reference["subresource"] = .string(attributes.subresource) }
            event["objectRef"] = reference
            event["requestURI"] = .string(Self.uri(attributes))
        } else {
            event["requestURI"] = .string(attributes.path)
        }
        if reply.code >= 400, let status = try? JSONValue.parse(reply.payload) {
            event[path: ["responseStatus", "status"]] = "Failure"
            event[path: ["responseStatus", "reason"]] = status["reason"] ?? .null
            event[path: ["responseStatus", "message"]] = status["message"] ?? .null
        }
        if level >= .request, let object = request?.object ?? request?.patch { event["requestObject"] = object }
        if level >= .requestResponse, reply.code < 400, let body = try? JSONValue.parse(reply.payload) {
            event["responseObject"] = body
        }
        var line = event.encoded()
        line.append(UInt8(ascii: "\n"))
        let full = buffer.withLock { pending -> Bool in
            pending += line
            return pending.count >= 256 << 10
        }
        if full { flush() }
    }

    /// Writes what is buffered.
    public func flush() {
        let pending = buffer.withLock { pending -> [UInt8] in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !pending.isEmpty else { return }
        file.withLock { file in
            if file.size > 0 && file.size + pending.count > maxBytes {
                rename(path, path + ".1")
                if let fresh = try? Self.open(path) {
                    close(file.descriptor)
                    file = (fresh, 0)
                }
            }
            let descriptor = file.descriptor
            let written = pending.withUnsafeBytes { raw -> Int in
                var offset = 0
                while offset < raw.count {
                    let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { break }
                    offset += n
                }
                return offset
            }
            file.size += written
        }
    }

    /// Flushes every 100 ms until cancelled, then once more.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            flush()
        }
        flush()
    }

    static func user(_ user: UserInfo) -> JSONValue {
        ["username": .string(user.name), "groups": .array(user.groups.map { .string($0) })]
    }

    /// The REST path kube-apiserver would have logged for the request.
    static func uri(_ a: AccessAttributes) -> String {
        var path =
            a.group.isEmpty
            ? "/api/v1" : "/apis/\(a.group)/\(KindRegistry.all.first { $0.plural == a.resource }?.version ?? "v1")"
        if !a.namespace.isEmpty { path += "/namespaces/\(a.namespace)" }
        path += "/\(a.resource)"
        if !a.name.isEmpty { path += "/\(a.name)" }
        if !a.subresource.isEmpty { path += "/\(a.subresource)" }
        if a.verb == "watch" { path += "?watch=true" }
        return path
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

/// What admission adds to a request's audit event, as Kubernetes' admission plugins annotate theirs
/// (`pod-security.kubernetes.io/audit-violations`). The api binds one per audited request; without one, adding
/// does nothing.
final class AuditAnnotations: Sendable {
    @TaskLocal static var current: AuditAnnotations?
    private let values = Mutex<[String: String]>([:])

    static func add(_ key: String, _ value: String) {
        current?.values.withLock { $0[key] = value }
    }

    var all: [String: String] { values.withLock { $0 } }
}
