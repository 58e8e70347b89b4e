#if canImport(Glibc)
    import Glibc
#endif

/// The address ranges a cluster uses unless told otherwise, the same in every service that needs them.
///
/// As root, pods get network namespaces and Services come from 10.96.0.0/12, as kubeadm's defaults. Without root
/// the kubelet runs pods in loopback mode, where only 127.0.0.0/8 reaches the host's loopback listeners: the api
/// then allocates cluster IPs from 127.96.0.0/12 (the range the kubelet's loopback mode moves 10.96.0.0/12 to),
/// so the userspace proxy can listen on them (docs/network.md, "Loopback mode").
public enum ClusterRanges {
    /// 10.96.0.0/12 as root, 127.96.0.0/12 otherwise.
    public static var defaultServiceCIDR: String { geteuid() == 0 ? "10.96.0.0/12" : "127.96.0.0/12" }
    /// 10.244.0.0/16 as root, 127.244.0.0/16 otherwise.
    public static var defaultClusterCIDR: String { geteuid() == 0 ? "10.244.0.0/16" : "127.244.0.0/16" }
}
