public import Client
public import Logging
public import Schema

/// Creates and deletes the pods of a controller, as Kubernetes' `RealPodControl` does, recording
/// `SuccessfulCreate`/`FailedCreate` and `SuccessfulDelete`/`FailedDelete` Events on the controller.
public struct PodControl: Sendable {
    private let client: any APIClient
    private let events: EventRecorder
    private let logger: Logger

    /// Creates a pod control writing through `client`.
    public init(client: any APIClient, events: EventRecorder, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
    }

    /// The pod a controller creates from `template`: its labels, annotations and spec, the name prefix
    /// `<owner>-`, and `controllerRef` as its only owner reference (`GetPodFromTemplate`).
    public static func pod(
        from template: PodTemplateSpec, namespace: String?, generateName: String, controllerRef: OwnerReference?
    ) throws -> Pod {
        guard let labels = template.metadata.labels, !labels.isEmpty else {
            throw PodControlError("unable to create pods, no labels")
        }
        var metadata = ObjectMeta(
            generateName: generateName, namespace: namespace, labels: labels,
            annotations: template.metadata.annotations, finalizers: template.metadata.finalizers)
        if let controllerRef { metadata.ownerReferences = [controllerRef] }
        return Pod(metadata: metadata, spec: template.spec)
    }

    /// Creates one pod for `owner` from `template`; returns the stored pod.
    @discardableResult
    public func createPod<Owner: KubeObject>(
        from template: PodTemplateSpec, owner: Owner, controllerRef: OwnerReference? = nil
    ) async throws -> Pod {
        let pod = try Self.pod(
            from: template, namespace: owner.metadata.namespace, generateName: "\(owner.metadata.name ?? "")-",
            controllerRef: controllerRef ?? owner.asControllerRef)
        return try await create(pod, owner: owner)
    }

    /// Creates `pod`, made for `owner`; returns the stored pod. A namespace being deleted is no failure to report
    /// (kube's `RealPodControl` records no `FailedCreate` then), but the error is still thrown.
    @discardableResult
    public func create<Owner: KubeObject>(_ pod: Pod, owner: Owner) async throws -> Pod {
        do {
            let stored = try await client.create(pod)
            logger.debug(
                "created pod",
                metadata: ["kubus.pod": "\(ObjectKey.of(stored))", "kubus.owner": "\(ObjectKey.of(owner))"])
            await events.record(
                owner, type: "Normal", reason: "SuccessfulCreate",
                message: "Created pod: \(stored.metadata.name ?? "")",
                action: "Create")
            return stored
        } catch {
            if !error.isNamespaceTerminating {
                await events.record(
                    owner, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error)",
                    action: "Create")
            }
            throw error
        }
    }

    /// Deletes the pod `namespace/name` of `owner`; a pod already gone counts as deleted.
    public func deletePod<Owner: KubeObject>(
        namespace: String?, name: String, owner: Owner, gracePeriodSeconds: Int64? = nil
    ) async throws {
        do {
            try await client.delete(Pod.self, namespace: namespace, name: name, gracePeriodSeconds: gracePeriodSeconds)
            await events.record(
                owner, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)", action: "Delete")
        } catch {
            if error.isNotFound { return }
            await events.record(
                owner, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(error)", action: "Delete")
            throw error
        }
    }

    /// Deletes `pods` of `owner` all at once, as kube's controllers do; returns the pods that failed, with errors.
    public func deletePods<Owner: KubeObject>(_ pods: [Pod], owner: Owner) async -> [(pod: Pod, error: any Error)] {
        await withTaskGroup(of: (pod: Pod, error: any Error)?.self) { group in
            for pod in pods {
                group.addTask {
                    do {
                        try await deletePod(
                            namespace: pod.metadata.namespace, name: pod.metadata.name ?? "", owner: owner)
                        return nil
                    } catch {
                        return (pod, error)
                    }
                }
            }
            var failed: [(pod: Pod, error: any Error)] = []
            for await result in group { if let result { failed.append(result) } }
            return failed
        }
    }
}

extension APIError {
    /// Whether a create failed because its namespace is being deleted.
    public var isNamespaceTerminating: Bool {
        reason == "Forbidden" && message.contains("because it is being terminated")
    }
}

/// A pod could not be made from a template.
public struct PodControlError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Runs `count` calls of `body` in batches of 1, 2, 4, … (Kubernetes' `slowStartBatch`), stopping after the
/// first batch with an error, so a failing create (quota, bad template) is tried a few times, not `count` times.
/// Returns how many calls succeeded and the first error.
public func slowStartBatch(
    count: Int, initialBatchSize: Int = 1, _ body: @escaping @Sendable () async throws -> Void
) async -> (successes: Int, error: (any Error)?) {
    var remaining = count
    var successes = 0
    var batch = min(remaining, initialBatchSize)
    while batch > 0 {
        let results = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<batch {
                group.addTask {
                    do {
                        try await body()
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await result in group { if let result { errors.append(result) } }
            return errors
        }
        successes += batch - results.count
        if let first = results.first { return (successes, first) }
        remaining -= batch
        batch = min(2 * batch, remaining)
    }
    return (successes, nil)
}
