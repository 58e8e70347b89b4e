import Bus
import Client
import Schema

/// The api calls kubusctl makes that `KubusClient` has no method for: patches of every type and `version`.
extension KubusClient {
    /// Applies a patch of `type` (`merge`, `json` or `strategic`); returns the object after it and the warnings.
    func patch(
        kind: String, namespace: String?, name: String, patch: JSONValue, type: String, dryRun: Bool = false
    ) async throws(APIError) -> Reply {
        var payload: JSONValue = [
            "kind": .string(kind), "name": .string(name), "patch": patch, "patchType": .string(type),
        ]
        if let namespace { payload["namespace"] = .string(namespace) }
        if dryRun { payload["dryRun"] = true }
        return try await ctlCall("patch", payload)
    }

    /// The server's version: Kubernetes' `/version` object.
    func serverVersion() async throws(APIError) -> JSONValue {
        try await ctlCall("version", [:]).body
    }

    /// One api request, its failure an `APIError` as `KubusClient`'s own calls give.
    func ctlCall(_ verb: String, _ payload: JSONValue) async throws(APIError) -> Reply {
        let reply: BusReply
        do {
            reply = try await bus.request(service: service, type: verb, payload: payload.encoded(), timeout: timeout)
        } catch {
            let hint = "the \(service) service is not answering on the bus (\(error.message)); "
                + "check the cluster with `kubus-up status`"
            throw error.isTimeout ? .timeout(hint) : .serviceUnavailable(hint)
        }
        return try Self.decode(code: reply.code, payload: reply.payload, warnings: reply.envelope.extra["warnings"])
    }
}
