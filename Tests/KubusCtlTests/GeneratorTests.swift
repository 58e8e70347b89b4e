import ArgumentParser
import Foundation
import Schema
import Testing

@testable import KubusCtl

/// Objects of `run` and `create secret tls|docker-registry`, as kubectl generates them.
@Suite struct GeneratorTests {
    func options(
        _ name: String? = "nginx", image: String? = "nginx", port: String? = nil, env: [String] = [],
        labels: String? = nil, restart: String = "Always", command: Bool = false, arguments: [String] = []
    ) throws -> RunCommand.Options {
        try RunCommand.options(
            name: name, image: image, port: port, env: env, labels: labels, annotations: [], restart: restart,
            imagePullPolicy: nil, command: command, privileged: false, arguments: arguments)
    }

    @Test func runGeneratesKubectlsPod() throws {
        let pod = RunCommand.pod("nginx", namespace: nil, options: try options())
        #expect(
            Manifest.yaml(from: pod) == """
                apiVersion: v1
                kind: Pod
                metadata:
                  creationTimestamp: null
                  labels:
                    run: nginx
                  name: nginx
                spec:
                  containers:
                  - image: nginx
                    name: nginx
                    resources: {}
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                status: {}

                """)
        let full = RunCommand.pod(
            "bb", namespace: "demo",
            options: try options(
                "bb", image: "busybox", port: "8080", env: ["A=1"], labels: "app=x", restart: "Never", command: true,
                arguments: ["sleep", "3600"]))
        #expect(full[path: ["metadata", "namespace"]] == "demo")
        #expect(full[path: ["metadata", "labels"]] == ["app": "x"])
        let container = full[path: ["spec", "containers", "0"]]
        #expect(container?["command"] == ["sleep", "3600"])
        #expect(container?["args"] == nil)
        #expect(container?["ports"] == [["containerPort": 8080]])
        #expect(container?["env"] == [["name": "A", "value": "1"]])
        #expect(full[path: ["spec", "restartPolicy"]] == "Never")
        let args = RunCommand.pod("a", namespace: nil, options: try options("a", arguments: ["-x"]))
        #expect(args[path: ["spec", "containers", "0", "args"]] == ["-x"])
    }

    @Test func runChecksItsFlagsAsKubectl() {
        #expect(throws: CtlError("NAME is required for run")) { try options(nil) }
        #expect(throws: CtlError("required flag(s) \"image\" not set")) { try options(image: nil) }
        #expect(throws: CtlError("--port must be a number")) { try options(port: "http") }
        #expect(throws: CtlError("invalid env: 1A=x")) { try options(env: ["1A=x"]) }
        #expect(throws: CtlError("unexpected label spec: app")) { try options(labels: "app") }
        #expect(throws: CtlError("invalid restart policy: Sometimes, valid values are: Always, OnFailure, Never")) {
            try options(restart: "Sometimes")
        }
        #expect(throws: CtlError("invalid image name \"Nginx\": invalid reference format")) {
            try options(image: "Nginx")
        }
        #expect(RunCommand.isImageReference("registry.k8s.io/busybox:1.36"))
        #expect(RunCommand.isImageReference("localhost:5000/app@sha256:abc"))
        #expect(RunCommand.isImageReference("nginx:Latest"))
    }

    @Test func tlsSecretIsKubectls() throws {
        let files: [String: String] = [
            "c.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            "k.pem": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        ]
        let read: (String) -> Data? = { files[$0].map { Data($0.utf8) } }
        let secret = try CreateBuilder.tlsSecret("tls", namespace: nil, cert: "c.pem", key: "k.pem", read: read)
        #expect(
            secret == [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "tls", "creationTimestamp": nil],
                "type": "kubernetes.io/tls",
                "data": [
                    "tls.crt": .string(Data(files["c.pem"]!.utf8).base64EncodedString()),
                    "tls.key": .string(Data(files["k.pem"]!.utf8).base64EncodedString()),
                ],
            ])
        #expect(throws: CtlError("Cannot read file nope.pem, open nope.pem: no such file or directory")) {
            try CreateBuilder.tlsSecret("tls", namespace: nil, cert: "nope.pem", key: "k.pem", read: read)
        }
        #expect(throws: CtlError("tls: failed to find any PEM data in key input")) {
            try CreateBuilder.tlsSecret(
                "tls", namespace: nil, cert: "c.pem", key: "x", read: { $0 == "x" ? Data("x".utf8) : read($0) })
        }
        #expect(throws: CtlError("tls: found a certificate rather than a key in the PEM for the private key")) {
            try CreateBuilder.tlsSecret("tls", namespace: nil, cert: "c.pem", key: "c.pem", read: read)
        }
    }

    @Test func dockerRegistrySecretIsKubectls() throws {
        let secret = try CreateBuilder.dockerRegistrySecret(
            "reg", namespace: "ns", server: "https://index.docker.io/v1/", username: "u", password: "p",
            email: "u@example.com")
        #expect(secret["type"] == "kubernetes.io/dockerconfigjson")
        #expect(secret[path: ["metadata", "namespace"]] == "ns")
        let encoded = try #require(secret[path: ["data", ".dockerconfigjson"]]?.stringValue)
        let config = String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
        #expect(
            config
                == #"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p","email":"u@example.com","auth":"dTpw"}}}"#
        )
        #expect(
            CreateBuilder.dockerConfigJSON(server: "r", username: "a<b", password: "c&d", email: "")
                == #"{"auths":{"r":{"username":"a\u003cb","password":"c\u0026d","auth":"YTxiOmMmZA=="}}}"#)
        #expect(
            throws: CtlError(
                "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required"
            )
        ) {
            try CreateBuilder.dockerRegistrySecret(
                "reg", namespace: nil, server: "s", username: "", password: "p", email: "")
        }
    }

    @Test func createSecretSubcommandsParse() throws {
        let tls = try #require(
            try KubusCtlCommand.parseAsRoot(
                ["create", "secret", "tls", "t", "--cert", "c", "--key", "k", "--dry-run=client", "-n", "x"])
                as? CreateSecretTLS)
        #expect(tls.cert == "c" && tls.key == "k" && tls.name == "t")
        let registry = try #require(
            try KubusCtlCommand.parseAsRoot(
                ["create", "secret", "docker-registry", "r", "--docker-username", "u", "--docker-password", "p"])
                as? CreateSecretDockerRegistry)
        #expect(registry.server == "https://index.docker.io/v1/")
        #expect(
            try KubusCtlCommand.parseAsRoot(["create", "secret", "generic", "g", "--from-literal", "a=b"])
                is CreateSecretGeneric)
    }

    /// `create deployment|job|cronjob ... -- COMMAND ARGS`, as kubectl makes them.
    @Test func createDeploymentJobAndCronJobTakeACommand() throws {
        let deploy = try #require(
            try KubusCtlCommand.parseAsRoot(["create", "deployment", "d", "--image=busybox", "--", "sleep", "3600"])
                as? CreateDeployment)
        #expect(deploy.command == ["sleep", "3600"])
        let object = try CreateBuilder.deployment(
            "d", namespace: nil, images: ["busybox"], replicas: 1, port: nil, command: deploy.command)
        #expect(object[path: ["spec", "template", "spec", "containers", "0", "command"]] == ["sleep", "3600"])
        #expect(throws: CtlError("cannot specify multiple --image options and command")) {
            try CreateBuilder.deployment(
                "d", namespace: nil, images: ["busybox", "nginx"], replicas: 1, port: nil, command: ["date"])
        }

        let job = try #require(
            try KubusCtlCommand.parseAsRoot(["create", "job", "j", "--image", "busybox", "--", "date"]) as? CreateJob)
        let jobObject = CreateBuilder.job("j", namespace: "ns", image: "busybox", command: job.command)
        #expect(jobObject["apiVersion"] == "batch/v1" && jobObject["kind"] == "Job")
        #expect(jobObject[path: ["metadata", "namespace"]] == "ns")
        #expect(
            jobObject[path: ["spec", "template", "spec"]]
                == ["containers": [["name": "j", "image": "busybox", "command": ["date"]]], "restartPolicy": "Never"])

        let cron = try #require(
            try KubusCtlCommand.parseAsRoot(
                ["create", "cj", "c", "--image=busybox", "--schedule=*/1 * * * *", "--", "date"]) as? CreateCronJob)
        let cronObject = try CreateBuilder.cronJob(
            "c", namespace: nil, image: "busybox", schedule: try #require(cron.schedule), restart: cron.restart,
            command: cron.command)
        #expect(cronObject[path: ["spec", "schedule"]] == "*/1 * * * *")
        #expect(cronObject[path: ["spec", "jobTemplate", "metadata", "name"]] == "c")
        #expect(
            cronObject[path: ["spec", "jobTemplate", "spec", "template", "spec"]]
                == [
                    "containers": [["name": "c", "image": "busybox", "command": ["date"]]],
                    "restartPolicy": "OnFailure",
                ])
        #expect(throws: CtlError("invalid restart policy: Always; supported values: OnFailure, Never")) {
            try CreateBuilder.cronJob(
                "c", namespace: nil, image: "busybox", schedule: "@daily", restart: "Always", command: [])
        }
    }

    /// `create job NAME --from=cronjob/CJ`: the CronJob's job template, owned by it, annotated as made by hand.
    @Test func createJobFromACronJob() throws {
        let cronJob: JSONValue = [
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": ["name": "nightly", "namespace": "ns", "uid": "u-1"],
            "spec": [
                "schedule": "@daily",
                "jobTemplate": [
                    "metadata": ["labels": ["team": "a"], "annotations": ["note": "x"]],
                    "spec": ["backoffLimit": 2, "template": ["spec": ["restartPolicy": "Never"]]],
                ],
            ],
        ]
        let job = try CreateBuilder.job("manual-1", namespace: nil, from: cronJob)
        #expect(job[path: ["metadata", "name"]] == "manual-1")
        #expect(
            job[path: ["metadata", "annotations"]] == ["cronjob.kubernetes.io/instantiate": "manual", "note": "x"])
        #expect(job[path: ["metadata", "labels"]] == ["team": "a"])
        #expect(
            job[path: ["metadata", "ownerReferences"]]
                == [["apiVersion": "batch/v1", "kind": "CronJob", "name": "nightly", "uid": "u-1", "controller": true]])
        #expect(job["spec"] == cronJob[path: ["spec", "jobTemplate", "spec"]])
        #expect(throws: CtlError.self) {
            try CreateBuilder.job("j", namespace: nil, from: ["kind": "CronJob", "metadata": ["name": "bare"]])
        }
    }

    /// `create service TYPE NAME`, as kubectl makes it, with its checks.
    @Test func createServiceOfEachType() throws {
        let parsed = try #require(
            try KubusCtlCommand.parseAsRoot([
                "create", "svc", "nodeport", "np", "--tcp=80:http,443", "--node-port=30080",
            ])
                as? CreateServiceOfType<NodePortType>)
        let service = try CreateBuilder.service(
            "np", namespace: nil, type: "NodePort", tcp: parsed.tcp, nodePort: parsed.nodePort)
        #expect(service[path: ["metadata", "labels"]] == ["app": "np"])
        #expect(service["spec"]?["selector"] == ["app": "np"])
        #expect(
            service[path: ["spec", "ports"]]
                == [
                    ["name": "80-http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 30080],
                    ["name": "443", "port": 443, "targetPort": 443, "protocol": "TCP", "nodePort": 30080],
                ])
        let headless = try CreateBuilder.service("h", namespace: "ns", type: "ClusterIP", tcp: [], clusterIP: "None")
        #expect(headless[path: ["spec", "clusterIP"]] == "None" && headless[path: ["spec", "ports"]] == nil)
        let external = try CreateBuilder.service(
            "e", namespace: nil, type: "ExternalName", tcp: [], externalName: "bar.example.com")
        #expect(external[path: ["spec", "externalName"]] == "bar.example.com")
        for (type, tcp, clusterIP, externalName, message) in [
            (
                "NodePort", [String](), "None", nil as String?,
                "ClusterIP=None can only be used with ClusterIP service type"
            ),
            ("ClusterIP", [], nil, nil, "at least one tcp port specifier must be provided"),
            ("ExternalName", [], nil, "Not_A_Name", "invalid service external name Not_A_Name"),
            ("ClusterIP", ["0"], nil, nil, "invalid port \"0\" in --tcp=0: a number from 1 to 65535"),
        ] as [(String, [String], String?, String?, String)] {
            #expect(throws: CtlError(message)) {
                try CreateBuilder.service(
                    "s", namespace: nil, type: type, tcp: tcp, clusterIP: clusterIP, externalName: externalName)
            }
        }
    }

    /// `create role|clusterrole`: one rule per API group, groups in order; kubectl's checks.
    @Test func createRoleGroupsItsResourcesByAPIGroup() throws {
        let role = try CreateBuilder.role(
            "r", namespace: "ns", clusterScoped: false, verbs: ["get", "list,watch"],
            resources: ["deployments.apps", "pods", "po/log", "pods"], resourceNames: ["a"])
        #expect(role["kind"] == "Role" && role[path: ["metadata", "namespace"]] == "ns")
        #expect(
            role["rules"]
                == [
                    [
                        "verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["pods", "pods/log"],
                        "resourceNames": ["a"],
                    ],
                    [
                        "verbs": ["get", "list", "watch"], "apiGroups": ["apps"], "resources": ["deployments"],
                        "resourceNames": ["a"],
                    ],
                ])
        let clusterRole = try CreateBuilder.role(
            "c", namespace: "ignored", clusterScoped: true, verbs: ["get"], resources: [], nonResourceURLs: ["/healthz"]
        )
        #expect(clusterRole["kind"] == "ClusterRole" && clusterRole[path: ["metadata", "namespace"]] == nil)
        #expect(clusterRole["rules"] == [["verbs": ["get"], "nonResourceURLs": ["/healthz"]]])
        #expect(throws: CtlError("at least one verb must be specified")) {
            try CreateBuilder.role("r", namespace: nil, clusterScoped: false, verbs: [], resources: ["pods"])
        }
        #expect(throws: CtlError("invalid verb: 'fly'")) {
            try CreateBuilder.role("r", namespace: nil, clusterScoped: false, verbs: ["fly"], resources: ["pods"])
        }
        #expect(throws: CtlError("the server doesn't have a resource type \"widgets\"")) {
            try CreateBuilder.role("r", namespace: nil, clusterScoped: false, verbs: ["get"], resources: ["widgets"])
        }
        #expect(throws: CtlError("nonResourceURL should start with /")) {
            try CreateBuilder.role(
                "c", namespace: nil, clusterScoped: true, verbs: ["get"], resources: [], nonResourceURLs: ["healthz"])
        }
    }

    /// `create rolebinding|clusterrolebinding`: the role reference and the subjects, as kubectl writes them.
    @Test func createBindingsReferenceOneRoleAndListTheirSubjects() throws {
        let binding = try CreateBuilder.roleBinding(
            "b", namespace: nil, clusterScoped: false, role: "reader", clusterRole: nil, users: ["jane"],
            groups: ["devs"], serviceAccounts: ["kube-system:robot"])
        #expect(
            binding[path: ["roleRef"]] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"])
        #expect(
            binding["subjects"]
                == [
                    ["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "jane"],
                    ["kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "devs"],
                    ["kind": "ServiceAccount", "namespace": "kube-system", "name": "robot"],
                ])
        let clusterBinding = try CreateBuilder.roleBinding(
            "c", namespace: nil, clusterScoped: true, role: nil, clusterRole: "view", users: [], groups: [],
            serviceAccounts: [])
        #expect(
            clusterBinding["kind"] == "ClusterRoleBinding"
                && clusterBinding[path: ["roleRef", "kind"]] == "ClusterRole")
        #expect(throws: CtlError("exactly one of clusterrole or role must be specified")) {
            try CreateBuilder.roleBinding(
                "b", namespace: nil, clusterScoped: false, role: "a", clusterRole: "b", users: [], groups: [],
                serviceAccounts: [])
        }
        #expect(throws: CtlError("required flag(s) \"clusterrole\" not set")) {
            try CreateBuilder.roleBinding(
                "c", namespace: nil, clusterScoped: true, role: nil, clusterRole: nil, users: [], groups: [],
                serviceAccounts: [])
        }
        #expect(throws: CtlError("serviceaccount must be <namespace>:<name>")) {
            try CreateBuilder.roleBinding(
                "b", namespace: nil, clusterScoped: false, role: "a", clusterRole: nil, users: [], groups: [],
                serviceAccounts: ["robot"])
        }
    }

    /// `top` in every form says plainly that there is no metrics API yet (kubectl's words without metrics-server).
    @Test func topSaysTheMetricsAPIIsNotThere() throws {
        for arguments in [
            ["top", "nodes"], ["top", "pod", "web-1", "-n", "demo"], ["top", "po", "-A", "--containers"],
        ] {
            #expect(try KubusCtlCommand.parseAsRoot(arguments) is TopResource, "\(arguments)")
        }
        #expect(TopResource.message.hasPrefix("Metrics API not available"))
    }

    /// `create ingress`: kubectl's rules (one per host, `*` for Prefix), TLS per secret, backends by number or name.
    @Test func createIngressReadsKubectlsRules() throws {
        let ingress = try CreateBuilder.ingress(
            "ing", namespace: nil,
            rules: [
                "foo.com/path*=svc:8080", "bar.com/admin=svc2:http,tls=s1", "foo.com/=svc:https,tls=s1", "/all=svc3:80",
            ],
            ingressClass: "default", defaultBackend: "fallback:80", annotations: ["a=b=c"])
        #expect(ingress[path: ["metadata", "annotations"]] == ["a": "b=c"])
        #expect(ingress[path: ["spec", "ingressClassName"]] == "default")
        #expect(
            ingress[path: ["spec", "defaultBackend"]] == ["service": ["name": "fallback", "port": ["number": 80]]])
        #expect(ingress[path: ["spec", "tls"]] == [["hosts": ["bar.com", "foo.com"], "secretName": "s1"]])
        #expect(
            ingress[path: ["spec", "rules"]]
                == [
                    [
                        "host": "foo.com",
                        "http": [
                            "paths": [
                                [
                                    "path": "/path", "pathType": "Prefix",
                                    "backend": ["service": ["name": "svc", "port": ["number": 8080]]],
                                ],
                                [
                                    "path": "/", "pathType": "Exact",
                                    "backend": ["service": ["name": "svc", "port": ["name": "https"]]],
                                ],
                            ]
                        ],
                    ],
                    [
                        "host": "bar.com",
                        "http": [
                            "paths": [
                                [
                                    "path": "/admin", "pathType": "Exact",
                                    "backend": ["service": ["name": "svc2", "port": ["name": "http"]]],
                                ]
                            ]
                        ],
                    ],
                    [
                        "http": [
                            "paths": [
                                [
                                    "path": "/all", "pathType": "Exact",
                                    "backend": ["service": ["name": "svc3", "port": ["number": 80]]],
                                ]
                            ]
                        ]
                    ],
                ])
        #expect(
            throws: CtlError("rule nope is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
        ) {
            try CreateBuilder.ingress(
                "x", namespace: nil, rules: ["nope"], ingressClass: nil, defaultBackend: nil, annotations: [])
        }
        #expect(throws: CtlError.self) {
            try CreateBuilder.ingress(
                "x", namespace: nil, rules: [], ingressClass: nil, defaultBackend: nil, annotations: [])
        }
        #expect(throws: CtlError("default-backend should be in format servicename:serviceport")) {
            try CreateBuilder.ingress(
                "x", namespace: nil, rules: [], ingressClass: nil, defaultBackend: "svc", annotations: [])
        }
    }

    /// `create quota`: hard limits as quantities, scopes as given; kubectl's errors.
    @Test func createQuotaTakesHardLimitsAndScopes() throws {
        let quota = try CreateBuilder.quota(
            "q", namespace: "ns", hard: "cpu=1,memory=1Gi,pods=10", scopes: "BestEffort")
        #expect(quota[path: ["spec", "hard"]] == ["cpu": "1", "memory": "1Gi", "pods": "10"])
        #expect(quota[path: ["spec", "scopes"]] == ["BestEffort"])
        #expect(throws: CtlError("Invalid argument syntax cpu, expected <resource>=<value>")) {
            try CreateBuilder.quota("q", namespace: nil, hard: "cpu", scopes: nil)
        }
        #expect(throws: CtlError.self) { try CreateBuilder.quota("q", namespace: nil, hard: "cpu=lots", scopes: nil) }
        #expect(throws: CtlError("invalid resource quota scope \"\"")) {
            try CreateBuilder.quota("q", namespace: nil, hard: nil, scopes: "BestEffort,")
        }
    }

    /// `autoscale`: kubectl's autoscaling/v2 object, minReplicas and the CPU target only when given.
    @Test func autoscaleMakesKubectlsAutoscaler() throws {
        let parsed = try #require(
            try KubusCtlCommand.parseAsRoot([
                "autoscale", "deployment", "web", "--max=5", "--min=2", "--cpu-percent=80",
            ])
                as? AutoscaleCommand)
        #expect(parsed.arguments == ["deployment", "web"] && parsed.max == 5 && parsed.min == 2)
        let hpa = AutoscaleCommand.autoscaler(
            name: "web", namespace: nil, target: .deployment, targetName: "web", min: 2, max: 5, cpuPercent: 80)
        #expect(
            hpa["spec"]
                == [
                    "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 5,
                    "minReplicas": 2,
                    "metrics": [
                        [
                            "type": "Resource",
                            "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]],
                        ]
                    ],
                ])
        let bare = AutoscaleCommand.autoscaler(
            name: "h", namespace: "ns", target: .deployment, targetName: "web", min: -1, max: 3, cpuPercent: -1)
        #expect(bare[path: ["spec", "minReplicas"]] == nil && bare[path: ["spec", "metrics"]] == nil)
        #expect(bare[path: ["metadata", "name"]] == "h" && bare[path: ["metadata", "namespace"]] == "ns")
    }

    /// Go's `--flag=true|false` on flags that take no value, as kubectl reads them; anything else is left alone.
    @Test func goBooleanFlagValuesAreRead() async throws {
        let message = "The option '--wait' does not take any value, but 'false' was specified."
        #expect(
            GoBooleanFlags.rewrite(["delete", "pod", "x", "--wait=false"], afterParseError: message)
                == ["delete", "pod", "x"])
        #expect(
            GoBooleanFlags.rewrite(
                ["delete", "pod", "x", "--wait=true"],
                afterParseError: "The option '--wait' does not take any value, but 'true' was specified.")
                == ["delete", "pod", "x", "--wait"])
        #expect(
            GoBooleanFlags.rewrite(
                ["get", "pods", "--show-labels=maybe"],
                afterParseError: "The option '--show-labels' does not take any value, but 'maybe' was specified.")
                == nil)
        #expect(GoBooleanFlags.rewrite(["run", "x", "--", "--wait=false"], afterParseError: message) == nil)
        #expect(GoBooleanFlags.rewrite(["get", "pods"], afterParseError: "Unknown option '--nope'") == nil)
        let delete = try #require(
            try await KubusCtlCommand.parseWithGoBooleans([
                "delete", "pod", "x", "--wait=true", "--ignore-not-found=false",
            ])
                as? DeleteCommand)
        #expect(delete.wait && !delete.ignoreNotFound)
    }

    /// `events --for TYPE/NAME --types ...` is `get events` with kubectl's field selector.
    @Test func eventsIsGetEventsWithTheFieldSelector() throws {
        #expect(
            try EventsCommand.getArguments(
                forObject: "po/web", types: ["Warning"], allNamespaces: true, watch: true, output: nil,
                noHeaders: false)
                == ["--field-selector=involvedObject.kind=Pod,involvedObject.name=web,type=Warning", "-A", "--watch"])
        #expect(
            try EventsCommand.getArguments(
                forObject: nil, types: ["normal,warning"], allNamespaces: false, watch: false, output: "yaml",
                noHeaders: true) == ["--output=yaml", "--no-headers"])
        #expect(throws: CtlError("valid --types are Normal, Warning; not info")) {
            try EventsCommand.getArguments(
                forObject: nil, types: ["Info"], allNamespaces: false, watch: false, output: nil, noHeaders: false)
        }
        #expect(throws: CtlError("--for must be in resource/name form")) {
            try EventsCommand.getArguments(
                forObject: "web", types: [], allNamespaces: false, watch: false, output: nil, noHeaders: false)
        }
    }

    /// `diff`: kubectl's file names, managedFields left out, a Secret's values masked but their changes shown.
    @Test func diffNamesFilesAsKubectlAndMasksSecrets() throws {
        #expect(
            DiffCommand.fileName([:], info: .deployment, namespace: "demo", name: "web")
                == "apps.v1.Deployment.demo.web")
        #expect(DiffCommand.fileName([:], info: .namespace, namespace: nil, name: "demo") == "v1.Namespace..demo")
        let live: JSONValue = [
            "kind": "Secret", "metadata": ["name": "s", "managedFields": [["manager": "x"]]],
            "data": ["user": "YQ==", "password": "b2xk"],
        ]
        let merged: JSONValue = [
            "kind": "Secret", "metadata": ["name": "s"], "data": ["user": "YQ==", "password": "bmV3"],
        ]
        let (before, after) = DiffCommand.prepared(live, merged)
        #expect(before?[path: ["metadata", "managedFields"]] == nil)
        #expect(before?["data"] == ["user": "***", "password": "*** (before)"])
        #expect(after?["data"] == ["user": "***", "password": "*** (after)"])
        let (none, created) = DiffCommand.prepared(nil, merged)
        #expect(none == nil && created?["data"] == ["user": "*** (after)", "password": "*** (after)"])
    }

    /// `-k` (kustomize) is refused plainly wherever files are read.
    @Test func kustomizeSaysItIsNotThereYet() {
        for arguments in [["apply", "-k", "dir"], ["delete", "--kustomize", "dir"], ["diff", "-k", "dir"]] {
            #expect(throws: (any Error).self, "\(arguments)") { try KubusCtlCommand.parseAsRoot(arguments) }
            do {
                _ = try KubusCtlCommand.parseAsRoot(arguments)
            } catch {
                #expect(KubusCtlCommand.message(for: error).contains("kustomize (-k) is not supported by kubusctl yet"))
            }
        }
    }
}
