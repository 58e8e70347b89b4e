import Schema

/// `set image`: `CONTAINER=IMAGE` pairs (`*=IMAGE` for every container), init containers included.
struct SetImageEdit: Sendable {
    /// Container name (or `*`) to image, in the order given.
    var images: [(container: String, image: String)]

    static func parse(_ arguments: [String]) throws(CtlError) -> SetImageEdit {
        var images: [(container: String, image: String)] = []
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CtlError("invalid image update \(argument): expected CONTAINER_NAME=IMAGE")
            }
            images.append((String(parts[0]), String(parts[1])))
        }
        guard !images.isEmpty else { throw CtlError("at least one image update is required") }
        return SetImageEdit(images: images)
    }

    func apply(to object: JSONValue) throws -> JSONValue {
        var found: Set<String> = []
        let result = try PodTemplate.editContainers(object, fields: ["initContainers", "containers"]) { container in
            for (name, image) in images where name == "*" || name == container.name {
                container["image"] = .string(image)
                found.insert(name)
            }
        }
        for (name, _) in images where !found.contains(name) && name != "*" {
            throw CtlError("unable to find container named \"\(name)\"")
        }
        return result
    }
}

/// `set resources --limits=cpu=200m,memory=512Mi --requests=cpu=100m [-c CONTAINERS]`.
struct SetResourcesEdit: Sendable {
    var limits: [String: String]
    var requests: [String: String]

    static func parse(limits: String?, requests: String?) throws(CtlError) -> SetResourcesEdit {
        let edit = SetResourcesEdit(limits: try pairs(limits), requests: try pairs(requests))
        guard !edit.limits.isEmpty || !edit.requests.isEmpty else {
            throw CtlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
        }
        return edit
    }

    /// `cpu=200m,memory=512Mi`, each a valid quantity.
    static func pairs(_ text: String?) throws(CtlError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw CtlError("invalid argument syntax \(pair), expected <resource>=<quantity>")
            }
            do {
                _ = try Quantity(parsing: String(parts[1]))
            } catch {
                throw CtlError(error.message)
            }
            result[String(parts[0])] = String(parts[1])
        }
        return result
    }

    func apply(to object: JSONValue, containers pattern: String) throws -> (object: JSONValue, matched: Int) {
        var matched = 0
        let result = try PodTemplate.editContainers(object, fields: ["initContainers", "containers"]) { container in
            guard PodTemplate.matches(pattern, container.name) else { return }
            matched += 1
            for (field, values) in [("limits", limits), ("requests", requests)] where !values.isEmpty {
                var current = container[path: ["resources", field]]?.objectValue ?? [:]
                for (name, value) in values { current[name] = .string(value) }
                container[path: ["resources", field]] = .object(current)
            }
        }
        return (result, matched)
    }
}
