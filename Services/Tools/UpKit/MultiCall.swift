import CZygote
import Foundation

/// The multi-call binary `kubus`: one executable hosting every program kubus-up runs, as busybox or hyperkube do.
///
/// Each Kubus executable links its own copy of the shared code (the schema of every kind, the bus, the client,
/// SwiftNIO, ...), so twenty processes of eleven programs each page in their own copy: 72 MiB of the default cluster's
/// PSS were executable pages (docs/benchmarks.md, "Memory of the default cluster"). Started from one file, the
/// processes share those pages. kubus-up runs a program from `kubus` when it sits next to kubus-up and hosts the
/// program; the standalone executables stay for running one service by hand.
public enum MultiCall {
    /// The file name of the multi-call binary.
    public static let binary = "kubus"

    /// The programs it hosts, by the names of their standalone executables.
    public static let programs: [String] = [
        "kubus-up", "kubus-bus", "kubus-store", "kubus-api", "kubus-scheduler", "kubus-kubelet", "kubus-controller",
        "kubus-proxy", "kubus-netpol", "kubus-dns", "kubus-ingress",
    ]

    /// The program `argv` asks for and its arguments: `kubus-bus ARGS` (the last path component of argv[0], how
    /// kubus-up starts it) or `kubus kubus-bus ARGS`; nil when neither names a hosted program.
    public static func invocation(_ argv: [String]) -> (program: String, arguments: [String])? {
        guard let first = argv.first else { return nil }
        let invoked = first.split(separator: "/").last.map(String.init) ?? first
        if programs.contains(invoked) { return (invoked, Array(argv.dropFirst())) }
        if argv.count > 1, programs.contains(argv[1]) { return (argv[1], Array(argv.dropFirst(2))) }
        return nil
    }

    /// The multi-call binary next to kubus-up, when it is there and hosts `command` (a bare program name; a command
    /// with a slash names its own file and is run as it is).
    public static func host(for command: String, binaryDirectory: String) -> String? {
        guard !command.contains("/"), programs.contains(command) else { return nil }
        let path = binaryDirectory + "/" + binary
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The arguments of this process when kubus-up's fork server forked it (argv[0] first, as exec would have
    /// given them); nil when it was started by exec (docs/operations.md, "Services forked from one image").
    public static var forkedArguments: [String]? {
        var argc: Int32 = 0
        guard let argv = kubus_zygote_arguments(&argc) else { return nil }
        return (0..<Int(argc)).compactMap { argv[$0].map { String(cString: $0) } }
    }

    /// Names this process `program` in `ps`, `top` and `pgrep` (the kernel's comm, 15 bytes), as its own
    /// executable would be named.
    public static func setProcessName(_ program: String) {
        try? Data(program.utf8.prefix(15)).write(to: URL(fileURLWithPath: "/proc/self/comm"))
    }
}
