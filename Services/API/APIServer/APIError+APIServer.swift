import Schema

/// Errors of the api that Schema's `APIError` has no constructor for.
extension APIError {
    static func make(_ code: Int, _ reason: String, _ message: String, details: StatusDetails? = nil) -> APIError {
        APIError(status: Status(status: "Failure", message: message, reason: reason, details: details, code: code))
    }

    /// 404 for a kind the registry does not know, in kubectl's words.
    static func unknownResource(_ name: String) -> APIError {
        make(404, "NotFound", "the server doesn't have a resource type \"\(name)\"")
    }

    /// 400 for an object whose apiVersion/kind pair is not served.
    static func noMatch(kind: String, version: String) -> APIError {
        make(400, "BadRequest", "no matches for kind \"\(kind)\" in version \"\(version)\"")
    }

    /// 404 for a subresource the kind does not have.
    static func noSubresource(_ info: KindInfo, _ subresource: String) -> APIError {
        make(
            404, "NotFound",
            "the server could not find the requested resource (\(info.qualifiedResource)/\(subresource))")
    }

    /// 404 `namespaces "x" not found`.
    static func namespaceNotFound(_ name: String) -> APIError {
        notFound(.namespace, name)
    }

    /// 403 for a create in a namespace that is being deleted.
    static func namespaceTerminating(_ info: KindInfo, _ name: String, namespace: String) -> APIError {
        make(
            403, "Forbidden",
            "\(info.qualifiedResource) \"\(name)\" is forbidden: unable to create new content in namespace "
                + "\(namespace) because it is being terminated",
            details: StatusDetails(name: name, group: info.group, kind: info.plural))
    }

    /// 410 for a list continued from a compacted revision (Kubernetes' reason `Expired`).
    static let continueExpired = make(
        410, "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new "
            + "list without the continue parameter.")

    /// 500 or 503 for a failure to reach the store.
    static func store(_ error: StoreAccessError) -> APIError {
        switch error {
        case .compacted(let revision):
            return gone("too old resource version (\(revision.map(String.init) ?? "?"))")
        case .unavailable(let message):
            return serviceUnavailable("the store is not available: \(message)")
        case .failed(let message):
            return .internal(message)
        }
    }
}
