public import Logging
import Schema
import Synchronization

/// Leader election through a Lease object, with client-go's `leaderelection` semantics.
///
/// `run(whileLeading:)` waits as a candidate until it holds the Lease, runs `whileLeading` in a child task
/// and renews every `retryPeriod`. If no renewal succeeds within `renewDeadline` (the api is unreachable, or
/// another candidate took the lease), it cancels `whileLeading`, waits for it to end and throws
/// `LeaderElectionError` (lost leadership). As kube-scheduler does, a process should then exit and be started
/// again rather than carry on: whatever it held in memory while leading may be stale. On cancellation
/// (graceful stop) it cancels `whileLeading` and releases the Lease (holder cleared, duration 1 s), so a
/// standby takes over at once instead of after `leaseDuration`.
///
/// Invariant, as in client-go: `renewDeadline < leaseDuration`, so a leader stops (by its own clock) before
/// others (by theirs, counting from when they saw its last renewal) may take over.
public final class LeaderElector: Sendable {
    /// The candidate's identity, written as the Lease's `holderIdentity`.
    public let identity: String
    /// The Lease's namespace and name.
    public let namespace: String
    /// The Lease's name.
    public let name: String
    private let client: KubusClient
    private let retryPeriod: Duration
    private let logger: Logger
    private let machine: Mutex<LeaderElectionStateMachine>

    /// Creates a candidate for the Lease `namespace/name`.
    public init(
        client: KubusClient, namespace: String = "kube-system", name: String, identity: String,
        leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2), logger: Logger
    ) {
        precondition(renewDeadline < leaseDuration, "renewDeadline must be shorter than leaseDuration")
        precondition(retryPeriod < renewDeadline, "retryPeriod must be shorter than renewDeadline")
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.retryPeriod = retryPeriod
        var logger = logger
        logger[metadataKey: "kubus.lease"] = "\(namespace)/\(name)"
        logger[metadataKey: "kubus.identity"] = "\(identity)"
        self.logger = logger
        machine = Mutex(
            LeaderElectionStateMachine(
                configuration: .init(
                    namespace: namespace, name: name, identity: identity, leaseDuration: leaseDuration,
                    renewDeadline: renewDeadline)))
    }

    /// Whether this candidate currently leads.
    public var isLeader: Bool { machine.withLock { $0.isLeader } }

    /// Campaigns, runs `whileLeading` while leading, and returns when it ends or on cancellation (releasing
    /// the Lease); throws `LeaderElectionError` when leadership is lost, or what `whileLeading` threw.
    public func run(whileLeading: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await acquire()
        } catch is CancellationError {
            return
        }
        logger.info("became the leader")

        enum End: Sendable {
            case finished
            case lost
        }
        let end: Result<End, any Error> = await withTaskGroup(of: Result<End, any Error>.self) { group in
            group.addTask {
                do {
                    try await whileLeading()
                    return .success(.finished)
                } catch {
                    return .failure(error)
                }
            }
            group.addTask { [self] in
                await renewWhileLeading()
                return .success(.lost)
            }
            let first = await group.next()!
            // Lost leadership stops the work; ended work (or cancellation) stops the renewals.
            group.cancelAll()
            await group.waitForAll()
            return first
        }

        if case .success(.lost) = end, !Task.isCancelled {
            logger.error("leader election lost: could not renew the lease within the renew deadline")
            throw LeaderElectionError.lost(lease: "\(namespace)/\(name)", identity: identity)
        }
        // Graceful stop or ended work: hand over at once. The release must not be cancelled with us.
        await Task { await self.release() }.value
        if case .failure(let error) = end, !(error is CancellationError) { throw error }
    }

    // MARK: Driver

    /// Tries every `retryPeriod` until this candidate holds the Lease; throws `CancellationError` on cancel.
    private func acquire() async throws {
        logger.info("attempting to acquire the leader lease")
        var lastHolder: String?
        while true {
            try Task.checkCancellation()
            switch await attempt(timeout: retryPeriod * 2) {
            case .acquired:
                return
            case .notAcquired(let holder):
                if holder != lastHolder, let holder {
                    logger.info("the lease is held by another candidate", metadata: ["kubus.holder": "\(holder)"])
                }
                lastHolder = holder
            case .lost:
                break
            }
            try await Task.sleep(for: retryPeriod)
        }
    }

    /// Renews every `retryPeriod`; returns when leadership is lost or the task is cancelled.
    private func renewWhileLeading() async {
        var pause = retryPeriod
        while true {
            do {
                try await Task.sleep(for: pause)
            } catch {
                return
            }
            // Each attempt may only take until the renew deadline; past it we are no longer the leader.
            let deadline = machine.withLock { $0.renewDeadline() } ?? .now
            let remaining = max(.milliseconds(50), deadline - .now)
            switch await attempt(timeout: remaining) {
            case .acquired:
                pause = retryPeriod
            case .lost:
                return
            case .notAcquired:
                // `attempt` already checked the deadline. A renewal that failed (a reply lost, the api or the store
                // slow with other work) is tried again soon rather than a whole period later, so one slow call
                // does not use up the renew deadline.
                if Task.isCancelled { return }
                pause = min(retryPeriod, .milliseconds(250))
            }
        }
    }

    private enum AttemptResult {
        case acquired
        case notAcquired(holder: String?)
        case lost
    }

    /// One read-decide-write round, all calls within `timeout`.
    private func attempt(timeout: Duration) async -> AttemptResult {
        let end = ContinuousClock.now + timeout
        let reader = KubusClient(bus: client.bus, timeout: timeout, service: client.service)
        let current: Lease?
        do {
            current = try await reader.get(Lease.self, namespace: namespace, name: name)
        } catch let error where error.isNotFound {
            current = nil
        } catch {
            logger.debug("could not read the lease", metadata: ["kubus.error": "\(error)"])
            return failed()
        }
        let action = machine.withLock { $0.observe(current, now: .now, wallTime: .now()) }
        // The write gets what is left of the attempt's time.
        let writer = KubusClient(bus: client.bus, timeout: max(.milliseconds(20), end - .now), service: client.service)
        let stored: Lease
        do throws(APIError) {
            switch action {
            case .create(let lease):
                stored = try await writer.create(lease)
            case .takeOver(let lease):
                stored = try await writer.update(lease)
                logger.info(
                    "took over the lease",
                    metadata: [
                        "kubus.previousHolder": "\(current?.spec.holderIdentity ?? "")",
                        "kubus.transitions": "\(lease.spec.leaseTransitions ?? 0)",
                    ])
            case .renew(let lease):
                stored = try await writer.update(lease)
            case .wait(let holder):
                return .notAcquired(holder: holder)
            case .stepDown:
                return .lost
            }
        } catch {
            // Conflict or AlreadyExists: another candidate wrote first; it wins, we read again next round.
            logger.log(
                level: error.isConflict || error.isAlreadyExists ? .debug : .warning, "could not write the lease",
                metadata: ["kubus.error": "\(error)"])
            return failed()
        }
        machine.withLock { $0.writeSucceeded(stored, now: .now) }
        return .acquired
    }

    private func failed() -> AttemptResult {
        let action = machine.withLock { $0.writeFailed(now: .now) }
        if action == .stepDown { return .lost }
        return .notAcquired(holder: nil)
    }

    /// Clears the holder so a standby need not wait out the lease; best effort.
    private func release() async {
        guard let lease = machine.withLock({ $0.release(wallTime: .now()) }) else { return }
        let client = KubusClient(bus: self.client.bus, timeout: .seconds(2), service: self.client.service)
        var next = lease
        for attempt in 1...3 {
            do {
                _ = try await client.update(next)
                logger.info("released the leader lease")
                return
            } catch {
                // Only a Conflict is worth another try; when the api or the bus is not answering, the process is
                // stopping anyway and a standby takes over once the lease expires.
                guard attempt < 3, error.isConflict else {
                    logger.warning("could not release the leader lease", metadata: ["kubus.error": "\(error)"])
                    return
                }
                // A renewal still in flight when we stopped may have landed after all (Conflict): release the
                // version it wrote, if we still hold it.
                guard let fresh = try? await client.get(Lease.self, namespace: namespace, name: name) else { continue }
                guard fresh.spec.holderIdentity == identity else { return }
                next = fresh
                next.spec.holderIdentity = nil
                next.spec.leaseDurationSeconds = lease.spec.leaseDurationSeconds
                next.spec.acquireTime = lease.spec.acquireTime
                next.spec.renewTime = lease.spec.renewTime
            }
        }
    }
}

/// Why leader election ended with an error.
public struct LeaderElectionError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case lost
    }

    private let code: Code
    /// What happened and what to do.
    public let message: String

    /// Leadership was lost: the lease could not be renewed within the renew deadline.
    public static func lost(lease: String, identity: String) -> LeaderElectionError {
        LeaderElectionError(
            code: .lost,
            message: "leader election lost: \(identity) could not renew lease \(lease) within the renew deadline; "
                + "the process stops so that it restarts as a fresh candidate")
    }

    /// Whether leadership was lost.
    public var isLost: Bool { code == .lost }

    /// The message.
    public var description: String { message }
}
