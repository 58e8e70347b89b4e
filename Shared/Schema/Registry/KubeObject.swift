/// A top-level Kubernetes object: typed, value-semantic, and described by a `KindInfo`.
public protocol KubeObject: Sendable, Codable, Hashable, JSONTreeCodable {
    /// The registry entry of this kind.
    static var kindInfo: KindInfo { get }
    /// `group/version`, or `v1` for the core group.
    var apiVersion: String? { get set }
    /// The kind name, e.g. `Pod`.
    var kind: String? { get set }
    /// Standard object metadata.
    var metadata: ObjectMeta { get set }
    /// Fills unset fields with Kubernetes' defaults.
    mutating func applyDefaults()
    /// Kind-specific validation beyond metadata; `old` is the stored object on update.
    func validateSpec(old: Self?) -> [FieldError]
}

extension KubeObject {
    /// No defaults unless the kind defines them.
    public mutating func applyDefaults() {}

    /// No kind-specific rules unless the kind defines them.
    public func validateSpec(old: Self?) -> [FieldError] { [] }

    /// Sets `apiVersion` and `kind` to this kind's canonical values.
    public mutating func setTypeMeta() {
        apiVersion = Self.kindInfo.apiVersion
        kind = Self.kindInfo.kind
    }

    /// The object as JSON, with `apiVersion` and `kind` filled in.
    public func jsonValue() throws(SchemaError) -> JSONValue {
        var copy = self
        copy.setTypeMeta()
        return try JSONValue(encoding: copy)
    }

    /// Decodes an object of this kind from JSON.
    public static func decode(from json: JSONValue) throws(SchemaError) -> Self {
        try json.decode(as: Self.self)
    }

    /// Decodes an object of this kind from JSON bytes.
    public static func decode(from bytes: [UInt8]) throws(SchemaError) -> Self {
        try JSONValue.parse(bytes).decode(as: Self.self)
    }

    /// Full validation: metadata (name rule, namespace scope, labels, annotations), then the kind's rules.
    public func validate(old: Self? = nil) -> [FieldError] {
        var errors = ObjectMetaValidation.validate(metadata, info: Self.kindInfo)
        if let old {
            errors += ObjectMetaValidation.validateUpdate(metadata, old: old.metadata)
        }
        return errors + validateSpec(old: old)
    }
}
