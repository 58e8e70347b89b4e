public import Client
import Foundation
public import Logging
import Schema
import Synchronization
import Wire

/// The thin driver around `PodLifecycle`: for one pod key at a time it observes the runtime, asks the state
/// machine what to do, does it (network, volumes, images, containers, api writes, events) and writes the
/// status when it changed.
///
/// Keys come from a de-duplicating `WorkQueue`, so one pod is never synced twice at once. Active pods are
/// re-queued every `podResyncInterval` to notice container exits and expiring back-offs.
public final class PodWorkers: Sendable {
    struct Record: Sendable {
        var lifecycle: PodLifecycle
        var attachment: PodNetworkAttachment?
        var volumes: [String: VolumeManager.Prepared]?
        var volumesSyncedAt: Date?
        var lastStatus: PodStatus?
        var noticed: Set<String> = []
        var cleanedUp = false
    }

    let configuration: KubeletConfiguration
    let runtime: any ContainerRuntime
    let network: any PodNetwork
    let client: KubusClient
    let volumes: VolumeManager
    let probes: ProbeManager
    let events: EventRecorder
    let logger: Logger
    let queue: WorkQueue<String>
    let pods = CacheLookup<Pod>()
    /// Services, for the service environment variables of containers.
    let services = CacheLookup<Service>()
    private let records = Mutex<[String: Record]>([:])
    /// The runtime's last container list and when that listing started, shared by all workers (as the
    /// kubelet's PLEG relists once for every pod).
    private let snapshot = Mutex<(startedAt: ContinuousClock.Instant, containers: [RuntimeContainerStatus])?>(nil)
    private let snapshotMaxAge: Duration = .milliseconds(500)
    private let prober: Prober
    private let hostResolvConf: String

    public init(
        configuration: KubeletConfiguration, runtime: any ContainerRuntime, network: any PodNetwork,
        client: KubusClient, probes: ProbeManager, events: EventRecorder, queue: WorkQueue<String>, logger: Logger
    ) {
        self.configuration = configuration
        self.runtime = runtime
        self.network = network
        self.client = client
        self.volumes = VolumeManager(stateDirectory: configuration.stateDirectory, source: client, logger: logger)
        self.probes = probes
        self.events = events
        self.queue = queue
        self.logger = logger
        prober = Prober(runtime: runtime)
        hostResolvConf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
    }

    private func pod(forKey key: String) -> Pod? { pods.get(key: key) }

    static func key(_ pod: Pod) -> String { "\(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "")" }

    private func record(_ uid: String) -> Record {
        records.withLock { records in
            if let r = records[uid] { return r }
            let r = Record(
                lifecycle: PodLifecycle(
                    initialBackOff: configuration.initialBackOff, maximumBackOff: configuration.maximumBackOff))
            records[uid] = r
            return r
        }
    }

    private func update(_ uid: String, _ body: (inout Record) -> Void) {
        records.withLock { records in
            if var r = records[uid] {
                body(&r)
                records[uid] = r
            }
        }
    }

    private func metadata(_ pod: Pod) -> Logger.Metadata {
        ["kubus.pod": "\(Self.key(pod))", "kubus.node": "\(configuration.nodeName)"]
    }

    // MARK: Sync

    /// Brings the pod `namespace/name` one step closer to its spec; returns when to look again (nil: only on change).
    public func sync(key: String) async -> Duration? {
        guard let pod = pod(forKey: key), let uid = pod.metadata.uid else { return nil }
        let mine = await containers(of: uid)
        if pod.metadata.deletionTimestamp != nil {
            await terminate(pod, containers: mine)
            return nil
        }
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
            await finish(pod, containers: mine)
            return nil
        }
        if mine.isEmpty, pod.status.startTime == nil, let reason = admissionFailure(uid: uid) {
            // The kubelet's admission: a pod beyond --max-pods fails here instead of starting.
            var failed = pod
            failed.status.phase = "Failed"
            failed.status.reason = "OutOfpods"
            failed.status.message = reason
            await events.record(pod, type: "Warning", reason: "OutOfpods", message: reason, action: "Admit")
            _ = try? await client.updateStatus(failed)
            return nil
        }
        var r = record(uid)
        let now = Date()

        // The sandbox: address (and namespace), then volumes.
        if r.attachment == nil {
            if pod.spec.hostNetwork == true {
                r.attachment = PodNetworkAttachment(podUID: uid, ip: network.nodeIP, networkNamespacePath: nil)
            } else {
                do {
                    r.attachment = try await network.setUp(
                        podUID: uid, namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "")
                } catch {
                    logger.warning(
                        "pod sandbox failed", metadata: metadata(pod).merging(["kubus.error": "\(error)"]) { $1 })
                    await events.record(
                        pod, type: "Warning", reason: "FailedCreatePodSandBox",
                        message: "Failed to create pod sandbox: \(error)", action: "CreatePodSandbox")
                    await writeStatus(pod, containers: mine, sandboxReady: false)
                    return .seconds(2)
                }
            }
            let attachment = r.attachment
            update(uid) { $0.attachment = attachment }
        }
        let podIP = r.attachment?.ip
        if r.volumes == nil
            || now.timeIntervalSince(r.volumesSyncedAt ?? .distantPast) >= configuration.volumeRefreshInterval
        {
            do {
                let prepared = try await volumes.setUp(
                    pod: pod, podIP: podIP, hostIP: network.nodeIP, mounted: r.volumes != nil)
                r.volumes = prepared
                update(uid) {
                    $0.volumes = prepared
                    $0.volumesSyncedAt = now
                }
            } catch {
                if r.volumes == nil {
                    await events.record(
                        pod, type: "Warning", reason: "FailedMount", message: error.description, action: "MountVolume")
                    await writeStatus(pod, containers: mine, sandboxReady: false)
                    return .seconds(2)
                }
                logger.warning(
                    "volume refresh failed", metadata: metadata(pod).merging(["kubus.error": "\(error)"]) { $1 })
            }
        }

        // activeDeadlineSeconds: stop everything and fail the pod.
        if let deadline = pod.spec.activeDeadlineSeconds, let start = pod.status.startTime?.date,
            now.timeIntervalSince(start) >= TimeInterval(deadline)
        {
            await events.record(
                pod, type: "Normal", reason: "DeadlineExceeded",
                message: "Pod was active on the node longer than the specified deadline", action: "Killing")
            await stopAll(pod, containers: mine, grace: gracePeriod(pod))
            await writeStatus(pod, containers: await containers(of: uid, fresh: true), deadlineExceeded: true)
            return .milliseconds(100)
        }

        // The containers.
        let running = PodLifecycle.latest(mine).filter { $0.value.state == .running }
        probes.sync(pod: pod, running: running, podIP: podIP ?? "")
        let results = probes.results(podUID: uid)
        var lifecycle = r.lifecycle
        let actions = lifecycle.plan(pod: pod, containers: mine, unhealthy: results.unhealthy, now: now)
        update(uid) { $0.lifecycle = lifecycle }
        var changed = false
        for action in actions {
            switch action {
            case .start(let name, let isInit, let attempt):
                await start(pod, container: name, isInit: isInit, attempt: attempt, podIP: podIP)
                changed = true
            case .kill(let id, let name, let message):
                await events.record(
                    pod, type: "Normal", reason: "Killing", message: message, action: "Killing",
                    fieldPath: "spec.containers{\(name)}")
                try? await runtime.stopContainer(id, gracePeriod: .seconds(gracePeriod(pod)))
                changed = true
            case .backOff(let name, let message, let retryAt):
                if notice("backoff/\(name)/\(retryAt.timeIntervalSince1970)", uid: uid) {
                    await events.record(
                        pod, type: "Warning", reason: "BackOff", message: message, action: "Restarting",
                        fieldPath: "spec.containers{\(name)}")
                }
            case .pullBackOff(let name, let image, let retryAt):
                if notice("pullbackoff/\(name)/\(retryAt.timeIntervalSince1970)", uid: uid) {
                    await events.record(
                        pod, type: "Normal", reason: "BackOff", message: "Back-off pulling image \"\(image)\"",
                        action: "Pulling", fieldPath: "spec.containers{\(name)}")
                    await events.record(
                        pod, type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff", action: "Pulling",
                        fieldPath: "spec.containers{\(name)}")
                }
            }
        }
        await removeDeadInstances(mine)
        let current = changed ? await containers(of: uid, fresh: true) : mine
        if changed {
            let running = PodLifecycle.latest(current).filter { $0.value.state == .running }
            probes.sync(pod: pod, running: running, podIP: podIP ?? "")
        }
        await writeStatus(pod, containers: current)
        return configuration.podResyncInterval
    }

    /// Whether `event` is new for the pod (so a repeating condition records one Event per occurrence).
    private func notice(_ event: String, uid: String) -> Bool {
        records.withLock { records in
            guard var r = records[uid] else { return false }
            if r.noticed.contains(event) { return false }
            if r.noticed.count > 200 { r.noticed.removeAll() }
            r.noticed.insert(event)
            records[uid] = r
            return true
        }
    }

    /// The pod's containers from a listing at most `snapshotMaxAge` old, or a fresh one. A listing only replaces a
    /// newer-started one never, so a worker that acted and relisted never sees the state from before its action.
    private func containers(of uid: String, fresh: Bool = false) async -> [RuntimeContainerStatus] {
        if !fresh, let s = snapshot.withLock({ $0 }), ContinuousClock.now - s.startedAt < snapshotMaxAge {
            return s.containers.filter { $0.podUID == uid }
        }
        let started = ContinuousClock.now
        let all = await runtime.listContainers()
        snapshot.withLock { s in
            if s == nil || s!.startedAt < started { s = (started, all) }
        }
        return all.filter { $0.podUID == uid }
    }

    /// Removes exited instances older than the previous one of each container, as the kubelet's container GC keeps
    /// one dead container per name (the previous instance serves `logs --previous` and `lastState`).
    private func removeDeadInstances(_ containers: [RuntimeContainerStatus]) async {
        for (_, instances) in Dictionary(grouping: containers, by: \.name) {
            for old in instances.sorted(by: { $0.attempt < $1.attempt }).dropLast(2) where old.state == .exited {
                try? await runtime.removeContainer(old.id)
            }
        }
    }

    private func gracePeriod(_ pod: Pod) -> Int64 {
        max(0, pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
    }

    // MARK: Starting a container

    private func start(_ pod: Pod, container name: String, isInit: Bool, attempt: Int, podIP: String?) async {
        guard let uid = pod.metadata.uid,
            let c = (isInit ? pod.spec.initContainers ?? [] : pod.spec.containers).first(where: { $0.name == name })
        else { return }
        let field = isInit ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}"
        let image = c.image ?? ""
        func fail(_ reason: String, _ message: String) async {
            update(uid) { $0.lifecycle.failed(container: name, reason: reason, message: message) }
            await events.record(
                pod, type: "Warning", reason: "Failed", message: "Error: \(message)", action: "Starting",
                fieldPath: field)
        }

        // The image.
        let resolved: ResolvedImage
        do {
            resolved = try await runtime.pullImage(image)
            update(uid) { $0.lifecycle.pulled(container: name) }
            // The Normal events of a start are written behind it, not waited for (as the kubelet's recorder does).
            events.emit(
                pod, type: "Normal", reason: "Pulled",
                message: "Container image \"\(image)\" already present on machine",
                action: "Pulling", fieldPath: field)
        } catch let error as ImagePullError {
            if runtime.name == "process", let command = c.command, !command.isEmpty {
                // Only images without a command resolve through the catalog: this one runs its command on the host.
                resolved = ResolvedImage(image: image, imageID: "host://\(image)")
            } else {
                update(uid) { $0.lifecycle.pullFailed(container: name, message: error.message, now: Date()) }
                await events.record(
                    pod, type: "Warning", reason: "Failed",
                    message: "Failed to pull image \"\(image)\": \(error.message)",
                    action: "Pulling", fieldPath: field)
                await events.record(
                    pod, type: "Warning", reason: "Failed", message: "Error: ErrImagePull", action: "Pulling",
                    fieldPath: field)
                return
            }
        } catch {
            update(uid) { $0.lifecycle.pullFailed(container: name, message: "\(error)", now: Date()) }
            await events.record(
                pod, type: "Warning", reason: "Failed", message: "Failed to pull image \"\(image)\": \(error)",
                action: "Pulling", fieldPath: field)
            return
        }

        // Environment, argv, mounts.
        let config: ContainerConfig
        do {
            config = try await containerConfig(pod, c, attempt: attempt, image: resolved, podIP: podIP)
        } catch let error as ContainerEnvironment.ConfigError {
            await fail("CreateContainerConfigError", error.message)
            return
        } catch let error as VolumeError {
            await fail("CreateContainerConfigError", error.message)
            return
        } catch {
            await fail("CreateContainerConfigError", "\(error)")
            return
        }

        // The container.
        let id: String
        do {
            id = try await runtime.startContainer(config, image: resolved)
        } catch {
            await fail("RunContainerError", "\(error)")
            return
        }
        update(uid) { $0.lifecycle.started(container: name) }
        events.emit(
            pod, type: "Normal", reason: "Created", message: "Created container \(name)", action: "Created",
            fieldPath: field)
        events.emit(
            pod, type: "Normal", reason: "Started", message: "Started container \(name)", action: "Started",
            fieldPath: field)
        if let hook = c.lifecycle?.postStart {
            await runPostStart(hook, pod: pod, container: c, id: id, podIP: podIP ?? "", field: field)
        }
    }

    /// Runs a postStart hook; a failing one kills the container, which then restarts per policy.
    private func runPostStart(
        _ hook: LifecycleHandler, pod: Pod, container c: Container, id: String, podIP: String, field: String
    ) async {
        if let sleep = hook.sleep {
            try? await Task.sleep(for: .seconds(TimeInterval(sleep.seconds)))
            return
        }
        let outcome = await prober.run(
            exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, container: c, containerID: id,
            podIP: podIP, timeout: 30)
        guard case .failure(let message) = outcome else { return }
        let podRef = "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))"
        await events.record(
            pod, type: "Warning", reason: "FailedPostStartHook",
            message: "PostStartHook failed for Container \"\(c.name)\" in Pod \"\(podRef)\": \(message)",
            action: "Starting", fieldPath: field)
        await events.record(
            pod, type: "Normal", reason: "Killing", message: "FailedPostStartHook", action: "Killing", fieldPath: field)
        try? await runtime.stopContainer(id, gracePeriod: .seconds(gracePeriod(pod)))
    }

    /// Why the pod cannot be admitted (more than `maxPods` running here), or nil.
    private func admissionFailure(uid: String) -> String? {
        let used = records.withLock { records in
            records.filter { $0.key != uid && $0.value.attachment != nil && !$0.value.cleanedUp }.count
        }
        let capacity = configuration.maxPods
        guard used + 1 > capacity else { return nil }
        return "Node didn't have enough resource: pods, requested: 1, used: \(used), capacity: \(capacity)"
    }

    private func containerConfig(
        _ pod: Pod, _ c: Container, attempt: Int, image: ResolvedImage, podIP: String?
    ) async throws -> ContainerConfig {
        let namespace = pod.metadata.namespace ?? "default"
        let uid = pod.metadata.uid ?? ""
        let refs = ContainerEnvironment.references(of: c)
        var sources = ContainerEnvironment.Sources(podIP: podIP, hostIP: network.nodeIP)
        // Services of the pod's namespace, and `kubernetes` of default (its variables every pod gets).
        sources.services = services.list(namespace: namespace)
        if namespace != "default", let kubernetes = services.get(namespace: "default", name: "kubernetes") {
            sources.services.append(kubernetes)
        }
        for name in refs.configMaps {
            if let m = try await client.configMap(namespace: namespace, name: name) { sources.configMaps[name] = m }
        }
        for name in refs.secrets {
            if let s = try await client.secret(namespace: namespace, name: name) { sources.secrets[name] = s }
        }
        let containerEnv = try ContainerEnvironment.resolve(container: c, pod: pod, sources: sources)
        var env = image.env
        for pair in containerEnv {
            env.removeAll { $0.name == pair.name }
            env.append(pair)
        }
        let argv = ContainerEnvironment.argv(container: c, image: image, env: containerEnv)
        guard !argv.isEmpty else {
            throw ContainerEnvironment.ConfigError(
                "container \(c.name) has no command: set `command` in the pod, or add the image \"\(image.image)\" "
                    + "with an entrypoint to the image catalog")
        }
        let prepared = records.withLock { $0[uid]?.volumes } ?? [:]
        var mounts = try VolumeManager.mounts(for: c, volumes: prepared, env: containerEnv)
        // A container with its ServiceAccount token also gets the way to the api: the bus's request socket for
        // pods, its shared anonymous key, and the variables that name them (as Kubernetes gives every pod
        // KUBERNETES_SERVICE_HOST).
        if let podBus = configuration.podBusDirectory,
            mounts.contains(where: { $0.containerPath == ServiceAccount.tokenMountPath })
        {
            mounts.append(
                MountSpec(hostPath: podBus, containerPath: KubeletConfiguration.podBusMountPath, readOnly: true))
            var variables = [("KUBUS_BUS", "ipc://\(KubeletConfiguration.podBusMountPath)/bus")]
            // No key beside the socket: the bus runs --insecure, and a client connects without one.
            if FileManager.default.fileExists(atPath: podBus + "/client.key") {
                variables.append(("KUBUS_BUS_KEY", "\(KubeletConfiguration.podBusMountPath)/client.key"))
            }
            for (name, value) in variables where !env.contains(where: { $0.name == name }) {
                env.append(EnvPair(name: name, value: value))
            }
        }
        let logPath = configuration.logPath(
            namespace: namespace, name: pod.metadata.name ?? "", uid: uid, container: c.name, attempt: attempt)
        let logFolder = (logPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        // Keep this attempt's log and the previous one (`logs --previous`).
        for file in (try? FileManager.default.contentsOfDirectory(atPath: logFolder)) ?? [] {
            if let n = Int(file.replacingOccurrences(of: ".log", with: "")), n < attempt - 1 {
                try? FileManager.default.removeItem(atPath: "\(logFolder)/\(file)")
            }
        }
        let limits = c.resources?.limits ?? [:]
        let requests = c.resources?.requests ?? [:]
        let netns = records.withLock { $0[uid]?.attachment?.networkNamespacePath }
        let resolv: String
        if network.mode == .loopback
            || (pod.spec.hostNetwork == true && pod.spec.dnsPolicy != "ClusterFirstWithHostNet")
        {
            // Pods share the host's network here: the host's resolver is the one they can reach.
            resolv = hostResolvConf
        } else {
            resolv = PodFiles.resolvConf(
                pod: pod, clusterDNS: configuration.clusterDNS, clusterDomain: configuration.clusterDomain,
                hostResolvConf: hostResolvConf)
        }
        let security = c.securityContext
        let podSecurity = pod.spec.securityContext
        let explicitUser = security?.runAsUser ?? podSecurity?.runAsUser
        try ContainerSecurity.checkNonRoot(c, pod: pod, explicitUser: explicitUser, imageUser: image.user)
        let resolvedSecurity = try ContainerSecurity.resolve(c, pod: pod.spec)
        return ContainerConfig(
            podUID: uid, podNamespace: namespace, podName: pod.metadata.name ?? "", name: c.name, attempt: attempt,
            argv: argv, env: env, workingDir: c.workingDir ?? image.workingDir, mounts: mounts,
            hostname: ContainerEnvironment.hostname(of: pod), networkNamespacePath: netns,
            hostsFile: PodFiles.hosts(pod: pod, podIP: podIP, clusterDomain: configuration.clusterDomain),
            resolvConf: resolv, logPath: logPath, cpuLimitMillis: limits["cpu"]?.milliValue,
            memoryLimitBytes: limits["memory"]?.value, cpuRequestMillis: requests["cpu"]?.milliValue,
            stdin: c.stdin == true, tty: c.tty == true,
            runAsUser: explicitUser ?? image.user,
            runAsGroup: security?.runAsGroup ?? podSecurity?.runAsGroup ?? image.group, image: c.image ?? "",
            security: resolvedSecurity)
    }

    // MARK: Status

    private func writeStatus(
        _ pod: Pod, containers: [RuntimeContainerStatus], sandboxReady: Bool = true, deadlineExceeded: Bool = false
    ) async {
        guard let uid = pod.metadata.uid else { return }
        let r = records.withLock { $0[uid] }
        let results = probes.results(podUID: uid)
        func build(_ base: Pod) -> PodStatus {
            PodStatusBuilder.build(
                PodStatusBuilder.Input(
                    pod: base, containers: containers, waiting: r?.lifecycle.waiting ?? [:],
                    readiness: results.readiness,
                    started: results.started, podIP: r?.attachment?.ip, hostIP: network.nodeIP,
                    runtimeName: runtime.name,
                    sandboxReady: sandboxReady && r?.attachment != nil, deadlineExceeded: deadlineExceeded, now: Date())
            )
        }
        var current = pod
        for attempt in 0..<4 {
            let status = build(current)
            if status == current.status || (attempt == 0 && status == r?.lastStatus) { return }
            let previousPhase = current.status.phase
            current.status = status
            do {
                let stored = try await client.updateStatus(current)
                update(uid) { $0.lastStatus = stored.status }
                if previousPhase != status.phase {
                    logger.info(
                        "pod phase", metadata: metadata(pod).merging(["kubus.phase": "\(status.phase ?? "")"]) { $1 })
                }
                return
            } catch {
                if error.isNotFound { return }
                guard error.isConflict,
                    let fresh = try? await client.get(
                        Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? ""),
                    fresh.metadata.uid == uid
                else {
                    logger.warning(
                        "could not write the pod's status",
                        metadata: metadata(pod).merging(["kubus.error": "\(error)"]) { $1 })
                    return
                }
                if fresh.metadata.deletionTimestamp != nil { return }
                current = fresh
            }
        }
    }

    // MARK: Stopping

    /// Stops every running container of the pod with `grace` seconds, running preStop hooks first.
    private func stopAll(_ pod: Pod, containers: [RuntimeContainerStatus], grace: Int64) async {
        let running = containers.filter { $0.state != .exited }
        let specs = (pod.spec.initContainers ?? []) + pod.spec.containers
        await withTaskGroup(of: Void.self) { group in
            for instance in running {
                let spec = specs.first { $0.name == instance.name }
                group.addTask { [self] in
                    await events.record(
                        pod, type: "Normal", reason: "Killing", message: "Stopping container \(instance.name)",
                        action: "Killing", fieldPath: "spec.containers{\(instance.name)}")
                    let deadline = ContinuousClock.now + .seconds(grace)
                    if let hook = spec?.lifecycle?.preStop, let spec {
                        await runHook(hook, pod: pod, container: spec, id: instance.id, timeout: TimeInterval(grace))
                    }
                    let left = max(.zero, deadline - ContinuousClock.now)
                    do {
                        try await runtime.stopContainer(instance.id, gracePeriod: left)
                    } catch {
                        logger.warning(
                            "could not stop a container",
                            metadata: metadata(pod).merging([
                                "kubus.container": "\(instance.name)", "kubus.error": "\(error)",
                            ]) { $1 })
                    }
                }
            }
        }
    }

    private func runHook(_ hook: LifecycleHandler, pod: Pod, container: Container, id: String, timeout: TimeInterval)
        async
    {
        if let sleep = hook.sleep {
            try? await Task.sleep(for: .seconds(min(TimeInterval(sleep.seconds), timeout)))
            return
        }
        let podIP = records.withLock { $0[pod.metadata.uid ?? ""]?.attachment?.ip } ?? pod.status.podIP ?? ""
        let outcome = await prober.run(
            exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, container: container, containerID: id,
            podIP: podIP, timeout: max(1, timeout))
        if case .failure(let message) = outcome {
            await events.record(
                pod, type: "Warning", reason: "FailedPreStopHook",
                message: "PreStopHook failed: \(message)", action: "Killing",
                fieldPath: "spec.containers{\(container.name)}")
        }
    }

    /// A pod being deleted: stop its containers within the grace period, free everything, finish the delete.
    private func terminate(_ pod: Pod, containers: [RuntimeContainerStatus]) async {
        let uid = pod.metadata.uid ?? ""
        var grace = gracePeriod(pod)
        if let at = pod.metadata.deletionTimestamp?.date {
            grace = min(grace, max(0, Int64(at.timeIntervalSinceNow.rounded(.up))))
        }
        await stopAll(pod, containers: containers, grace: grace)
        await cleanUp(uid: uid, namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "")
        do {
            _ = try await client.delete(
                kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                preconditions: .init(uid: uid), gracePeriodSeconds: 0)
            logger.info("pod deleted", metadata: metadata(pod))
        } catch {
            if !error.isNotFound && !error.isConflict {
                logger.warning(
                    "could not finish the pod's deletion",
                    metadata: metadata(pod).merging(["kubus.error": "\(error)"]) { $1 })
                await queue.add(Self.key(pod), after: .seconds(2))
            }
        }
    }

    /// A pod that reached Succeeded or Failed: stop what still runs, free its address and volumes; keep logs.
    private func finish(_ pod: Pod, containers: [RuntimeContainerStatus]) async {
        let uid = pod.metadata.uid ?? ""
        let done = records.withLock { $0[uid]?.cleanedUp ?? false }
        if done && containers.allSatisfy({ $0.state == .exited }) { return }
        await stopAll(pod, containers: containers, grace: gracePeriod(pod))
        probes.remove(podUID: uid)
        if pod.spec.hostNetwork != true { try? await network.tearDown(podUID: uid) }
        volumes.tearDown(uid: uid)
        _ = record(uid)
        update(uid) {
            $0.cleanedUp = true
            $0.attachment = nil
            $0.volumes = nil
        }
    }

    /// Removes a pod's containers, address, volumes and logs; for pods that are gone.
    func cleanUp(uid: String, namespace: String?, name: String?) async {
        probes.remove(podUID: uid)
        for c in await containers(of: uid, fresh: true) {
            if c.state != .exited { try? await runtime.stopContainer(c.id, gracePeriod: .seconds(2)) }
            try? await runtime.removeContainer(c.id)
        }
        try? await network.tearDown(podUID: uid)
        volumes.tearDown(uid: uid)
        if let namespace, let name {
            try? FileManager.default.removeItem(
                atPath: configuration.podLogDirectory(namespace: namespace, name: name, uid: uid))
        }
        records.withLock { _ = $0.removeValue(forKey: uid) }
    }

    // MARK: Housekeeping

    /// Cleans up containers, addresses and folders of pods no longer bound here (`alive`: uids the api has).
    public func housekeeping(alive: Set<String>) async {
        var orphans: [String: (String?, String?)] = [:]
        for c in await runtime.listContainers() where !alive.contains(c.podUID) {
            orphans[c.podUID] = (c.podNamespace, c.podName)
        }
        for a in await network.attachments() where !alive.contains(a.podUID) && orphans[a.podUID] == nil {
            orphans[a.podUID] = (nil, nil)
        }
        for uid in volumes.podUIDs() where !alive.contains(uid) && orphans[uid] == nil { orphans[uid] = (nil, nil) }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "\(configuration.stateDirectory)/pods"))
            ?? []
        {
            let parts = entry.split(separator: "_").map(String.init)
            if parts.count == 3, !alive.contains(parts[2]) {
                if orphans[parts[2]] == nil || orphans[parts[2]]?.0 == nil { orphans[parts[2]] = (parts[0], parts[1]) }
            }
        }
        for uid in records.withLock({ Array($0.keys) }) where !alive.contains(uid) && orphans[uid] == nil {
            orphans[uid] = (nil, nil)
        }
        for (uid, names) in orphans {
            logger.info(
                "cleaning up a pod that is gone",
                metadata: [
                    "kubus.pod": "\(names.0 ?? "?")/\(names.1 ?? "?")", "kubus.uid": "\(uid)",
                    "kubus.node": "\(configuration.nodeName)",
                ])
            await cleanUp(uid: uid, namespace: names.0, name: names.1)
        }
    }
}
