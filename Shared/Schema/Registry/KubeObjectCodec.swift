/// What `normalize` returns: the canonical object and the input fields the schema does not know.
public struct NormalizeResult: Sendable, Hashable {
    /// The object decoded, defaulted and re-encoded, with `apiVersion` and `kind` set to the served version.
    public var object: JSONValue
    /// Dotted paths present in the input but dropped by decoding, e.g. `spec.template.spec.containers[0].imagee`.
    public var unknownFields: [String]
    /// What validating the defaulted object found, when `normalize(_:validate:)` was asked to.
    public var errors: [FieldError]
    /// The typed value `object` encodes, so that validating it needs no second decode; nil when not known.
    public var decoded: (any KubeObject)?

    /// Creates a result.
    public init(
        object: JSONValue, unknownFields: [String], errors: [FieldError] = [], decoded: (any KubeObject)? = nil
    ) {
        self.object = object
        self.unknownFields = unknownFields
        self.errors = errors
        self.decoded = decoded
    }

    /// Equal when the JSON results are (`decoded` is what `object` encodes).
    public static func == (lhs: NormalizeResult, rhs: NormalizeResult) -> Bool {
        lhs.object == rhs.object && lhs.unknownFields == rhs.unknownFields && lhs.errors == rhs.errors
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(object)
        hasher.combine(unknownFields)
        hasher.combine(errors)
    }
}

/// Treats every kind uniformly as JSON: decode, default, validate and encode without knowing the Swift type.
public protocol KubeObjectCodec: Sendable {
    /// The kind this codec handles.
    var info: KindInfo { get }
    /// Decodes, applies defaults and re-encodes; reports unknown fields. Type errors name the field.
    func normalize(_ object: JSONValue) throws(SchemaError) -> NormalizeResult
    /// `normalize`, and with `validate` also the validation of the defaulted object as a new one, from the
    /// same decoded value (one decode instead of two, for creates).
    func normalize(_ object: JSONValue, validate: Bool) throws(SchemaError) -> NormalizeResult
    /// Validates an object (and an update against `oldObject`); decoding problems come back as field errors.
    func validate(_ object: JSONValue, oldObject: JSONValue?) -> [FieldError]
    /// `validate(_:oldObject:)` of an object already decoded (a `NormalizeResult`'s `decoded`, changed as its
    /// `object` was).
    func validate(decoded object: any KubeObject, oldObject: JSONValue?) -> [FieldError]
    /// Decodes into the typed object.
    func decode(_ object: JSONValue) throws(SchemaError) -> any KubeObject
    /// Encodes a typed object of this kind back to JSON.
    func encode(_ object: any KubeObject) throws(SchemaError) -> JSONValue
}

extension KubeObjectCodec {
    /// Decodes JSON bytes into the typed object.
    public func decode(bytes: [UInt8]) throws(SchemaError) -> any KubeObject {
        try decode(JSONValue.parse(bytes))
    }
}

/// The codec of one Swift type.
public struct TypedCodec<T: KubeObject>: KubeObjectCodec {
    /// Creates the codec.
    public init() {}

    /// The kind of `T`.
    public var info: KindInfo { T.kindInfo }

    /// Decodes, defaults and re-encodes; `apiVersion` and `kind` are checked and set.
    public func normalize(_ object: JSONValue) throws(SchemaError) -> NormalizeResult {
        try normalize(object, validate: false)
    }

    public func normalize(_ object: JSONValue, validate: Bool) throws(SchemaError) -> NormalizeResult {
        try checkTypeMeta(object)
        let input = T.upgrade(object)
        var typed: T = try input.decode(as: T.self)
        let plain = try JSONValue(encoding: typed)
        let unknown = UnknownFields.find(input: input, known: plain)
        typed.applyDefaults()
        typed.setTypeMeta()
        return NormalizeResult(
            object: try JSONValue(encoding: typed), unknownFields: unknown,
            errors: validate ? typed.validate(old: nil) : [], decoded: typed)
    }

    /// Validates `object`, and the transition from `oldObject` when given.
    public func validate(_ object: JSONValue, oldObject: JSONValue?) -> [FieldError] {
        do throws(SchemaError) {
            try checkTypeMeta(object)
            let typed: T = try T.upgrade(object).decode(as: T.self)
            return validate(decoded: typed, oldObject: oldObject)
        } catch {
            return Self.fieldErrors(error)
        }
    }

    /// Validates `object`, and the transition from `oldObject` when given; an object of another kind is an error.
    public func validate(decoded object: any KubeObject, oldObject: JSONValue?) -> [FieldError] {
        guard let typed = object as? T else {
            return [.invalid("kind", .string(String(describing: type(of: object))), "expected \(info.kind)")]
        }
        do throws(SchemaError) {
            var old: T? = nil
            if let oldObject { old = try T.upgrade(oldObject).decode(as: T.self) }
            return typed.validate(old: old)
        } catch {
            return Self.fieldErrors(error)
        }
    }

    /// A decoding problem as the field errors validation answers with.
    private static func fieldErrors(_ error: SchemaError) -> [FieldError] {
        error.fieldErrors.isEmpty ? [.invalid("", .null, error.message)] : error.fieldErrors
    }

    /// Decodes into `T`.
    public func decode(_ object: JSONValue) throws(SchemaError) -> any KubeObject {
        try T.upgrade(object).decode(as: T.self)
    }

    /// Encodes a `T`; other types are an error.
    public func encode(_ object: any KubeObject) throws(SchemaError) -> JSONValue {
        guard let typed = object as? T else {
            throw SchemaError.invalidObject([
                .invalid("kind", .string(String(describing: type(of: object))), "expected \(info.kind)")
            ])
        }
        return try typed.jsonValue()
    }

    private func checkTypeMeta(_ object: JSONValue) throws(SchemaError) {
        guard case .object = object else {
            throw SchemaError.invalidObject([.invalid("", object, "expected a JSON object")])
        }
        var errors: [FieldError] = []
        if let kind = object["kind"], !kind.isNull, kind.stringValue != info.kind {
            errors.append(.invalid("kind", kind, "expected \(info.kind)"))
        }
        if let version = object["apiVersion"], !version.isNull {
            let accepted = version.stringValue.flatMap { KindRegistry.lookup(apiVersion: $0, kind: info.kind) }
            if accepted != info {
                errors.append(
                    .invalid("apiVersion", version, "\(info.kind) is served as \(info.apiVersion)"))
            }
        }
        if !errors.isEmpty { throw SchemaError.invalidObject(errors) }
    }
}

extension KubeObject {
    /// Converts input written for an older accepted version to the served shape; most kinds need nothing.
    static func upgrade(_ object: JSONValue) -> JSONValue {
        var result = object
        if let version = object["apiVersion"]?.stringValue, version != kindInfo.apiVersion {
            result["apiVersion"] = .string(kindInfo.apiVersion)
            if kindInfo == .horizontalPodAutoscaler, version == "autoscaling/v1",
                let percent = object[path: ["spec", "targetCPUUtilizationPercentage"]]
            {
                // autoscaling/v1 only knows a CPU utilization target; express it as a v2 metric.
                var spec = result["spec"] ?? [:]
                spec["targetCPUUtilizationPercentage"] = nil
                spec["metrics"] = [
                    [
                        "type": "Resource",
                        "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": percent]],
                    ]
                ]
                result["spec"] = spec
            }
        }
        return result
    }
}

/// Finds fields of an input document that did not survive decoding.
enum UnknownFields {
    /// One step of the path walked: a member, or an array element.
    private enum Step {
        case key(String)
        case index(Int)
    }

    static func find(input: JSONValue, known: JSONValue) -> [String] {
        var found: [String] = []
        var path: [Step] = []
        walk(input, known, path: &path, into: &found)
        return found.sorted()
    }

    /// The path is one stack pushed and popped in place and spelled out only for a field found, so a document with
    /// every field known costs no strings (this walk runs on every create and update).
    private static func walk(_ input: JSONValue, _ known: JSONValue, path: inout [Step], into found: inout [String]) {
        switch (input, known) {
        case (.object(let inputMembers), .object(let knownMembers)):
            for (key, value) in inputMembers {
                if value.isNull { continue }
                if let knownValue = knownMembers[key] {
                    path.append(.key(key))
                    walk(value, knownValue, path: &path, into: &found)
                    path.removeLast()
                } else {
                    found.append(spelled(path, then: key))
                }
            }
        case (.array(let inputElements), .array(let knownElements)):
            for (index, element) in inputElements.enumerated() where index < knownElements.count {
                path.append(.index(index))
                walk(element, knownElements[index], path: &path, into: &found)
                path.removeLast()
            }
        default:
            break
        }
    }

    /// `spec.containers[0].imagee`.
    private static func spelled(_ path: [Step], then key: String) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? key : "\(text).\(key)"
    }
}
