public import Logging

/// Builds the pod network a configuration asks for.
public enum PodNetworkFactory {
    /// The network for `configuration.mode`; `auto` is decided here (see `PodNetworkConfiguration.resolved`).
    ///
    /// The configuration needs its `podCIDR`; a kubelet without `--pod-cidr` resolves first, allocates a slice of
    /// the resolved `clusterCIDR` with `PodCIDRAllocator`, and then calls this.
    public static func make(configuration: PodNetworkConfiguration, logger: Logger) async throws -> any PodNetwork {
        let resolved =
            configuration.networkMode == nil ? try await configuration.resolved(logger: logger) : configuration
        switch resolved.networkMode {
        case .netns: return try NetnsNetwork(configuration: resolved, logger: logger)
        case .loopback, nil: return try LoopbackNetwork(configuration: resolved, logger: logger)
        }
    }

    /// Deletes every namespace, link and address the state folder holds, in either mode; with `removeNodeAddress`
    /// also the node's address on the bridge (and the bridge, when it was the last one). For `kubelet cleanup`.
    public static func removeAll(configuration: PodNetworkConfiguration, removeNodeAddress: Bool = false) async throws {
        try await NetnsNetwork.removeAll(configuration: configuration, removeNodeAddress: removeNodeAddress)
        try LoopbackNetwork.removeAll(configuration: configuration)
    }
}
