import Foundation
import Schema

/// Makes and removes a pod's named network namespace and veth pair with system calls and rtnetlink, as
/// `ip netns add` and `ip link add … type veth` would, without starting a process.
enum PodNamespace {
    /// What a pod's set-up needs to know.
    struct Plan: Sendable {
        var netns: String
        var hostLink: String
        var bridge: String
        var address: IPv4
        var prefix: Int
        var serviceCIDR: CIDR
        var gateway: IPv4
    }

    /// Makes `/run/netns` a shared mount point, as `ip netns add` does, so that namespaces mounted there later show
    /// in every mount namespace (containers started before a pod's namespace existed).
    static func prepareFolder() throws {
        let folder = PodNetworkNames.namespaceFolder
        if mkdir(folder, 0o755) != 0, errno != EEXIST {
            throw PodNetworkError.system("create \(folder)", errno: errno)
        }
        var bound = false
        while mount("", folder, "none", UInt(MS_SHARED | MS_REC), nil) != 0 {
            guard errno == EINVAL, !bound else { throw PodNetworkError.system("make \(folder) shared", errno: errno) }
            guard mount(folder, folder, "none", UInt(MS_BIND | MS_REC), nil) == 0 else {
                throw PodNetworkError.system("bind \(folder) on itself", errno: errno)
            }
            bound = true
        }
    }

    /// Creates the namespace, the veth pair and the pod's addresses and routes.
    ///
    /// Runs on a thread of its own that moves into the new namespace and is then left to end: no other work ever
    /// runs on a thread whose namespace was changed. What is half made when it fails is the caller's to remove.
    static func create(_ plan: Plan) async throws {
        try await onOwnThread { try createBlocking(plan) }
    }

    /// Deletes the host end of the veth pair (which deletes the pair, even while something holds the namespace
    /// open) and the namespace's mount; succeeds when there is nothing to delete.
    static func delete(netns: String, hostLink: String) async throws {
        let path = "\(PodNetworkNames.namespaceFolder)/\(netns)"
        guard NetnsNetwork.linkExists(hostLink) || NetnsNetwork.exists(path) else { return }
        try await onOwnThread {
            if NetnsNetwork.linkExists(hostLink) {
                do {
                    try RouteNetlink().deleteLink(name: hostLink)
                } catch let error as NetlinkError {
                    throw PodNetworkError.commandFailed("\(error)")
                }
            }
            guard NetnsNetwork.exists(path) else { return }
            // Unmount until nothing is mounted there: a namespace mounted twice (a crash between mount and record)
            // keeps the file busy until every mount is gone.
            for _ in 0..<16 {
                guard umount2(path, Int32(MNT_DETACH)) == 0 else {
                    if errno != EINVAL, errno != ENOENT {
                        throw PodNetworkError.system("unmount the network namespace \(path)", errno: errno)
                    }
                    break
                }
            }
            if unlink(path) != 0, errno != ENOENT {
                throw PodNetworkError.system("remove the network namespace \(path)", errno: errno)
            }
        }
    }

    private static func createBlocking(_ plan: Plan) throws {
        do {
            let host = try RouteNetlink()
            let bridgeIndex = if_nametoindex(plan.bridge)
            guard bridgeIndex != 0 else {
                throw PodNetworkError.conflict(
                    "the pod bridge \(plan.bridge) does not exist: the kubelet creates it at start (prepare); "
                        + "restart the kubelet")
            }
            let folder = PodNetworkNames.namespaceFolder
            if mkdir(folder, 0o755) != 0, errno != EEXIST {
                throw PodNetworkError.system("create \(folder)", errno: errno)
            }
            let path = "\(folder)/\(plan.netns)"
            let file = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
            guard file >= 0 else { throw PodNetworkError.system("create the network namespace \(path)", errno: errno) }
            close(file)
            guard let unshare = unshareFunction, unshare(cloneNewNet) == 0 else {
                throw PodNetworkError.system("create the network namespace \(plan.netns) (unshare)", errno: errno)
            }
            guard mount("/proc/thread-self/ns/net", path, "none", UInt(MS_BIND), nil) == 0 else {
                throw PodNetworkError.system("mount the network namespace on \(path)", errno: errno)
            }
            // From here on this thread is inside the pod's namespace: the socket below, if_nametoindex and the
            // namespace file all refer to it.
            let pod = try RouteNetlink()
            let namespaceFD = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard namespaceFD >= 0 else { throw PodNetworkError.system("open the new network namespace", errno: errno) }
            defer { close(namespaceFD) }
            try host.addVeth(name: plan.hostLink, master: bridgeIndex, peerName: "eth0", peerNamespace: namespaceFD)
            try pod.setUp(index: if_nametoindex("lo"), name: "lo")
            let eth0 = if_nametoindex("eth0")
            try pod.addAddress(plan.address, prefix: plan.prefix, index: eth0, name: "eth0")
            try pod.setUp(index: eth0, name: "eth0")
            try pod.addRoute(plan.serviceCIDR, via: plan.gateway, index: eth0, name: "eth0")
        } catch let error as NetlinkError {
            throw PodNetworkError.commandFailed("set up the network of namespace \(plan.netns): \(error)")
        }
    }

    /// Runs `body` on a new thread that ends afterwards.
    private static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    private static let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET

    private typealias UnshareFunction = @convention(c) (Int32) -> Int32

    // Glibc declares unshare(2) only under _GNU_SOURCE, which Swift's Glibc module does not define.
    private static let unshareFunction: UnshareFunction? = dlsym(dlopen(nil, RTLD_NOW), "unshare")
        .map { unsafeBitCast($0, to: UnshareFunction.self) }
}
