import Foundation
import Schema
import Testing

@testable import KubusCtl

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let created: JSONValue = .string(Time(now.addingTimeInterval(-300)).rawValue)

/// `get` of the networking kinds, in the columns and cell formats of kubectl 1.31's printers.
@Suite struct NetworkTablesTests {
    func service(_ spec: JSONValue, status: JSONValue = [:]) -> JSONValue {
        ["kind": "Service", "metadata": ["name": "web", "creationTimestamp": created], "spec": spec, "status": status]
    }

    @Test func serviceColumnsNarrowAndWide() {
        let svc = service([
            "type": "ClusterIP", "clusterIP": "10.96.0.12", "clusterIPs": ["10.96.0.12"],
            "selector": ["app": "web", "tier": "front"], "ports": [["port": 80, "protocol": "TCP"]],
        ])
        let narrow = ResourceTable.table([svc], info: .service, now: now)
        #expect(narrow.columns == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        #expect(narrow.rows == [["web", "ClusterIP", "10.96.0.12", "<none>", "80/TCP", "5m"]])
        let wide = ResourceTable.table([svc], info: .service, options: TableOptions(wide: true), now: now)
        #expect(wide.columns.last == "SELECTOR")
        #expect(wide.rows[0].last == "app=web,tier=front")
        let headless = service(["clusterIP": "None", "clusterIPs": ["None"], "type": "ClusterIP", "ports": []])
        #expect(
            ResourceTable.row(headless, info: .service, now: now) == [
                "web", "ClusterIP", "None", "<none>", "<none>", "5m",
            ])
    }

    @Test func externalIPsAsKubectlPrintsThem() {
        let lb = service(
            [
                "type": "LoadBalancer", "clusterIPs": ["10.96.0.9"], "externalIPs": ["192.0.2.1"],
                "ports": [["port": 443, "nodePort": 31443, "protocol": "TCP"]],
            ],
            status: [
                "loadBalancer": ["ingress": [["ip": "127.100.0.3"], ["ip": "127.100.0.2"], ["hostname": "lb.example"]]]
            ])
        // Sorted, then clipped to 16 characters without -o wide; the external IPs follow.
        #expect(ResourceTable.row(lb, info: .service, now: now)[3] == "127.100.0.2,1...,192.0.2.1")
        #expect(
            ResourceTable.row(lb, info: .service, options: TableOptions(wide: true), now: now)[3]
                == "127.100.0.2,127.100.0.3,lb.example,192.0.2.1")
        #expect(ResourceTable.row(lb, info: .service, now: now)[4] == "443:31443/TCP")
        let pending = service(["type": "LoadBalancer", "ports": [["port": 80, "protocol": "TCP"]]])
        #expect(ResourceTable.row(pending, info: .service, now: now)[3] == "<pending>")
        let name = service(["type": "ExternalName", "externalName": "db.example.com"])
        #expect(ResourceTable.row(name, info: .service, now: now)[2...4] == ["<none>", "db.example.com", "<none>"])
        #expect(ResourceTable.row(service(["type": "Odd"]), info: .service, now: now)[3] == "<unknown>")
        let nodePort = service(["type": "NodePort", "externalIPs": ["192.0.2.7", "192.0.2.8"]])
        #expect(ResourceTable.row(nodePort, info: .service, now: now)[3] == "192.0.2.7,192.0.2.8")
    }

    @Test func endpointsListPortsThenAddressesAndTruncate() {
        func endpoints(_ subsets: JSONValue) -> JSONValue {
            ["kind": "Endpoints", "metadata": ["name": "web", "creationTimestamp": created], "subsets": subsets]
        }
        let two: JSONValue = [
            [
                "addresses": [["ip": "10.244.1.5"], ["ip": "10.244.1.6"]],
                "ports": [["name": "http", "port": 8080], ["name": "metrics", "port": 9090]],
            ]
        ]
        #expect(
            ResourceTable.table([endpoints(two)], info: .endpoints, now: now).columns == ["NAME", "ENDPOINTS", "AGE"])
        #expect(
            ResourceTable.row(endpoints(two), info: .endpoints, now: now)
                == ["web", "10.244.1.5:8080,10.244.1.6:8080,10.244.1.5:9090 + 1 more...", "5m"])
        #expect(ResourceTable.row(endpoints([]), info: .endpoints, now: now)[1] == "<none>")
        // Only not-ready addresses: kubectl prints an empty cell.
        #expect(
            ResourceTable.row(endpoints([["notReadyAddresses": [["ip": "10.0.0.1"]]]]), info: .endpoints, now: now)[1]
                == "")
        // Headless without ports; IPv6 in brackets.
        #expect(
            ResourceTable.row(endpoints([["addresses": [["ip": "10.0.0.1"]]]]), info: .endpoints, now: now)[1]
                == "10.0.0.1")
        let v6: JSONValue = [["addresses": [["ip": "fd00::5"]], "ports": [["port": 80]]]]
        #expect(ResourceTable.row(endpoints(v6), info: .endpoints, now: now)[1] == "[fd00::5]:80")
    }

    @Test func endpointSlices() {
        let slice: JSONValue = [
            "kind": "EndpointSlice", "metadata": ["name": "web-abcde", "creationTimestamp": created],
            "addressType": "IPv4",
            "ports": [["name": "http", "port": 8080, "protocol": "TCP"], ["name": "named"], ["port": 1], ["port": 2]],
            "endpoints": [["addresses": ["10.0.0.1"]], ["addresses": ["10.0.0.2"]]],
        ]
        let table = ResourceTable.table([slice], info: .endpointSlice, now: now)
        #expect(table.columns == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"])
        #expect(table.rows == [["web-abcde", "IPv4", "8080,named,1 + 1 more...", "10.0.0.1,10.0.0.2", "5m"]])
        let empty: JSONValue = ["kind": "EndpointSlice", "metadata": ["name": "k"], "addressType": "IPv4"]
        #expect(ResourceTable.row(empty, info: .endpointSlice, now: now)[2...3] == ["<unset>", "<unset>"])
    }

    @Test func ingressesAndClasses() {
        let ingress: JSONValue = [
            "kind": "Ingress", "metadata": ["name": "web", "creationTimestamp": created],
            "spec": [
                "ingressClassName": "kubus", "tls": [["hosts": ["a.example"], "secretName": "tls"]],
                "rules": [
                    ["host": "a.example"], ["host": "b.example"], ["http": [:]], ["host": "c.example"],
                    ["host": "d.example"],
                ],
            ],
            "status": ["loadBalancer": ["ingress": [["ip": "127.0.0.1"]]]],
        ]
        let table = ResourceTable.table([ingress], info: .ingress, now: now)
        #expect(table.columns == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"])
        // kubectl counts every rule in "more" and skips rules without a host.
        #expect(
            table.rows == [["web", "kubus", "a.example,b.example,c.example + 2 more...", "127.0.0.1", "80, 443", "5m"]])
        let bare: JSONValue = ["kind": "Ingress", "metadata": ["name": "x"], "spec": ["defaultBackend": [:]]]
        #expect(ResourceTable.row(bare, info: .ingress, now: now)[1...4] == ["<none>", "*", "", "80"])

        let kubus: JSONValue = [
            "kind": "IngressClass", "metadata": ["name": "kubus", "creationTimestamp": created],
            "spec": ["controller": "kubus.dev/ingress-nginx"],
        ]
        let classes = ResourceTable.table([kubus], info: .ingressClass, now: now)
        #expect(classes.columns == ["NAME", "CONTROLLER", "PARAMETERS", "AGE"])
        #expect(classes.rows == [["kubus", "kubus.dev/ingress-nginx", "<none>", "5m"]])
        var withParameters = kubus
        withParameters[path: ["spec", "parameters"]] = [
            "apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p",
        ]
        #expect(
            ResourceTable.row(withParameters, info: .ingressClass, now: now)[2] == "IngressParameters.k8s.example.com/p"
        )
    }

    @Test func networkPoliciesShowTheirPodSelector() {
        func policy(_ selector: JSONValue) -> JSONValue {
            [
                "kind": "NetworkPolicy", "metadata": ["name": "db", "creationTimestamp": created],
                "spec": ["podSelector": selector],
            ]
        }
        #expect(
            ResourceTable.table([policy([:])], info: .networkPolicy, now: now).columns == [
                "NAME", "POD-SELECTOR", "AGE",
            ])
        #expect(ResourceTable.row(policy([:]), info: .networkPolicy, now: now) == ["db", "<none>", "5m"])
        let mixed: JSONValue = [
            "matchLabels": ["role": "db"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": ["b", "a"]], ["key": "legacy", "operator": "DoesNotExist"],
                ["key": "env", "operator": "NotIn", "values": ["dev"]], ["key": "app", "operator": "Exists"],
            ],
        ]
        #expect(
            ResourceTable.row(policy(mixed), info: .networkPolicy, now: now)[1]
                == "app,env notin (dev),!legacy,role=db,tier in (a,b)")
    }

    @Test func shortNamesResolve() throws {
        for (name, kind) in [
            ("svc", "Service"), ("ep", "Endpoints"), ("ing", "Ingress"), ("netpol", "NetworkPolicy"),
            ("endpointslices", "EndpointSlice"), ("ingressclass", "IngressClass"), ("ingressclasses", "IngressClass"),
        ] {
            #expect(try ResourceTypes.kind(name).kind == kind)
        }
    }

    @Test func getAllPrintsEachKindUnderItsPrefix() throws {
        let pod: JSONValue = [
            "kind": "Pod", "metadata": ["name": "web-0", "creationTimestamp": created],
            "spec": ["containers": [["name": "a"]]], "status": ["phase": "Running"],
        ]
        let svc = service([
            "type": "ClusterIP", "clusterIPs": ["10.96.0.5"], "ports": [["port": 80, "protocol": "TCP"]],
        ])
        let text = try GetRenderer.render(
            [.init(info: .pod, objects: [pod], named: false), .init(info: .service, objects: [svc], named: false)],
            output: nil, options: TableOptions(), now: now)
        #expect(
            text == """
                NAME        READY   STATUS    RESTARTS   AGE
                pod/web-0   0/1     Running   0          5m

                NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
                service/web   ClusterIP   10.96.0.5    <none>        80/TCP    5m

                """)
    }
}
