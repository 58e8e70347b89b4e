import Schema
import Wire

/// The patch types the api applies, named as kubectl's `--type` (Kubernetes' media types are accepted too).
enum PatchType: Equatable {
    /// RFC 7386 JSON merge patch: objects merge, `null` deletes, lists are replaced.
    case merge
    /// RFC 6902 JSON patch: a list of operations on JSON pointers.
    case json
    /// Kubernetes' strategic merge patch: lists with a merge key merge element by element.
    case strategic

    init(_ text: String?) throws(APIError) {
        switch text {
        case nil, "", "merge", "application/merge-patch+json": self = .merge
        case "json", "application/json-patch+json": self = .json
        case "strategic", "application/strategic-merge-patch+json": self = .strategic
        case let other?:
            throw .make(
                415, "UnsupportedMediaType",
                "the patchType \"\(other)\" is not supported - accepted types are: merge, json, strategic")
        }
    }
}

extension APIHandler {
    /// Applies a patch of `patchType` to the stored object, then takes the update path (`modify`).
    func patch(_ request: APIRequest, requestID: String) async throws(APIError) -> Outcome {
        let (info, codec) = try resolveKind(request.kind)
        let namespace = try resolveNamespace(info, requested: request.namespace)
        guard let name = request.name, !name.isEmpty else { throw .badRequest("resource name may not be empty") }
        let type = try PatchType(request.patchType)
        guard let patch = request.patch else { throw .badRequest("field \"patch\" is required") }
        var operations: JSONPatch?
        var expected: String?
        if type == .json {
            do {
                operations = try JSONPatch(patch)
            } catch {
                throw Self.patchFailed(info, name, error)
            }
        } else {
            expected = patch[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        }
        return try await modify(
            info: info, codec: codec, namespace: namespace, name: name, expectedVersion: expected, request: request,
            requestID: requestID
        ) { current throws(APIError) in
            let patched: JSONValue
            do throws(PatchError) {
                switch type {
                case .merge: patched = current.mergePatched(with: patch)
                case .json: patched = try operations!.apply(to: current)
                case .strategic: patched = try StrategicMergePatch.apply(patch, to: current, kind: info.kind)
                }
            } catch {
                throw Self.patchFailed(info, name, error)
            }
            // A JSON patch that sets another resourceVersion is an update of that version: a conflict.
            let version = patched[path: ["metadata", "resourceVersion"]]
            if type == .json, let version, !version.isNull, version != current[path: ["metadata", "resourceVersion"]] {
                throw .conflict(info, name)
            }
            return patched
        }
    }

    /// 400 for a malformed patch, 422 naming the field for one that does not apply to the object.
    static func patchFailed(_ info: KindInfo, _ name: String, _ error: PatchError) -> APIError {
        error.isMalformed ? .badRequest(error.message) : .invalid(info, name, error.fieldErrors)
    }
}
