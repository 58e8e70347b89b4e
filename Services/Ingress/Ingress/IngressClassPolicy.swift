public import Schema

/// Which Ingresses a controller serves, as ingress-nginx decides it for its class.
///
/// - The legacy annotation `kubernetes.io/ingress.class`, when set, decides alone: served when it names the class.
/// - Otherwise `spec.ingressClassName`, when set: served when it names an IngressClass whose `spec.controller` is
///   this controller's, or names this controller's own class while that class does not exist (it is made at start).
/// - Otherwise (no class at all): served when an IngressClass of this controller carries
///   `ingressclass.kubernetes.io/is-default-class: "true"`.
public struct IngressClassPolicy: Sendable, Hashable {
    /// The legacy class annotation, read before `ingressClassName` (ingress-nginx does the same).
    public static let legacyClassAnnotation = "kubernetes.io/ingress.class"

    /// The class this controller owns (`kubus`).
    public var className: String
    /// The `spec.controller` value of this controller's classes (`kubus.dev/ingress-nginx`).
    public var controllerName: String

    public init(className: String, controllerName: String) {
        self.className = className
        self.controllerName = controllerName
    }

    /// The policy of `configuration`.
    public init(_ configuration: IngressConfiguration) {
        self.init(className: configuration.className, controllerName: configuration.controllerName)
    }

    /// Whether this controller serves `ingress`, given every IngressClass.
    public func serves(_ ingress: Ingress, classes: [IngressClass]) -> Bool {
        if let legacy = ingress.metadata.annotations?[Self.legacyClassAnnotation], !legacy.isEmpty {
            return legacy == className
        }
        if let name = ingress.spec.ingressClassName, !name.isEmpty {
            if let named = classes.first(where: { $0.metadata.name == name }) {
                return named.spec.controller == controllerName
            }
            return name == className
        }
        return hasDefaultClass(classes)
    }

    /// Whether one of this controller's classes is marked as the cluster's default.
    public func hasDefaultClass(_ classes: [IngressClass]) -> Bool {
        classes.contains { $0.spec.controller == controllerName && Self.isDefault($0) }
    }

    /// Whether `ingressClass` carries `ingressclass.kubernetes.io/is-default-class: "true"`.
    public static func isDefault(_ ingressClass: IngressClass) -> Bool {
        ingressClass.metadata.annotations?[IngressClass.defaultClassAnnotation]?.lowercased() == "true"
    }

    /// The IngressClass this controller makes sure exists at start: its own, marked as the default.
    public var ownClass: IngressClass {
        IngressClass(
            metadata: ObjectMeta(name: className, annotations: [IngressClass.defaultClassAnnotation: "true"]),
            spec: IngressClassSpec(controller: controllerName))
    }
}
