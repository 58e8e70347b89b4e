// Generated from the Kubus schema spec; edit the spec, not this file.
import Foundation

/// A label query: `matchLabels` and `matchExpressions` are ANDed.
public struct LabelSelector: Sendable, Codable, Hashable {
    /// Kubernetes' `matchLabels` field.
    public var matchLabels: [String: String]?
    /// Kubernetes' `matchExpressions` field.
    public var matchExpressions: [LabelSelectorRequirement]?

    /// Creates a `LabelSelector`; every field defaults to empty.
    public init(
        matchLabels: [String: String]? = nil,
        matchExpressions: [LabelSelectorRequirement]? = nil
    ) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    enum CodingKeys: String, CodingKey {
        case matchLabels
        case matchExpressions
    }
}

extension LabelSelector: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.matchLabels = try JSONTree.field(members, "matchLabels")
        self.matchExpressions = try JSONTree.field(members, "matchExpressions")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let matchLabels { members["matchLabels"] = matchLabels.jsonTree() }
        if let matchExpressions { members["matchExpressions"] = matchExpressions.jsonTree() }
        return .object(members)
    }
}

/// One expression of a label selector: key, operator (In, NotIn, Exists, DoesNotExist) and values.
public struct LabelSelectorRequirement: Sendable, Codable, Hashable {
    /// The key.
    public var key: String
    /// The operator.
    public var `operator`: String
    /// The values.
    public var values: [String]?

    /// Creates a `LabelSelectorRequirement`; every field defaults to empty.
    public init(
        key: String = "",
        `operator`: String = "",
        values: [String]? = nil
    ) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case key
        case `operator`
        case values
    }

    /// Decodes, filling absent or null required fields with their empty value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.operator = try container.decodeIfPresent(String.self, forKey: .`operator`) ?? ""
        self.values = try container.decodeIfPresent([String].self, forKey: .values)
    }
}

extension LabelSelectorRequirement: JSONTreeCodable {
    /// Reads the tree as `init(from:)` decodes it.
    public init(jsonTree tree: JSONValue) throws(DecodingError) {
        let members = try JSONTree.members(of: tree, keyedBy: CodingKeys.self)
        self.key = try JSONTree.field(members, "key") ?? ""
        self.operator = try JSONTree.field(members, "operator") ?? ""
        self.values = try JSONTree.field(members, "values")
    }

    /// The tree `encode(to:)` writes.
    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        members["key"] = key.jsonTree()
        members["operator"] = `operator`.jsonTree()
        if let values { members["values"] = values.jsonTree() }
        return .object(members)
    }
}
