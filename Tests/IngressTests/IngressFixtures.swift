import Foundation
import Ingress
import Schema

/// Builders for the objects the ingress tests route.
enum Fixtures {
    static func ingress(
        _ name: String, namespace: String = "default", created: String = "2024-01-01T00:00:00Z",
        className: String? = "kubus", annotations: [String: String]? = nil, rules: [IngressRule] = [],
        defaultBackend: IngressBackend? = nil, tls: [IngressTLS]? = nil
    ) -> Ingress {
        Ingress(
            metadata: ObjectMeta(
                name: name, namespace: namespace, creationTimestamp: Time(rawValue: created), annotations: annotations),
            spec: IngressSpec(
                ingressClassName: className, defaultBackend: defaultBackend, tls: tls,
                rules: rules.isEmpty ? nil : rules))
    }

    static func rule(_ host: String?, _ paths: HTTPIngressPath...) -> IngressRule {
        IngressRule(host: host, http: HTTPIngressRuleValue(paths: paths))
    }

    static func path(_ path: String?, _ type: String? = "Prefix", to service: String, port: Int = 80) -> HTTPIngressPath
    {
        HTTPIngressPath(path: path, pathType: type, backend: backend(service, port: port))
    }

    static func path(_ path: String, _ type: String = "Prefix", to service: String, portName: String) -> HTTPIngressPath
    {
        HTTPIngressPath(
            path: path, pathType: type,
            backend: IngressBackend(
                service: IngressServiceBackend(name: service, port: ServiceBackendPort(name: portName))))
    }

    static func backend(_ service: String, port: Int = 80) -> IngressBackend {
        IngressBackend(service: IngressServiceBackend(name: service, port: ServiceBackendPort(number: port)))
    }

    static func service(
        _ name: String, namespace: String = "default", ports: [(name: String?, port: Int)] = [(nil, 80)]
    )
        -> Service
    {
        Service(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: ServiceSpec(ports: ports.map { ServicePort(name: $0.name, protocol: "TCP", port: $0.port) }))
    }

    /// A slice of `service` with one port and endpoints (address, ready condition).
    static func slice(
        _ name: String, service: String, namespace: String = "default", port: (name: String?, number: Int),
        endpoints: [(address: String, ready: Bool?)]
    ) -> EndpointSlice {
        EndpointSlice(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: [EndpointSlice.serviceNameLabel: service]),
            addressType: "IPv4",
            endpoints: endpoints.map {
                Endpoint(addresses: [$0.address], conditions: EndpointConditions(ready: $0.ready))
            },
            ports: [EndpointSlicePort(name: port.name, protocol: "TCP", port: port.number)])
    }

    /// A Service on port 80 and a slice with one ready endpoint `address:port`.
    static func backendService(_ name: String, address: String = "10.0.0.1", port: Int = 8080) -> (
        Service, EndpointSlice
    ) {
        (service(name), slice("\(name)-1", service: name, port: (nil, port), endpoints: [(address, true)]))
    }

    static let certificatePEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    static let keyPEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"

    static func tlsSecret(
        _ name: String, namespace: String = "default", certificate: String = certificatePEM, key: String = keyPEM
    )
        -> Secret
    {
        Secret(
            metadata: ObjectMeta(name: name, namespace: namespace),
            data: [
                "tls.crt": Data(certificate.utf8).base64EncodedString(),
                "tls.key": Data(key.utf8).base64EncodedString(),
            ],
            type: "kubernetes.io/tls")
    }

    static let kubusClass = IngressClassPolicy(className: "kubus", controllerName: "kubus.dev/ingress-nginx").ownClass

    static var configuration: IngressConfiguration {
        var c = IngressConfiguration()
        c.stateDirectory = "/state"
        return c
    }

    /// The routing table of `ingresses` with `backends` (each a Service with one ready endpoint) and the class.
    static func table(
        _ ingresses: [Ingress], backends: [String] = [], services: [Service] = [], slices: [EndpointSlice] = [],
        secrets: [Secret] = [], classes: [IngressClass] = [kubusClass], certificateErrors: [String: String] = [:]
    ) -> RoutingTable {
        var allServices = services
        var allSlices = slices
        for (index, name) in backends.enumerated() {
            let (s, e) = backendService(name, address: "10.0.0.\(index + 1)")
            allServices.append(s)
            allSlices.append(e)
        }
        let snapshot = IngressSnapshot(
            ingresses: ingresses, classes: classes, services: allServices, endpointSlices: allSlices, secrets: secrets)
        return RoutingTableBuilder.build(snapshot, configuration: configuration, certificateErrors: certificateErrors)
    }
}
