import Bus
import Foundation
import JSONCore
import Schema
import Wire

extension APIHandler {
    func get(_ request: APIRequest) async throws(APIError) -> Outcome {
        let (info, _) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace)
        guard let name = request.name, !name.isEmpty else { throw .badRequest("resource name may not be empty") }
        return Outcome(code: 200, payload: Self.bytes(try await storedKV(info, namespace: namespace, name: name)))
    }

    /// One stored object as the store keeps it; 404 in Kubernetes' words when it is not there.
    func storedKV(_ info: KindInfo, namespace: String?, name: String) async throws(APIError) -> KeyValue {
        let result: StoreRequest.GetResult
        do {
            result = try await store.get(RegistryKey.key(kind: info.kind, namespace: namespace, name: name))
        } catch {
            throw .store(error)
        }
        guard let kv = result.kv else { throw .notFound(info, name) }
        return kv
    }

    /// One stored object, parsed (without its resourceVersion).
    func storedObject(_ info: KindInfo, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        try Self.parseStored(try await storedKV(info, namespace: namespace, name: name))
    }

    func list(_ request: APIRequest) async throws(APIError) -> Outcome {
        let (info, _) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace, allowAll: true)
        var labels: LabelSelector?
        if let text = request.labelSelector, !text.isEmpty {
            do {
                labels = try LabelSelectorParser.parse(text)
            } catch {
                throw .badRequest("unable to parse requirement: labelSelector \"\(text)\": \(error.message)")
            }
        }
        var fields: FieldSelector?
        if let text = request.fieldSelector, !text.isEmpty {
            do {
                fields = try FieldSelector.parse(text)
            } catch {
                throw .badRequest("fieldSelector \"\(text)\": \(error.message)")
            }
        }
        let token = try request.continue.flatMap { text throws(APIError) in
            text.isEmpty ? nil : try ContinueToken(decoding: text)
        }
        let prefix = RegistryKey.prefix(kind: info.kind, namespace: namespace)
        let limit = request.limit.flatMap { $0 > 0 ? $0 : nil }
        let filtering = labels != nil || fields != nil

        var items: [String] = []
        var bytes = 0
        var startAfter = token?.start
        var revision = token?.revision
        var kindRevision: Int64 = 0
        var lastKey: String?
        var more = false
        var pager = StorePager(budget: configuration.listByteBudget)
        pages: while true {
            // Ask the store for no more than the budget can hold, judged by the largest object seen so far, so
            // neither its reply nor ours outgrows a bus message.
            var want = pager.nextLimit(remainingBytes: configuration.listByteBudget - bytes)
            if let limit { want = min(want, filtering ? max(limit - items.count, 64) : limit - items.count) }
            let page: RangeResult
            do {
                page = try await store.range(
                    StoreRequest.Range(prefix: prefix, revision: revision, startAfter: startAfter, limit: want))
            } catch {
                if case .compacted = error, token != nil { throw .continueExpired }
                throw .store(error)
            }
            if revision == nil { kindRevision = page.bucketRevision }
            if token != nil && kindRevision == 0 { kindRevision = page.bucketRevision }
            revision = page.revision
            for (index, kv) in page.kvs.enumerated() {
                pager.saw(kv.value.utf8.count)
                if filtering, !Self.matches(kv, labels: labels, fields: fields) {
                    lastKey = kv.key
                    continue
                }
                let size = kv.value.utf8.count + 1
                // The server chooses a smaller page, as Kubernetes allows: what is left comes with `continue`.
                if !items.isEmpty, bytes + size > configuration.listByteBudget {
                    more = true
                    break pages
                }
                items.append(kv.value)
                bytes += size
                lastKey = kv.key
                if let limit, items.count == limit {
                    more = index < page.kvs.count - 1 || page.more
                    break pages
                }
            }
            guard page.more, let last = page.kvs.last else { break }
            startAfter = last.key
            lastKey = last.key
        }

        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(160) { $0 + $1.utf8.count + 1 })
        out += Array(#"{"apiVersion":"#.utf8)
        JSONText.appendString(info.apiVersion, to: &out)
        out += Array(#","kind":"#.utf8)
        JSONText.appendString(info.kind + "List", to: &out)
        out += Array(#","metadata":{"resourceVersion":""#.utf8)
        out += Array(String(revision ?? 0).utf8)
        out += Array(#"""#.utf8)
        if more, let lastKey, let revision {
            out += Array(#","continue":"#.utf8)
            JSONText.appendString(ContinueToken(revision: revision, start: lastKey).encoded(), to: &out)
        }
        out += Array(#","kindRevision":""#.utf8)
        out += Array(String(kindRevision).utf8)
        out += Array(#""},"items":["#.utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += item.utf8
        }
        out += Array("]}".utf8)
        return Outcome(code: 200, payload: out)
    }

    static func matches(_ kv: KeyValue, labels: LabelSelector?, fields: FieldSelector?) -> Bool {
        guard let object = try? JSONValue.parse(kv.value) else { return false }
        if let labels {
            var values: [String: String] = [:]
            for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
                if let text = value.stringValue { values[key] = text }
            }
            if !labels.matches(values) { return false }
        }
        if let fields, !fields.matches(object) { return false }
        return true
    }

    func changes(_ request: APIRequest) async throws(APIError) -> Outcome {
        let (info, _) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace, allowAll: true)
        guard let text = request.resourceVersion, let after = Int64(text), after >= 0 else {
            throw .badRequest(
                "field \"resourceVersion\" must be a revision, e.g. the resourceVersion of a list; got "
                    + "\(request.resourceVersion.map { "\"\($0)\"" } ?? "none")")
        }
        let prefix = RegistryKey.prefix(kind: info.kind, namespace: namespace)
        let limit = request.limit.flatMap { $0 > 0 ? $0 : nil }
        var result = ChangesResult(changes: [], revision: after, more: false)
        var bytes = 0
        var pager = StorePager(budget: configuration.listByteBudget)
        var from = after
        collect: while true {
            // A change carries the value and the previous one: ask for what half the budget holds.
            var want = max(1, pager.nextLimit(remainingBytes: configuration.listByteBudget - bytes) / 2)
            if let limit { want = min(want, limit - result.changes.count) }
            let page: ChangesResult
            do {
                page = try await store.changes(StoreRequest.Changes(prefix: prefix, after: from, limit: want))
            } catch {
                if case .compacted(let compactRevision) = error {
                    throw .tooOldResourceVersion(requested: after, oldest: compactRevision ?? after)
                }
                throw .store(error)
            }
            result.revision = page.revision
            result.more = page.more
            for (index, change) in page.changes.enumerated() {
                let size = change.kv.value.utf8.count + 40
                pager.saw(max(size, change.previous?.value.utf8.count ?? 0))
                if !result.changes.isEmpty, bytes + size > configuration.listByteBudget {
                    result.more = true
                    break collect
                }
                result.changes.append(change)
                bytes += size
                if let limit, result.changes.count == limit {
                    result.more = result.more || index < page.changes.count - 1
                    break collect
                }
            }
            guard page.more, let last = page.changes.last else { break }
            from = last.kv.modRevision
        }
        // With more to come, resume after the last change returned; otherwise after the store's revision.
        let next = result.more ? (result.changes.last?.kv.modRevision ?? after) : max(result.revision, after)
        var out: [UInt8] = []
        out.reserveCapacity(result.changes.reduce(96) { $0 + $1.kv.value.utf8.count + 40 })
        out += Array(#"{"resourceVersion":""#.utf8)
        out += Array(String(next).utf8)
        out += Array(#"","more":"#.utf8)
        out += Array((result.more ? "true" : "false").utf8)
        out += Array(#","events":["#.utf8)
        for (index, change) in result.changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let type = change.type == .delete ? "DELETED" : (change.kv.version == 1 ? "ADDED" : "MODIFIED")
            out += Array(#"{"type":""#.utf8)
            out += Array(type.utf8)
            out += Array(#"","object":"#.utf8)
            out += change.kv.value.utf8
            out.append(UInt8(ascii: "}"))
        }
        out += Array("]}".utf8)
        return Outcome(code: 200, payload: out)
    }
}

/// The opaque `continue` of a list page: base64 of `{"rv":R,"start":"<last key>"}`. Later pages read at R.
struct ContinueToken: Equatable {
    var revision: Int64
    var start: String

    init(revision: Int64, start: String) {
        self.revision = revision
        self.start = start
    }

    init(decoding text: String) throws(APIError) {
        guard let data = Data(base64Encoded: text), let json = try? JSONValue.parse(Array(data)),
            let revision = json["rv"]?.intValue, let start = json["start"]?.stringValue,
            start.hasPrefix(RegistryKey.root)
        else { throw .badRequest("continue key is not valid: \"\(text)\"") }
        self.revision = revision
        self.start = start
    }

    func encoded() -> String {
        let json: JSONValue = ["rv": .int(revision), "start": .string(start)]
        return Data(json.encoded(sortedKeys: true)).base64EncodedString()
    }
}

/// Sizes the store reads of one list or changes reply: no store reply may outgrow a bus message, and the
/// reply to the client may hold at most `budget` bytes. It asks for few objects first and for more once it
/// knows how large they are.
struct StorePager {
    /// Objects asked for before any size is known: even objects at the largest the api accepts fit a message.
    static let firstLimit = 8
    /// Objects asked for at most in one store read.
    static let maxLimit = 1000
    let budget: Int
    private(set) var largest = 0

    init(budget: Int) { self.budget = budget }

    mutating func saw(_ bytes: Int) { largest = max(largest, bytes) }

    /// How many objects the next store read may return.
    func nextLimit(remainingBytes: Int) -> Int {
        guard largest > 0 else { return Self.firstLimit }
        return min(Self.maxLimit, max(1, max(remainingBytes, largest) / largest))
    }
}
