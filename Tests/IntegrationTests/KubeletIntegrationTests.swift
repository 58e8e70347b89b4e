import Bus
import Client
import Foundation
import Schema
import Testing
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Real `kubus-kubelet` processes with the `process` runtime run real pods: lifecycle, restarts and back-off,
/// probes, volumes, env, networking, logs and exec over the bus, graceful deletion, and re-adoption.
@Suite(.timeLimit(.minutes(3)))
struct KubeletIntegrationTests {
    /// A cluster with a control plane and one kubelet per name in `nodes`, each Ready; cleans up everything after.
    static func withKubelets<T>(
        _ nodes: [String] = ["node-a"], args: [String] = [],
        _ body: (TestCluster, KubusClient) async throws -> T
    ) async throws -> T {
        try await withCluster { cluster in
            do {
                try await cluster.startControlPlane()
                let bus = try BusClient(endpoints: cluster.endpoints)
                defer { bus.close() }
                let client = KubusClient(bus: bus)
                for node in nodes {
                    // One after the other: each picks the next free pod CIDR once the previous Node holds one.
                    try cluster.startKubelet(node: node, args: ["--initial-backoff-seconds", "1"] + args)
                    try await waitFor("node \(node) Ready", cluster: cluster) {
                        let n = try? await client.get(Node.self, namespace: nil, name: node)
                        return n?.status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
                    }
                    try await cluster.waitForService(Wire.KubeletService.name(for: node))
                }
                return try await body(cluster, client)
            } catch {
                for node in nodes {
                    Issue.record("kubelet \(node) log:\n\(cluster.log("kubelet-\(node)").suffix(4000))")
                }
                throw error
            }
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// Polls `condition` until it holds; fails after `within`.
    static func waitFor(
        _ what: String, cluster: TestCluster? = nil, within: Duration = .seconds(30),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Timeout(description: "timed out waiting for \(what)")
    }

    static func pod(
        _ name: String, node: String, containers: [Container], restartPolicy: String = "Always",
        volumes: [Volume]? = nil, grace: Int64 = 2
    ) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.nodeName = node
        pod.spec.containers = containers
        pod.spec.restartPolicy = restartPolicy
        pod.spec.volumes = volumes
        pod.spec.terminationGracePeriodSeconds = grace
        return pod
    }

    static func sh(_ name: String, _ script: String) -> Container {
        Container(name: name, image: "busybox", command: ["sh", "-c", script])
    }

    static func get(_ client: KubusClient, _ name: String) async -> Pod? {
        try? await client.get(Pod.self, namespace: "default", name: name)
    }

    static func waitForPhase(_ client: KubusClient, _ name: String, _ phase: String, within: Duration = .seconds(30))
        async throws -> Pod
    {
        try await waitFor("pod \(name) \(phase)", within: within) { await get(client, name)?.status.phase == phase }
        return await get(client, name)!
    }

    static func kubelet<Request: Encodable, Reply: Decodable>(
        _ cluster: TestCluster, node: String, _ type: String, _ request: Request, as: Reply.Type
    ) async throws -> Reply {
        let bus = try BusClient(endpoints: cluster.endpoints)
        defer { bus.close() }
        let reply = try await bus.request(
            service: Wire.KubeletService.name(for: node), type: type,
            payload: Array(try JSONEncoder().encode(request)),
            timeout: .seconds(10))
        guard reply.isSuccess else {
            throw Timeout(
                description: "\(type) failed: \(reply.code) \(String(decoding: reply.payload, as: UTF8.self))")
        }
        return try JSONDecoder().decode(Reply.self, from: Data(reply.payload))
    }

    static func logs(_ cluster: TestCluster, node: String, pod: String, container: String? = nil) async throws -> String
    {
        try await kubelet(
            cluster, node: node, "logs", LogsRequest(namespace: "default", pod: pod, container: container),
            as: LogsReply.self
        ).text
    }

    /// Runs `command` in the pod's container through the kubelet's exec service; its output and exit code.
    static func exec(
        _ cluster: TestCluster, node: String = "node-a", pod: String, container: String? = nil, _ command: [String]
    ) async throws -> (stdout: String, stderr: String, exitCode: Int?) {
        let session = try await kubelet(
            cluster, node: node, "exec.start",
            ExecStartRequest(namespace: "default", pod: pod, container: container, command: command),
            as: ExecStartReply.self
        ).session
        var stdout = Data()
        var stderr = Data()
        var exitCode: Int?
        for _ in 0..<50 where exitCode == nil {
            let io = try await kubelet(
                cluster, node: node, "exec.io", ExecIORequest(session: session, waitMillis: 500), as: ExecIOReply.self)
            stdout += Data(base64Encoded: io.stdout) ?? Data()
            stderr += Data(base64Encoded: io.stderr) ?? Data()
            exitCode = io.exitCode
        }
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self), exitCode)
    }

    /// The status of the pod's Ready condition.
    static func ready(_ client: KubusClient, _ name: String) async -> String? {
        await get(client, name)?.status.conditions?.first { $0.type == "Ready" }?.status
    }

    static func events(_ client: KubusClient, pod: String) async -> [Event] {
        ((try? await client.list(Event.self, namespace: "default"))?.items ?? []).filter {
            $0.involvedObject.name == pod
        }
    }

    // MARK: Tests

    @Test func podThatExitsZeroSucceeds() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(
                Self.pod(
                    "done", node: "node-a", containers: [Self.sh("app", "echo hello; exit 0")], restartPolicy: "Never"))
            let pod = try await Self.waitForPhase(client, "done", "Succeeded")
            let status = try #require(pod.status.containerStatuses?.first)
            #expect(status.state?.terminated?.exitCode == 0)
            #expect(status.state?.terminated?.reason == "Completed")
            #expect(status.containerID?.hasPrefix("process://") == true)
            #expect(pod.status.podIP != nil)
            #expect(pod.status.hostIP != nil)
            #expect(try await Self.logs(cluster, node: "node-a", pod: "done") == "hello\n")
            // The kubelet writes a start's Normal events behind the start, not waiting for them.
            #expect(
                try await eventually {
                    Set(await Self.events(client, pod: "done").compactMap(\.reason))
                        .isSuperset(of: ["Pulled", "Created", "Started"])
                })
        }
    }

    @Test func crashingContainerBacksOffLongerEachTime() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(Self.pod("crash", node: "node-a", containers: [Self.sh("app", "exit 1")]))
            var messages: [String] = []
            try await Self.waitFor("two back-offs", within: .seconds(40)) {
                if let waiting = await Self.get(client, "crash")?.status.containerStatuses?.first?.state?.waiting,
                    waiting.reason == "CrashLoopBackOff", let message = waiting.message, messages.last != message
                {
                    messages.append(message)
                }
                return messages.count >= 2
            }
            // The delay grows (1 s, 2 s, 4 s ... with --initial-backoff-seconds 1); a poll may miss one step.
            let delays = messages.map { Int($0.dropFirst("back-off ".count).prefix { $0.isNumber }) ?? 0 }
            #expect(delays[0] >= 1 && delays[1] > delays[0])
            #expect(delays.allSatisfy { $0 > 0 && $0 & ($0 - 1) == 0 })
            #expect(messages.allSatisfy { $0.contains("s restarting failed container=app pod=crash_default(") })
            let pod = try #require(await Self.get(client, "crash"))
            #expect((pod.status.containerStatuses?.first?.restartCount ?? 0) >= 2)
            #expect(pod.status.containerStatuses?.first?.lastState?.terminated?.exitCode == 1)
            // Container GC keeps the current and the previous instance only.
            let folder = "\(cluster.kubeletStateDirectory("node-a"))/containers"
            try await Self.waitFor("old instances removed") {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder))?.count ?? 0) <= 2
            }
            let backOffs = await Self.events(client, pod: "crash").filter { $0.reason == "BackOff" }
            #expect(
                backOffs.first?.message?.hasPrefix("Back-off restarting failed container app in pod crash_default(")
                    == true)
        }
    }

    @Test func failingLivenessProbeRestartsTheContainer() async throws {
        try await Self.withKubelets { cluster, client in
            var c = Self.sh("app", "touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 600")
            c.livenessProbe = Probe(
                exec: ExecAction(command: ["test", "-e", "/tmp/alive"]), periodSeconds: 1, failureThreshold: 1)
            _ = try await client.create(Self.pod("live", node: "node-a", containers: [c]))
            try await Self.waitFor("a restart", within: .seconds(40)) {
                (await Self.get(client, "live")?.status.containerStatuses?.first?.restartCount ?? 0) >= 1
            }
            let events = await Self.events(client, pod: "live")
            #expect(
                events.contains { $0.reason == "Unhealthy" && $0.message?.hasPrefix("Liveness probe failed") == true })
            #expect(
                events.contains {
                    $0.reason == "Killing" && $0.message == "Container app failed liveness probe, will be restarted"
                })
        }
    }

    @Test func failingReadinessProbeClearsReady() async throws {
        try await Self.withKubelets { cluster, client in
            // Ready until the test asks it (through exec) to drop its readiness file.
            var c = Self.sh(
                "app", "touch /tmp/ready; while [ ! -e /tmp/unready ]; do sleep 0.2; done; rm /tmp/ready; sleep 600")
            c.readinessProbe = Probe(
                exec: ExecAction(command: ["test", "-e", "/tmp/ready"]), periodSeconds: 1, failureThreshold: 1)
            _ = try await client.create(Self.pod("ready", node: "node-a", containers: [c]))
            try await Self.waitFor("Ready=True") { await Self.ready(client, "ready") == "True" }
            _ = try await Self.exec(cluster, pod: "ready", ["touch", "/tmp/unready"])
            try await Self.waitFor("Ready=False") { await Self.ready(client, "ready") == "False" }
            let pod = try #require(await Self.get(client, "ready"))
            #expect(pod.status.containerStatuses?.first?.ready == false)
            #expect(pod.status.phase == "Running")
        }
    }

    @Test func containersOfOnePodTalkOverLocalhost() async throws {
        try await Self.withKubelets { cluster, client in
            let port = Int.random(in: 20_000...40_000)
            let server = Self.sh(
                "server",
                "mkdir -p /tmp/www && echo hello-from-server > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:\(port) -h /tmp/www"
            )
            let client1 = Self.sh(
                "client",
                "for i in $(seq 1 100); do wget -qO- http://127.0.0.1:\(port)/index.html && exit 0; sleep 0.1; done; exit 1"
            )
            _ = try await client.create(
                Self.pod("pair", node: "node-a", containers: [server, client1], restartPolicy: "OnFailure"))
            do {
                try await Self.waitFor("the client to finish") {
                    await Self.get(client, "pair")?.status.containerStatuses?.first { $0.name == "client" }?.state?
                        .terminated?.exitCode == 0
                }
            } catch {
                let server = try? await Self.kubelet(
                    cluster, node: "node-a", "logs",
                    LogsRequest(namespace: "default", pod: "pair", container: "server", previous: true),
                    as: LogsReply.self)
                Issue.record("server log: \(server?.text ?? "none")")
                throw error
            }
            #expect(
                try await Self.logs(cluster, node: "node-a", pod: "pair", container: "client") == "hello-from-server\n")
        }
    }

    @Test func podsOnTwoNodesTalkPodIPToPodIP() async throws {
        try await Self.withKubelets(["node-a", "node-b"]) { cluster, client in
            let port = Int.random(in: 20_000...40_000)
            var server = Self.sh(
                "server",
                "mkdir -p /tmp/www && echo hello-across-nodes > /tmp/www/index.html && exec httpd -f -p $POD_IP:\(port) -h /tmp/www"
            )
            // The kubelet probes the pod IP from the host: httpGet for readiness, tcpSocket for liveness.
            server.readinessProbe = Probe(
                httpGet: HTTPGetAction(path: "/index.html", port: .int(port)), periodSeconds: 1)
            server.livenessProbe = Probe(tcpSocket: TCPSocketAction(port: .int(port)), periodSeconds: 1)
            _ = try await client.create(Self.pod("server", node: "node-a", containers: [server]))
            try await Self.waitFor("the server Ready") {
                await Self.get(client, "server")?.status.conditions?.contains {
                    $0.type == "Ready" && $0.status == "True"
                } == true
            }
            let running = try #require(await Self.get(client, "server"))
            #expect(running.status.containerStatuses?.first?.restartCount == 0)
            let ip = try #require(running.status.podIP)
            let fetch = Self.sh(
                "fetch",
                "for i in $(seq 1 100); do wget -qO- http://\(ip):\(port)/index.html && exit 0; sleep 0.1; done; exit 1"
            )
            _ = try await client.create(Self.pod("fetch", node: "node-b", containers: [fetch], restartPolicy: "Never"))
            let done = try await Self.waitForPhase(client, "fetch", "Succeeded")
            #expect(done.status.podIP != ip)
            #expect(try await Self.logs(cluster, node: "node-b", pod: "fetch") == "hello-across-nodes\n")
        }
    }

    @Test func configMapVolumeAndEnvFromConfigMapSecretAndFieldRef() async throws {
        try await Self.withKubelets { cluster, client in
            var cm = ConfigMap()
            cm.metadata.name = "settings"
            cm.metadata.namespace = "default"
            cm.data = ["greeting": "hello", "mode": "fast"]
            _ = try await client.create(cm)
            var secret = Secret()
            secret.metadata.name = "creds"
            secret.metadata.namespace = "default"
            secret.data = ["password": Data("hunter2".utf8).base64EncodedString()]
            _ = try await client.create(secret)
            var c = Self.sh(
                "app",
                "cat /etc/settings/greeting; echo; cat /etc/settings/mode; echo; echo \"G=$GREETING P=$PASSWORD N=$MY_NAME NS=$MY_NS M=$CFG_mode\""
            )
            c.env = [
                EnvVar(
                    name: "GREETING",
                    valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "settings", key: "greeting"))),
                EnvVar(
                    name: "PASSWORD",
                    valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(name: "creds", key: "password"))),
                EnvVar(
                    name: "MY_NAME", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
                EnvVar(
                    name: "MY_NS",
                    valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.namespace"))),
            ]
            c.envFrom = [EnvFromSource(prefix: "CFG_", configMapRef: ConfigMapEnvSource(name: "settings"))]
            c.volumeMounts = [VolumeMount(name: "settings", mountPath: "/etc/settings")]
            let volume = Volume(name: "settings", configMap: ConfigMapVolumeSource(name: "settings"))
            _ = try await client.create(
                Self.pod("config", node: "node-a", containers: [c], restartPolicy: "Never", volumes: [volume]))
            _ = try await Self.waitForPhase(client, "config", "Succeeded")
            #expect(
                try await Self.logs(cluster, node: "node-a", pod: "config")
                    == "hello\nfast\nG=hello P=hunter2 N=config NS=default M=fast\n")
        }
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/umoci")))
    func podRunsUnderTheRuncRuntime() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            // The busybox OCI layout, in the kubelet's images folder.
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            let build = Process()
            build.executableURL = URL(fileURLWithPath: "\(root)/scripts/build-busybox-image.sh")
            build.arguments = ["\(cluster.kubeletStateDirectory("node-r"))/images"]
            build.standardOutput = FileHandle.nullDevice
            try build.run()
            build.waitUntilExit()
            #expect(build.terminationStatus == 0)
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)
            try cluster.startKubelet(node: "node-r", args: ["--runtime", "runc"])
            try await Self.waitFor("node-r Ready") {
                (try? await client.get(Node.self, namespace: nil, name: "node-r"))?.status.nodeInfo?
                    .containerRuntimeVersion == "runc://1"
            }
            try await cluster.waitForService(Wire.KubeletService.name(for: "node-r"))
            _ = try await client.create(
                Self.pod(
                    "oci", node: "node-r", containers: [Self.sh("app", "echo hi from $(hostname)")],
                    restartPolicy: "Never"))
            let pod = try await Self.waitForPhase(client, "oci", "Succeeded")
            #expect(pod.status.containerStatuses?.first?.containerID?.hasPrefix("runc://") == true)
            #expect(pod.status.containerStatuses?.first?.imageID.hasPrefix("busybox@sha256:") == true)
            #expect(try await Self.logs(cluster, node: "node-r", pod: "oci") == "hi from oci\n")
        }
    }

    @Test func unknownImageWithoutCommandIsImagePullBackOff() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(
                Self.pod("noimage", node: "node-a", containers: [Container(name: "app", image: "no-such-image:1.0")]))
            try await Self.waitFor("ImagePullBackOff") {
                await Self.get(client, "noimage")?.status.containerStatuses?.first?.state?.waiting?.reason
                    == "ImagePullBackOff"
            }
            let events = await Self.events(client, pod: "noimage")
            #expect(
                events.contains {
                    $0.reason == "Failed"
                        && $0.message?.hasPrefix(
                            "Failed to pull image \"no-such-image:1.0\": image \"no-such-image:1.0\" is not in the image catalog"
                        ) == true
                })
            #expect(
                events.contains {
                    $0.reason == "BackOff" && $0.message == "Back-off pulling image \"no-such-image:1.0\""
                })
        }
    }

    @Test func podsBeyondMaxPodsFailAdmission() async throws {
        try await Self.withKubelets(args: ["--max-pods", "1"]) { cluster, client in
            _ = try await client.create(Self.pod("first", node: "node-a", containers: [Self.sh("app", "sleep 600")]))
            _ = try await Self.waitForPhase(client, "first", "Running")
            _ = try await client.create(Self.pod("second", node: "node-a", containers: [Self.sh("app", "sleep 600")]))
            let second = try await Self.waitForPhase(client, "second", "Failed")
            #expect(second.status.reason == "OutOfpods")
            #expect(
                second.status.message == "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1")
        }
    }

    @Test func failingPostStartHookKillsTheContainer() async throws {
        try await Self.withKubelets { cluster, client in
            var c = Self.sh("app", "sleep 600")
            c.lifecycle = Lifecycle(
                postStart: LifecycleHandler(exec: ExecAction(command: ["sh", "-c", "echo nope; exit 1"])))
            _ = try await client.create(Self.pod("hooked", node: "node-a", containers: [c]))
            try await Self.waitFor("a restart") {
                (await Self.get(client, "hooked")?.status.containerStatuses?.first?.restartCount ?? 0) >= 1
            }
            let events = await Self.events(client, pod: "hooked")
            #expect(events.contains { $0.reason == "FailedPostStartHook" && $0.message?.hasSuffix(": nope") == true })
        }
    }

    @Test func missingConfigMapIsCreateContainerConfigError() async throws {
        try await Self.withKubelets { cluster, client in
            var c = Self.sh("app", "sleep 600")
            c.env = [
                EnvVar(
                    name: "X", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "absent", key: "k")))
            ]
            _ = try await client.create(Self.pod("noconfig", node: "node-a", containers: [c]))
            try await Self.waitFor("CreateContainerConfigError") {
                let waiting = await Self.get(client, "noconfig")?.status.containerStatuses?.first?.state?.waiting
                return waiting?.reason == "CreateContainerConfigError"
                    && waiting?.message == "configmap \"absent\" not found"
            }
        }
    }

    /// Issue 13 item 8: the process runtime runs a container as its securityContext asks — the user, no
    /// capabilities after `drop: [ALL]`, `no_new_privs`, a read-only root, the RuntimeDefault seccomp filter — and
    /// so does exec into it; `runAsNonRoot` refuses a container that would run as root.
    @Test func theSecurityContextIsWhatTheContainerGets() async throws {
        try await Self.withKubelets { cluster, client in
            var hardened = Self.sh(
                "app",
                "grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; "
                    + "touch /root-write 2>/dev/null && echo root-writable || echo root-read-only; "
                    + "touch /tmp/x && echo tmp-writable; sleep 600")
            hardened.securityContext = SecurityContext(
                capabilities: Capabilities(drop: ["ALL"]), runAsUser: 1000, runAsGroup: 3000, runAsNonRoot: true,
                readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
                seccompProfile: SeccompProfile(type: "RuntimeDefault"))
            var plain = Self.sh("plain", "grep -E '^(Uid|CapEff|NoNewPrivs|Seccomp):' /proc/self/status; sleep 600")
            plain.securityContext = SecurityContext(capabilities: Capabilities(add: ["NET_ADMIN"], drop: ["MKNOD"]))
            _ = try await client.create(Self.pod("hardened", node: "node-a", containers: [hardened, plain]))
            _ = try await Self.waitForPhase(client, "hardened", "Running")
            var log = ""
            try await Self.waitFor("the hardened container's report") {
                log = (try? await Self.logs(cluster, node: "node-a", pod: "hardened", container: "app")) ?? ""
                return log.contains("tmp-writable")
            }
            #expect(log.contains("Uid:\t1000\t1000\t1000\t1000"), "\(log)")
            #expect(log.contains("CapEff:\t0000000000000000"), "\(log)")
            #expect(log.contains("CapBnd:\t0000000000000000"), "\(log)")
            #expect(log.contains("NoNewPrivs:\t1"), "\(log)")
            #expect(log.contains("Seccomp:\t2"), "\(log)")
            #expect(log.contains("root-read-only"), "\(log)")

            // The default set, with NET_ADMIN (bit 12) added and MKNOD (bit 27) dropped; root, no filter.
            var plainLog = ""
            try await Self.waitFor("the plain container's report") {
                plainLog = (try? await Self.logs(cluster, node: "node-a", pod: "hardened", container: "plain")) ?? ""
                return plainLog.contains("Seccomp:")
            }
            #expect(plainLog.contains("CapEff:\t00000000a00435fb"), "\(plainLog)")
            #expect(plainLog.contains("Seccomp:\t0"), "\(plainLog)")

            // exec runs under the same rules: the user, the filter (unshare is refused).
            let (stdout, _, exitCode) = try await Self.exec(
                cluster, pod: "hardened", container: "app",
                ["sh", "-c", "id -u; grep Seccomp: /proc/self/status; unshare -n true"])
            #expect(stdout.hasPrefix("1000\nSeccomp:\t2\n"), "\(stdout)")
            #expect(exitCode != 0)

            // runAsNonRoot with no user: the image would run as root; the kubelet refuses to start it.
            var root = Self.sh("root", "sleep 600")
            root.securityContext = SecurityContext(runAsNonRoot: true)
            _ = try await client.create(Self.pod("rooted", node: "node-a", containers: [root]))
            try await Self.waitFor("CreateContainerConfigError for runAsNonRoot") {
                let waiting = await Self.get(client, "rooted")?.status.containerStatuses?.first?.state?.waiting
                return waiting?.reason == "CreateContainerConfigError"
                    && waiting?.message?.hasPrefix("container has runAsNonRoot and image will run as root") == true
            }
        }
    }

    @Test func execAndLogsReturnWhatTheContainerDid() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(
                Self.pod("shell", node: "node-a", containers: [Self.sh("app", "echo started; sleep 600")]))
            _ = try await Self.waitForPhase(client, "shell", "Running")
            try await Self.waitFor("the first log line") {
                (try? await Self.logs(cluster, node: "node-a", pod: "shell")) == "started\n"
            }
            let (stdout, stderr, exitCode) = try await Self.exec(
                cluster, pod: "shell", ["sh", "-c", "echo out; echo err >&2; exit 3"])
            #expect(stdout == "out\n")
            #expect(stderr == "err\n")
            #expect(exitCode == 3)

            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let missing = try await bus.request(
                service: Wire.KubeletService.name(for: "node-a"), type: "logs",
                payload: Array(try JSONEncoder().encode(LogsRequest(namespace: "default", pod: "nope"))))
            #expect(missing.code == 404)
            #expect(String(decoding: missing.payload, as: UTF8.self).contains("pods \\\"nope\\\" not found"))
        }
    }

    /// Issue 13 item 4: a kubelet authorizes logs and exec for the caller the bus names, by RBAC at the api — a
    /// user who may call the kubelet on the bus but holds no `pods/exec` is refused; one bound to `edit` is not.
    @Test func theKubeletAuthorizesExecAndLogsByRBAC() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(
                Self.pod("guarded", node: "node-a", containers: [Self.sh("app", "echo secret; sleep 600")]))
            _ = try await Self.waitForPhase(client, "guarded", "Running")
            func key(_ user: String) throws -> [String: String] {
                let issued = try runProgram(
                    "\(cluster.bin)/kubus-bus",
                    [
                        "keys", "issue", user, "--identity", user, "--calls", "api,kubelet.*", "--keys",
                        cluster.keyring.directory,
                    ], withStandardError: false
                ).trimmingCharacters(in: .whitespacesAndNewlines)
                return ["KUBUS_BUS_KEY": issued]
            }
            let jane = try key("jane")
            let bob = try key("bob")
            // Jane reads pods (the official pod-reader example's rights); bob edits the namespace.
            let policy = FileManager.default.temporaryDirectory.appendingPathComponent("rbac-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: policy) }
            try """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {namespace: default, name: pod-reader}
            rules:
            - apiGroups: [""]
              resources: ["pods"]
              verbs: ["get", "watch", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: read-pods, namespace: default}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: bob-edit, namespace: default}
            subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
            roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}
            """.write(to: policy, atomically: true, encoding: .utf8)
            let bound = try cluster.ctl(["apply", "-f", policy.path])
            #expect(bound.status == 0, "\(bound)")
            try await Task.sleep(for: .milliseconds(1500))  // the broker reads the registry within a second

            let refused = try cluster.ctl(["exec", "guarded", "--", "cat", "/etc/shadow"], environment: jane)
            #expect(refused.status == 1, "\(refused)")
            #expect(
                refused.err.contains(
                    "pods \"guarded\" is forbidden: User \"jane\" cannot create resource \"pods/exec\" in API group "
                        + "\"\" in the namespace \"default\""), "\(refused)")
            let logs = try cluster.ctl(["logs", "guarded"], environment: jane)
            #expect(logs.status == 1 && logs.err.contains("cannot get resource \"pods/log\""), "\(logs)")

            let allowed = try cluster.ctl(["exec", "guarded", "--", "id", "-u"], environment: bob)
            #expect(allowed.status == 0 && allowed.out == "0\n", "\(allowed)")
            #expect(try cluster.ctl(["logs", "guarded"], environment: bob).out == "secret\n")
        }
    }

    @Test func kubusctlLogsAndExecTalkToTheKubelet() async throws {
        try await Self.withKubelets { cluster, client in
            _ = try await client.create(
                Self.pod("talk", node: "node-a", containers: [Self.sh("app", "echo one; echo two; sleep 600")]))
            _ = try await client.create(
                Self.pod(
                    "brief", node: "node-a", containers: [Self.sh("app", "echo a; sleep 1; echo b")],
                    restartPolicy: "Never"))
            _ = try await Self.waitForPhase(client, "talk", "Running")
            try await Self.waitFor("the log lines") {
                (try? await Self.logs(cluster, node: "node-a", pod: "talk")) == "one\ntwo\n"
            }
            let logs = try cluster.ctl(["logs", "talk"])
            #expect(logs.status == 0)
            #expect(logs.out == "one\ntwo\n")
            #expect(try cluster.ctl(["logs", "talk", "--tail", "1"]).out == "two\n")

            // -f follows until the container ends.
            let follow = try cluster.ctl(["logs", "brief", "-f"])
            #expect(follow.status == 0)
            #expect(follow.out == "a\nb\n")

            let exec = try cluster.ctl(["exec", "talk", "--", "sh", "-c", "echo hi; echo oops >&2; exit 4"])
            #expect(exec.status == 4)
            #expect(exec.out == "hi\n")
            #expect(exec.err.contains("oops"))

            let wrong = try cluster.ctl(["logs", "talk", "-c", "nope"])
            #expect(wrong.status != 0)
            #expect(wrong.err.contains("nope"))
        }
    }

    @Test func deletingAPodSendsSIGTERMAndFinishesTheDelete() async throws {
        try await Self.withKubelets { cluster, client in
            let out = "\(cluster.dir)/term-\(BusClock.randomID().prefix(6))"
            var c = Self.sh(
                "app", "trap 'echo got-term > /out/term; exit 0' TERM; echo ready; while true; do sleep 0.2; done")
            c.volumeMounts = [VolumeMount(name: "out", mountPath: "/out")]
            let volume = Volume(name: "out", hostPath: HostPathVolumeSource(path: out, type: "DirectoryOrCreate"))
            _ = try await client.create(
                Self.pod("victim", node: "node-a", containers: [c], volumes: [volume], grace: 10))
            _ = try await Self.waitForPhase(client, "victim", "Running")
            try await Self.waitFor("the trap to be set") {
                (try? await Self.logs(cluster, node: "node-a", pod: "victim")) == "ready\n"
            }
            try await client.delete(Pod.self, namespace: "default", name: "victim")
            try await Self.waitFor("the pod to be gone") { await Self.get(client, "victim") == nil }
            #expect((try? String(contentsOfFile: "\(out)/term", encoding: .utf8)) == "got-term\n")
        }
    }

    @Test func restartedKubeletKeepsItsPodRunning() async throws {
        try await Self.withKubelets { cluster, client in
            var c = Self.sh("app", "touch /tmp/ready; sleep 600")
            c.readinessProbe = Probe(
                exec: ExecAction(command: ["test", "-e", "/tmp/ready"]), periodSeconds: 1, failureThreshold: 1)
            _ = try await client.create(Self.pod("steady", node: "node-a", containers: [c]))
            try await Self.waitFor("Ready=True") { await Self.ready(client, "steady") == "True" }
            let before = try #require(await Self.get(client, "steady"))
            let id = try #require(
                before.status.containerStatuses?.first?.containerID?.replacingOccurrences(of: "process://", with: ""))
            let pidFile = "\(cluster.kubeletStateDirectory("node-a"))/containers/\(id)/pid"
            let pid = try #require(
                Int32(
                    (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
                        in: .whitespacesAndNewlines) ?? ""))

            cluster.stop("kubelet-node-a")
            #expect(kill(pid, 0) == 0)
            try cluster.startKubelet(node: "node-a", args: ["--initial-backoff-seconds", "1"])
            try await cluster.waitForService(Wire.KubeletService.name(for: "node-a"))
            // The new kubelet has registered again (a second Starting event); the adopted pod stayed Ready throughout.
            var readiness: Set<String> = []
            try await Self.waitFor("the second Starting event") {
                readiness.insert(await Self.ready(client, "steady") ?? "?")
                let events = (try? await client.list(Event.self, namespace: "default"))?.items ?? []
                return events.filter { $0.involvedObject.name == "node-a" && $0.reason == "Starting" }.count >= 2
            }
            for _ in 0..<10 {
                readiness.insert(await Self.ready(client, "steady") ?? "?")
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(readiness == ["True"])
            // It serves the adopted container (exec reaches it) and reports what happens to it: readiness drops.
            _ = try await Self.exec(cluster, pod: "steady", ["rm", "/tmp/ready"])
            try await Self.waitFor("Ready=False from the new kubelet") { await Self.ready(client, "steady") == "False" }
            let after = try #require(await Self.get(client, "steady"))
            #expect(after.status.phase == "Running")
            #expect(
                after.status.containerStatuses?.first?.containerID
                    == before.status.containerStatuses?.first?.containerID)
            #expect(after.status.containerStatuses?.first?.restartCount == 0)
            #expect(kill(pid, 0) == 0)
        }
    }
}
