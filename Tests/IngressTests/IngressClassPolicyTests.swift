import Ingress
import Schema
import Testing

@Suite struct IngressClassPolicyTests {
    let policy = IngressClassPolicy(className: "kubus", controllerName: "kubus.dev/ingress-nginx")

    func ingress(className: String? = nil, annotation: String? = nil) -> Ingress {
        Fixtures.ingress(
            "web", className: className, annotations: annotation.map { [IngressClassPolicy.legacyClassAnnotation: $0] })
    }

    func ingressClass(_ name: String, controller: String, isDefault: Bool = false) -> IngressClass {
        IngressClass(
            metadata: ObjectMeta(
                name: name, annotations: isDefault ? [IngressClass.defaultClassAnnotation: "true"] : nil),
            spec: IngressClassSpec(controller: controller))
    }

    @Test func servesItsOwnClassByName() {
        let classes = [policy.ownClass]
        #expect(policy.serves(ingress(className: "kubus"), classes: classes))
        #expect(!policy.serves(ingress(className: "nginx"), classes: classes))
        // Before the class exists (it is made at start) its name is enough.
        #expect(policy.serves(ingress(className: "kubus"), classes: []))
    }

    @Test func servesOtherClassesOfItsControllerAndNoneOfOthers() {
        let classes = [
            policy.ownClass, ingressClass("internal", controller: "kubus.dev/ingress-nginx"),
            ingressClass("nginx", controller: "k8s.io/ingress-nginx"),
            ingressClass("kubus-foreign", controller: "example.com/other"),
        ]
        #expect(policy.serves(ingress(className: "internal"), classes: classes))
        #expect(!policy.serves(ingress(className: "nginx"), classes: classes))
        #expect(!policy.serves(ingress(className: "some-invalid-class-name"), classes: classes))
        // A class named like ours but owned by another controller is that controller's.
        let taken = [ingressClass("kubus", controller: "example.com/other")]
        #expect(!policy.serves(ingress(className: "kubus"), classes: taken))
    }

    @Test func noClassIsServedOnlyWhileItsClassIsTheDefault() {
        #expect(policy.ownClass.metadata.annotations?[IngressClass.defaultClassAnnotation] == "true")
        #expect(policy.ownClass.spec.controller == "kubus.dev/ingress-nginx")
        #expect(policy.serves(ingress(), classes: [policy.ownClass]))
        #expect(!policy.serves(ingress(), classes: [ingressClass("kubus", controller: "kubus.dev/ingress-nginx")]))
        #expect(
            !policy.serves(
                ingress(), classes: [ingressClass("nginx", controller: "k8s.io/ingress-nginx", isDefault: true)]))
        #expect(!policy.serves(ingress(), classes: []))
    }

    @Test func theLegacyAnnotationDecidesAlone() {
        #expect(policy.serves(ingress(annotation: "kubus"), classes: []))
        #expect(!policy.serves(ingress(annotation: "nginx"), classes: [policy.ownClass]))
        #expect(!policy.serves(ingress(className: "kubus", annotation: "nginx"), classes: [policy.ownClass]))
    }
}
