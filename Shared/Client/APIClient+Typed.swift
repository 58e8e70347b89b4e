public import Schema

extension APIClient {
    /// Creates a typed object and returns what was stored.
    public func create<T: KubeObject>(_ object: T) async throws(APIError) -> T {
        try Self.typed(try await create(try Self.json(object)).object)
    }

    /// Reads one typed object.
    public func get<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) async throws(APIError) -> T {
        try Self.typed(try await get(kind: T.kindInfo.kind, namespace: namespace, name: name))
    }

    /// Lists typed objects and the revision of the list.
    public func list<T: KubeObject>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil
    ) async throws(APIError) -> (items: [T], resourceVersion: String) {
        let result = try await list(kind: T.kindInfo.kind, namespace: namespace, labelSelector: labelSelector)
        var items: [T] = []
        for item in result.items { items.append(try Self.typed(item)) }
        return (items, result.resourceVersion)
    }

    /// Replaces a typed object; its `resourceVersion` must be current.
    public func update<T: KubeObject>(_ object: T) async throws(APIError) -> T {
        try Self.typed(try await update(try Self.json(object)).object)
    }

    /// Replaces the `status` of a typed object.
    public func updateStatus<T: KubeObject>(_ object: T) async throws(APIError) -> T {
        try Self.typed(try await update(try Self.json(object), subresource: "status").object)
    }

    /// Deletes a typed object by name; returns its last state when the server sent one.
    @discardableResult
    public func delete<T: KubeObject>(
        _ type: T.Type, namespace: String?, name: String, propagationPolicy: String? = nil,
        gracePeriodSeconds: Int64? = nil
    ) async throws(APIError) -> T? {
        let body = try await delete(
            kind: T.kindInfo.kind, namespace: namespace, name: name, propagationPolicy: propagationPolicy,
            gracePeriodSeconds: gracePeriodSeconds)
        return try? body.decode(as: T.self)
    }

    static func json<T: KubeObject>(_ object: T) throws(APIError) -> JSONValue {
        do {
            return try object.jsonValue()
        } catch {
            throw APIError.badRequest("cannot encode \(T.kindInfo.kind): \(error.message)")
        }
    }

    static func typed<T: KubeObject>(_ value: JSONValue) throws(APIError) -> T {
        do {
            return try value.decode(as: T.self)
        } catch {
            throw APIError.internal("cannot decode the \(T.kindInfo.kind) the server returned: \(error.message)")
        }
    }
}
