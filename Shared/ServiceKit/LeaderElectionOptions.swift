public import ArgumentParser
public import Client
import Foundation
public import Logging
import Schema

/// kube-scheduler's and kube-controller-manager's `--leader-elect` flags, for every service that elects a leader.
public struct LeaderElectionOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("leader-elect"),
        help: "Elect a leader through a Lease in kube-system before working, so several instances can run.")
    public var leaderElect: Bool = true

    @Option(
        name: .customLong("leader-elect-lease-duration"),
        help: "How long standbys wait after the leader's last renewal before taking over, in seconds.")
    public var leaseDuration: Double = 15

    @Option(
        name: .customLong("leader-elect-renew-deadline"),
        help: "How long the leader tries to renew before it stops leading, in seconds.")
    public var renewDeadline: Double = 10

    @Option(
        name: .customLong("leader-elect-retry-period"),
        help: "How often candidates try to acquire and the leader renews, in seconds.")
    public var retryPeriod: Double = 2

    public init() {}

    public func validate() throws {
        guard leaseDuration > renewDeadline else {
            throw ValidationError("--leader-elect-lease-duration: must be greater than --leader-elect-renew-deadline")
        }
        guard renewDeadline > retryPeriod, retryPeriod > 0 else {
            throw ValidationError(
                "--leader-elect-renew-deadline: must be greater than --leader-elect-retry-period (> 0)")
        }
    }

    /// A candidate for the Lease `kube-system/<lease>`, identified as kube-scheduler's are (the host name and a
    /// random suffix, unique per process); nil with `--leader-elect=false`.
    public func elector(client: KubusClient, lease: String, logger: Logger) -> LeaderElector? {
        guard leaderElect else { return nil }
        let identity = "\(ProcessInfo.processInfo.hostName)_\(RandomUID.make())"
        return LeaderElector(
            client: client, namespace: "kube-system", name: lease, identity: identity,
            leaseDuration: .seconds(leaseDuration), renewDeadline: .seconds(renewDeadline),
            retryPeriod: .seconds(retryPeriod), logger: logger)
    }
}
