import Bus
import Foundation
import Schema
import Wire

extension APIHandler {
    /// The kind named by kind, plural or short name.
    func resolveKind(_ name: String?) throws(APIError) -> (KindInfo, any KubeObjectCodec) {
        guard let name, !name.isEmpty else { throw .badRequest("field \"kind\" is required") }
        guard let info = KindRegistry.lookup(name), let codec = KindRegistry.codec(for: info) else {
            throw .unknownResource(name)
        }
        return (info, codec)
    }

    /// The kind of an object from its `apiVersion` and `kind`.
    func resolveObjectKind(_ object: JSONValue) throws(APIError) -> (KindInfo, any KubeObjectCodec) {
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
            throw .badRequest("Object 'Kind' is missing in '\(Self.excerpt(object))'")
        }
        guard let version = object["apiVersion"]?.stringValue, !version.isEmpty else {
            throw .badRequest("Object 'apiVersion' is missing in '\(Self.excerpt(object))'")
        }
        guard let info = KindRegistry.lookup(apiVersion: version, kind: kind),
            let codec = KindRegistry.codec(for: info)
        else { throw .noMatch(kind: kind, version: version) }
        return (info, codec)
    }

    static func excerpt(_ object: JSONValue) -> String {
        let text = object.encodedString()
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }

    /// The namespace a request addresses: nil for cluster-scoped kinds; the request's, else the object's, else
    /// `default` (or nil = all namespaces when `allowAll`, for list and changes).
    func resolveNamespace(
        _ info: KindInfo, requested: String?, object: JSONValue? = nil, allowAll: Bool = false
    ) throws(APIError) -> String? {
        guard info.namespaced else { return nil }
        let fromRequest = requested.flatMap { $0.isEmpty ? nil : $0 }
        let fromObject = object?[path: ["metadata", "namespace"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let fromRequest, let fromObject, fromRequest != fromObject {
            throw .badRequest(
                "the namespace of the provided object does not match the namespace sent on the request")
        }
        if let ns = fromRequest ?? fromObject { return ns }
        return allowAll ? nil : "default"
    }

    /// What a write in `namespace` needs to know of it; fails unless it exists and is not being deleted.
    @discardableResult
    func openNamespace(_ namespace: String, for info: KindInfo, name: String) async throws(APIError) -> NamespaceFacts {
        let facts = try await namespaceFacts(namespace)
        if facts.terminating { throw .namespaceTerminating(info, name, namespace: namespace) }
        return facts
    }

    /// A namespace's phase and Pod Security labels, from the cache when read less than `namespaceCacheMs` ago.
    func namespaceFacts(_ namespace: String) async throws(APIError) -> NamespaceFacts {
        if let cached = namespaces.lookup(namespace) { return cached }
        let result: StoreRequest.GetResult
        do {
            result = try await store.get(RegistryKey.key(kind: "Namespace", namespace: nil, name: namespace))
        } catch {
            throw .store(error)
        }
        guard let kv = result.kv else { throw .namespaceNotFound(namespace) }
        let object = try Self.parseStored(kv)
        let labels = Self.labels(object).filter { $0.key.hasPrefix(PodSecurityLabels.prefix) }
        let limitRanges = try await objects(LimitRange.self, in: namespace)
        let quotas = try await objects(ResourceQuota.self, in: namespace)
        let facts = NamespaceFacts(
            terminating: object[path: ["metadata", "deletionTimestamp"]] != nil
                || object[path: ["status", "phase"]]?.stringValue == "Terminating",
            podSecurity: PodSecurityLabels(labels: labels), limitRanges: limitRanges,
            hasQuotas: !quotas.isEmpty)
        namespaces.remember(namespace, facts)
        return facts
    }

    /// Drops what this instance knows of a namespace after a write that changes it: of the namespace itself, or of
    /// a LimitRange or ResourceQuota in it.
    func forgetNamespaceFacts(_ info: KindInfo, name: String, namespace: String?) {
        if info == .namespace { namespaces.forget(name) }
        if info == .limitRange || info == .resourceQuota, let namespace { namespaces.forget(namespace) }
    }

    /// Every object of a kind in a namespace, read from the store (for the small kinds admission consults).
    func objects<T: KubeObject>(_ type: T.Type, in namespace: String) async throws(APIError) -> [T] {
        try await stored(kind: T.kindInfo.kind, namespace: namespace).kvs.compactMap {
            try? T.decode(from: Array($0.value.utf8))
        }
    }

    /// The stored objects of a kind (in a namespace, or all), read from the store at its latest revision.
    func stored(kind: String, namespace: String? = nil, limit: Int? = nil) async throws(APIError) -> RangeResult {
        do {
            return try await store.range(
                StoreRequest.Range(
                    prefix: RegistryKey.prefix(kind: kind, namespace: namespace), revision: nil, startAfter: nil,
                    limit: limit))
        } catch {
            throw .store(error)
        }
    }

    /// Parses a stored object and drops the resourceVersion the store spliced in.
    static func parseStored(_ kv: KeyValue) throws(APIError) -> JSONValue {
        do {
            var object = try JSONValue.parse(kv.value)
            object[path: ["metadata", "resourceVersion"]] = nil
            return object
        } catch {
            throw .internal("stored object \(kv.key) is not valid JSON: \(error.message)")
        }
    }

    /// The 422 for schema errors.
    static func invalid(_ info: KindInfo, _ name: String, _ error: SchemaError) -> APIError {
        let errors =
            error.fieldErrors.isEmpty
            ? [FieldError(kind: .invalid, field: "", detail: error.message)]
            : error.fieldErrors
        return .invalid(info, name, errors)
    }

    /// Applies `fieldValidation` to unknown fields: an error when strict, else warnings.
    static func unknownFieldWarnings(_ fields: [String], _ mode: FieldValidation) throws(APIError) -> [String] {
        guard !fields.isEmpty, mode != .ignore else { return [] }
        let lines = fields.map { "unknown field \"\($0)\"" }
        if mode == .strict { throw .badRequest("strict decoding error: " + lines.joined(separator: ", ")) }
        return lines
    }

    /// RFC 3339 UTC, seconds.
    static func now() -> String { Time.now().rawValue }

    /// Five random characters from Kubernetes' generateName alphabet (no vowels, no confusable digits).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    static func stringList(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Text of the object's JSON value as UTF-8 bytes.
    static func bytes(_ kv: KeyValue) -> [UInt8] { Array(kv.value.utf8) }
}
