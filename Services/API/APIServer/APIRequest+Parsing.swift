import Schema
import Wire

extension APIRequest {
    /// Parses a request payload; every malformed field is a 400 that names it.
    init(parsing payload: [UInt8]) throws(APIError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(payload)
        } catch {
            throw .badRequest("the request payload is not valid JSON: \(error.message)")
        }
        guard case .object(let fields) = document else {
            throw .badRequest("the request payload must be a JSON object")
        }
        func string(_ key: String) throws(APIError) -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw .badRequest("field \"\(key)\" must be a string")
            }
        }
        func objectField(_ key: String) throws(APIError) -> JSONValue? {
            switch fields[key] {
            case nil, .null?: return nil
            case .object(let members)?: return .object(members)
            default: throw .badRequest("field \"\(key)\" must be a JSON object")
            }
        }
        self.init()
        kind = try string("kind")
        namespace = try string("namespace")
        name = try string("name")
        object = try objectField("object")
        patchType = try string("patchType")
        switch fields["patch"] {
        case nil, .null?: break
        case .object(let members)?: patch = .object(members)
        case .array(let operations)? where (try? PatchType(patchType)) == .json: patch = .array(operations)
        default:
            throw .badRequest(
                "field \"patch\" must be a JSON object (a JSON array for \"patchType\": \"json\")")
        }
        subresource = try string("subresource")
        labelSelector = try string("labelSelector")
        fieldSelector = try string("fieldSelector")
        `continue` = try string("continue")
        propagationPolicy = try string("propagationPolicy")
        fieldValidation = try string("fieldValidation")
        switch fields["resourceVersion"] {
        case nil, .null?: break
        case .string(let s)?: resourceVersion = s
        case .int(let i)?: resourceVersion = String(i)
        default: throw .badRequest("field \"resourceVersion\" must be a string")
        }
        switch fields["limit"] {
        case nil, .null?: break
        case .int(let i)? where i >= 0 && i <= Int64(Int32.max): limit = Int(i)
        default: throw .badRequest("field \"limit\" must be a non-negative integer")
        }
        switch fields["gracePeriodSeconds"] {
        case nil, .null?: break
        case .int(let i)? where i >= 0: gracePeriodSeconds = i
        default: throw .badRequest("field \"gracePeriodSeconds\" must be a non-negative integer")
        }
        switch fields["dryRun"] {
        case nil, .null?: break
        case .bool(let b)?: dryRun = b
        // Kubernetes' dryRun is a list whose only value is "All".
        case .array(let values)? where values.allSatisfy({ $0 == "All" }): dryRun = !values.isEmpty
        default: throw .badRequest("field \"dryRun\" must be a boolean")
        }
        if let p = try objectField("preconditions") {
            func field(_ key: String) throws(APIError) -> String? {
                switch p[key] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                default: throw .badRequest("field \"preconditions.\(key)\" must be a string")
                }
            }
            preconditions = Preconditions(uid: try field("uid"), resourceVersion: try field("resourceVersion"))
        }
    }
}

/// What to do with fields the schema does not know.
enum FieldValidation {
    case strict, warn, ignore

    init(_ text: String?) throws(APIError) {
        switch text {
        case nil, "", "Warn": self = .warn
        case "Strict": self = .strict
        case "Ignore": self = .ignore
        case let other?:
            throw .badRequest(
                "fieldValidation: invalid value \"\(other)\": must be one of \"Ignore\", \"Warn\" or \"Strict\"")
        }
    }
}
