import Bus
import Foundation
import Schema

extension APIHandler {
    func get(_ request: APIRequest) async throws(APIError) -> Outcome {
        let (info, _) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace)
        guard let name = request.name, !name.isEmpty else { throw .badRequest("resource name may not be empty") }
        let result: StoreRequest.GetResult
        do {
            result = try await store.get(RegistryKey.key(kind: info.kind, namespace: namespace, name: name))
        } catch {
            throw .store(error)
        }
        guard let kv = result.kv else { throw .notFound(info, name) }
        return Outcome(code: 200, payload: Self.bytes(kv))
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
        var startAfter = token?.start
        var revision = token?.revision
        var kindRevision: Int64 = 0
        var lastKey: String?
        var more = false
        pages: while true {
            let want = limit.map { filtering ? max($0 - items.count, 64) : $0 - items.count }
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
                if filtering, !Self.matches(kv, labels: labels, fields: fields) {
                    lastKey = kv.key
                    continue
                }
                items.append(kv.value)
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
        let result: ChangesResult
        do {
            result = try await store.changes(
                StoreRequest.Changes(
                    prefix: RegistryKey.prefix(kind: info.kind, namespace: namespace), after: after,
                    limit: request.limit.flatMap { $0 > 0 ? $0 : nil }))
        } catch {
            if case .compacted(let compactRevision) = error {
                throw .tooOldResourceVersion(requested: after, oldest: compactRevision ?? after)
            }
            throw .store(error)
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
