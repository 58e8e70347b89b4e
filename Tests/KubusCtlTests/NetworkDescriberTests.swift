import Foundation
import Schema
import Testing

@testable import KubusCtl

/// `describe` of Services, EndpointSlices, Ingresses, IngressClasses and NetworkPolicies: whole outputs, laid out
/// as kubectl 1.31 prints them.
@Suite struct NetworkDescriberTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func describe(_ object: JSONValue, events: [JSONValue] = [], related: DescribeRelated = DescribeRelated()) -> String
    {
        Describer.describe(object, events: events, related: related, now: now)
    }

    @Test func serviceWithEndpointsAndEvents() {
        let svc: JSONValue = [
            "kind": "Service",
            "metadata": ["name": "web", "namespace": "default", "labels": ["app": "web", "tier": "front"]],
            "spec": [
                "type": "LoadBalancer", "selector": ["app": "web"], "clusterIP": "10.96.0.10",
                "clusterIPs": ["10.96.0.10"],
                "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "sessionAffinity": "None",
                "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
                "ports": [
                    ["name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 31080],
                    ["port": 53, "targetPort": 5353, "protocol": "UDP", "nodePort": 31053],
                ],
            ],
            "status": ["loadBalancer": ["ingress": [["ip": "127.100.0.1", "ipMode": "VIP"]]]],
        ]
        let endpoints: JSONValue = [
            "subsets": [
                [
                    "addresses": [
                        ["ip": "10.244.1.5"], ["ip": "10.244.1.6"], ["ip": "10.244.1.7"], ["ip": "10.244.1.8"],
                    ],
                    "ports": [["name": "http", "port": 8080], ["name": "", "port": 5353, "protocol": "UDP"]],
                ]
            ]
        ]
        let event: JSONValue = [
            "kind": "Event", "type": "Normal", "reason": "IPAllocated", "message": "Assigned IP [\"127.100.0.1\"]",
            "involvedObject": ["kind": "Service", "name": "web"], "source": ["component": "kubus-loadbalancer"],
            "lastTimestamp": .string(Time(now.addingTimeInterval(-30)).rawValue),
        ]
        #expect(
            describe(svc, events: [event], related: DescribeRelated(endpoints: endpoints)) == """
                Name:                     web
                Namespace:                default
                Labels:                   app=web
                                          tier=front
                Annotations:              <none>
                Selector:                 app=web
                Type:                     LoadBalancer
                IP Family Policy:         SingleStack
                IP Families:              IPv4
                IP:                       10.96.0.10
                IPs:                      10.96.0.10
                LoadBalancer Ingress:     127.100.0.1 (VIP)
                Port:                     http  80/TCP
                TargetPort:               http/TCP
                NodePort:                 http  31080/TCP
                Endpoints:                10.244.1.5:8080,10.244.1.6:8080,10.244.1.7:8080 + 1 more...
                Port:                     <unset>  53/UDP
                TargetPort:               5353/UDP
                NodePort:                 <unset>  31053/UDP
                Endpoints:                10.244.1.5:5353,10.244.1.6:5353,10.244.1.7:5353 + 1 more...
                Session Affinity:         None
                External Traffic Policy:  Cluster
                Internal Traffic Policy:  Cluster
                Events:
                  Type    Reason       Age   From                Message
                  ----    ------       ----  ----                -------
                  Normal  IPAllocated  30s   kubus-loadbalancer  Assigned IP ["127.100.0.1"]

                """)
    }

    @Test func serviceWithoutEndpointsOrSelector() {
        let svc: JSONValue = [
            "kind": "Service", "metadata": ["name": "db", "namespace": "default"],
            "spec": [
                "type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None",
                "ports": [["port": 5432, "targetPort": 5432, "protocol": "TCP"]],
            ],
        ]
        #expect(
            describe(svc) == """
                Name:              db
                Namespace:         default
                Labels:            <none>
                Annotations:       <none>
                Selector:          <none>
                Type:              ExternalName
                IP Families:       <none>
                IP:                
                IPs:               <none>
                External Name:     db.example.com
                Port:              <unset>  5432/TCP
                TargetPort:        5432/TCP
                Endpoints:         <none>
                Session Affinity:  None
                Events:            <none>

                """)
    }

    @Test func endpointSlice() {
        let slice: JSONValue = [
            "kind": "EndpointSlice",
            "metadata": [
                "name": "web-x2k9", "namespace": "default",
                "labels": [
                    "kubernetes.io/service-name": "web",
                    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                ],
            ],
            "addressType": "IPv4",
            "ports": [["name": "http", "port": 8080, "protocol": "TCP"]],
            "endpoints": [
                [
                    "addresses": ["10.244.1.5"], "conditions": ["ready": true], "nodeName": "node-a",
                    "targetRef": ["kind": "Pod", "name": "web-0", "namespace": "default"],
                ],
                ["addresses": ["10.244.1.6"], "conditions": [:]],
            ],
        ]
        #expect(
            describe(slice) == """
                Name:         web-x2k9
                Namespace:    default
                Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
                              kubernetes.io/service-name=web
                Annotations:  <none>
                AddressType:  IPv4
                Ports:
                  Name  Port  Protocol
                  ----  ----  --------
                  http  8080  TCP
                Endpoints:
                  - Addresses:  10.244.1.5
                    Conditions:
                      Ready:    true
                    Hostname:   <unset>
                    TargetRef:  Pod/web-0
                    NodeName:   node-a
                    Zone:       <unset>
                  - Addresses:  10.244.1.6
                    Conditions:
                      Ready:   <unset>
                    Hostname:  <unset>
                    NodeName:  <unset>
                    Zone:      <unset>
                Events:        <none>

                """)
        let empty: JSONValue = [
            "kind": "EndpointSlice", "metadata": ["name": "k", "namespace": "default"], "addressType": "IPv4",
        ]
        #expect(describe(empty).contains("AddressType:  IPv4\nPorts: <unset>\nEndpoints: <none>\nEvents:  <none>\n"))
    }

    @Test func ingressRulesWithBackendsAndTheirEndpoints() {
        let ingress: JSONValue = [
            "kind": "Ingress", "metadata": ["name": "web", "namespace": "default"],
            "spec": [
                "ingressClassName": "kubus",
                "tls": [["hosts": ["a.example"], "secretName": "a-tls"]],
                "rules": [
                    [
                        "host": "a.example",
                        "http": [
                            "paths": [
                                [
                                    "path": "/", "pathType": "Prefix",
                                    "backend": ["service": ["name": "web", "port": ["number": 80]]],
                                ],
                                [
                                    "path": "/api", "pathType": "Prefix",
                                    "backend": ["service": ["name": "api", "port": ["name": "http"]]],
                                ],
                            ]
                        ],
                    ],
                    [
                        "http": [
                            "paths": [
                                [
                                    "path": "/gone", "pathType": "Exact",
                                    "backend": ["service": ["name": "gone", "port": ["number": 8080]]],
                                ]
                            ]
                        ]
                    ],
                ],
            ],
            "status": ["loadBalancer": ["ingress": [["ip": "127.0.0.1"]]]],
        ]
        let web: JSONValue = ["spec": ["ports": [["name": "http", "port": 80]]]]
        let webEndpoints: JSONValue = [
            "subsets": [["addresses": [["ip": "10.244.1.5"]], "ports": [["name": "http", "port": 8080]]]]
        ]
        let api: JSONValue = ["spec": ["ports": [["name": "http", "port": 9000]]]]
        let apiEndpoints: JSONValue = [
            "subsets": [["addresses": [["ip": "10.244.1.9"]], "ports": [["name": "http", "port": 9000]]]]
        ]
        let related = DescribeRelated(
            backendServices: ["web": web, "api": api], backendEndpoints: ["web": webEndpoints, "api": apiEndpoints],
            backendErrors: ["gone": "endpoints \"gone\" not found"])
        #expect(
            describe(ingress, related: related) == """
                Name:             web
                Labels:           <none>
                Namespace:        default
                Address:          127.0.0.1
                Ingress Class:    kubus
                Default backend:  <default>
                TLS:
                  a-tls terminates a.example
                Rules:
                  Host        Path  Backends
                  ----        ----  --------
                  a.example   
                              /      web:80 (10.244.1.5:8080)
                              /api   api:http (10.244.1.9:9000)
                  *           
                              /gone   gone:8080 (<error: endpoints "gone" not found>)
                Annotations:  <none>
                Events:       <none>

                """)
    }

    @Test func ingressWithOnlyADefaultBackend() {
        let ingress: JSONValue = [
            "kind": "Ingress", "metadata": ["name": "min", "namespace": "default"],
            "spec": ["defaultBackend": ["resource": ["kind": "StorageBucket", "name": "static"]]],
        ]
        let text = describe(ingress)
        #expect(text.contains("Default backend:  APIGroup: <none>, Kind: StorageBucket, Name: static\n"))
        #expect(
            text.contains(
                "  Host        Path  Backends\n  ----        ----  --------\n"
                    + "  *           *     APIGroup: <none>, Kind: StorageBucket, Name: static\nAnnotations:  <none>\n")
        )
    }

    @Test func ingressClass() {
        let kubus: JSONValue = [
            "kind": "IngressClass",
            "metadata": ["name": "kubus", "annotations": ["ingressclass.kubernetes.io/is-default-class": "true"]],
            "spec": [
                "controller": "kubus.dev/ingress-nginx",
                "parameters": ["apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"],
            ],
        ]
        #expect(
            describe(kubus) == """
                Name:         kubus
                Labels:       <none>
                Annotations:  ingressclass.kubernetes.io/is-default-class=true
                Controller:   kubus.dev/ingress-nginx
                Parameters:
                  APIGroup:  k8s.example.com
                  Kind:      IngressParameters
                  Name:      external-lb
                Events:      <none>

                """)
    }

    @Test func networkPolicyInKubectlsWords() {
        let policy: JSONValue = [
            "kind": "NetworkPolicy",
            "metadata": ["name": "db", "namespace": "default", "creationTimestamp": "2027-01-15T08:00:00Z"],
            "spec": [
                "podSelector": ["matchLabels": ["role": "db"]],
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    [
                        "from": [
                            ["ipBlock": ["cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]]],
                            ["namespaceSelector": ["matchLabels": ["project": "myproject"]]],
                            [
                                "namespaceSelector": ["matchLabels": ["team": "a"]],
                                "podSelector": ["matchLabels": ["role": "api"]],
                            ],
                        ],
                        "ports": [["protocol": "TCP", "port": 6379]],
                    ],
                    [:],
                ],
                "egress": [
                    ["to": [["podSelector": [:]]], "ports": [["protocol": "TCP", "port": 32000, "endPort": 32768]]]
                ],
            ],
        ]
        #expect(
            describe(policy) == """
                Name:         db
                Namespace:    default
                Created on:   2027-01-15 08:00:00 +0000 UTC
                Labels:       <none>
                Annotations:  <none>
                Spec:
                  PodSelector:     role=db
                  Allowing ingress traffic:
                    To Port: 6379/TCP
                    From:
                      IPBlock:
                        CIDR: 172.17.0.0/16
                        Except: 172.17.1.0/24
                    From:
                      NamespaceSelector: project=myproject
                    From:
                      NamespaceSelector: team=a
                      PodSelector: role=api
                    ----------
                    To Port: <any> (traffic allowed to all ports)
                    From: <any> (traffic not restricted by source)
                  Allowing egress traffic:
                    To Port Range: 32000-32768/TCP
                    To:
                      PodSelector: <none>
                  Policy Types: Ingress, Egress

                """)
        let denyAll: JSONValue = [
            "kind": "NetworkPolicy", "metadata": ["name": "deny", "namespace": "default"],
            "spec": ["podSelector": [:], "policyTypes": ["Ingress"]],
        ]
        let text = describe(denyAll)
        #expect(
            text.contains(
                """
                  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
                  Allowing ingress traffic:
                    <none> (Selected pods are isolated for ingress connectivity)
                  Not affecting egress traffic
                  Policy Types: Ingress

                """))
        #expect(!text.contains("Events:"))
    }

    @Test func tabWriterAlignsEachBlockOnItsOwn() {
        #expect(
            TabWriter.format(["a:\t1", "long label:\t2", "no tab", "b:\t3"]) == [
                "a:           1", "long label:  2", "no tab", "b:  3",
            ])
        // A line with fewer cells ends the inner column's block; the outer column still spans it.
        #expect(
            TabWriter.format(["  Host\tPath\tBackends", "  x.example\t", "    \t/ \tweb:80"])
                == ["  Host       Path  Backends", "  x.example  ", "             /   web:80"])
    }
}
