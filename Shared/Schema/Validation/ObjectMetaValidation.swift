/// Validation of `metadata`, shared by every kind.
public enum ObjectMetaValidation {
    /// Checks name (per the kind's rule), namespace scope, labels, annotations, owner references and finalizers.
    public static func validate(_ meta: ObjectMeta, info: KindInfo, path: String = "metadata") -> [FieldError] {
        var errors: [FieldError] = []
        let name = meta.name ?? ""
        if name.isEmpty {
            let prefix = meta.generateName ?? ""
            if prefix.isEmpty {
                errors.append(.required(path.child("name"), "name or generateName is required"))
            } else {
                // A generated name gets a random suffix, so a trailing '-' is fine.
                let masked = prefix.hasSuffix("-") ? String(prefix.dropLast()) + "a" : prefix
                for message in validateName(masked, rule: info.nameRule) {
                    errors.append(.invalid(path.child("generateName"), .string(prefix), message))
                }
            }
        } else {
            for message in validateName(name, rule: info.nameRule) {
                errors.append(.invalid(path.child("name"), .string(name), message))
            }
            if info.kind == "CronJob", name.utf8.count > 52 {
                errors.append(.invalid(path.child("name"), .string(name), NameValidation.maxLength(52)))
            }
        }
        let namespace = meta.namespace ?? ""
        if info.namespaced {
            if namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            } else {
                for message in NameValidation.dns1123Label(namespace) {
                    errors.append(.invalid(path.child("namespace"), .string(namespace), message))
                }
            }
        } else if !namespace.isEmpty {
            errors.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }
        errors += validateLabels(meta.labels ?? [:], path: path.child("labels"))
        errors += validateAnnotations(meta.annotations ?? [:], path: path.child("annotations"))
        if let generation = meta.generation, generation < 0 {
            errors.append(.invalid(path.child("generation"), .int(generation), "must be greater than or equal to 0"))
        }
        var controllers: [String] = []
        for (index, reference) in (meta.ownerReferences ?? []).enumerated() {
            let referencePath = path.child("ownerReferences").index(index)
            if reference.apiVersion.isEmpty {
                errors.append(.invalid(referencePath.child("apiVersion"), "", "version must not be empty"))
            }
            if reference.kind.isEmpty {
                errors.append(.invalid(referencePath.child("kind"), "", "kind must not be empty"))
            }
            if reference.name.isEmpty {
                errors.append(.invalid(referencePath.child("name"), "", "name must not be empty"))
            }
            if reference.uid.isEmpty {
                errors.append(.invalid(referencePath.child("uid"), "", "uid must not be empty"))
            }
            if reference.controller == true { controllers.append("\(reference.kind)/\(reference.name)") }
        }
        if controllers.count > 1 {
            errors.append(
                .invalid(
                    path.child("ownerReferences"), .array(controllers.map { .string($0) }),
                    "Only one reference can have Controller set to true. Found \"true\" in references for "
                        + controllers.joined(separator: " and ")))
        }
        for (index, finalizer) in (meta.finalizers ?? []).enumerated() {
            for message in NameValidation.qualifiedName(finalizer) {
                errors.append(.invalid(path.child("finalizers").index(index), .string(finalizer), message))
            }
        }
        return errors
    }

    /// Label keys must be qualified names and values valid label values.
    public static func validateLabels(_ labels: [String: String], path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for key in labels.keys.sorted() {
            for message in NameValidation.qualifiedName(key) {
                errors.append(.invalid(path, .string(key), message))
            }
            let value = labels[key]!
            for message in NameValidation.labelValue(value) {
                errors.append(.invalid(path, .string(value), message))
            }
        }
        return errors
    }

    /// Annotation keys must be qualified names; all annotations together at most 256 KiB.
    public static func validateAnnotations(_ annotations: [String: String], path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var size = 0
        for key in annotations.keys.sorted() {
            for message in NameValidation.qualifiedName(key.lowercased()) {
                errors.append(.invalid(path, .string(key), message))
            }
            size += key.utf8.count + annotations[key]!.utf8.count
        }
        if size > 256 * 1024 { errors.append(.tooLong(path, maxBytes: 256 * 1024)) }
        return errors
    }

    /// Name, namespace, uid and creation time may not change on update.
    public static func validateUpdate(_ meta: ObjectMeta, old: ObjectMeta, path: String = "metadata") -> [FieldError] {
        var errors: [FieldError] = []
        func immutable(_ field: String, _ new: String?, _ old: String?) {
            if let old, !old.isEmpty, new != old {
                errors.append(.invalid(path.child(field), .string(new ?? ""), "field is immutable"))
            }
        }
        immutable("name", meta.name, old.name)
        immutable("namespace", meta.namespace, old.namespace)
        immutable("uid", meta.uid, old.uid)
        immutable("creationTimestamp", meta.creationTimestamp?.rawValue, old.creationTimestamp?.rawValue)
        return errors
    }
}
