import Client
import Schema

/// The api calls kubusctl makes that `APIClient` has no method for: patches of every type and `version`.
extension APIClient {
    /// Applies a patch of `type` (`merge`, `json` or `strategic`); returns the object after it and the warnings.
    func patch(
        kind: String, namespace: String?, name: String, patch: JSONValue, type: String, dryRun: Bool = false
    ) async throws(APIError) -> APIReply {
        var payload: JSONValue = [
            "kind": .string(kind), "name": .string(name), "patch": patch, "patchType": .string(type),
        ]
        if let namespace { payload["namespace"] = .string(namespace) }
        if dryRun { payload["dryRun"] = true }
        return try await call("patch", payload)
    }

    /// The server's version: Kubernetes' `/version` object.
    func serverVersion() async throws(APIError) -> JSONValue {
        try await call("version", [:]).body
    }
}
