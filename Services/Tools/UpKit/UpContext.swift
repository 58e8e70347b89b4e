import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where `kubus-up` runs from: its own binary (the services are built next to it) and the current folder.
public struct UpContext: Sendable {
    public var executable: String
    public var binaryDirectory: String
    public var currentDirectory: String

    public init(executable: String, currentDirectory: String) {
        self.executable = executable
        binaryDirectory = (executable as NSString).deletingLastPathComponent
        self.currentDirectory = currentDirectory
    }

    /// This process: `/proc/self/exe` and the working directory.
    public static func current() -> UpContext {
        let cwd = FileManager.default.currentDirectoryPath
        // argv[0] keeps the path the user typed (.build/debug, not the triple folder it links to).
        if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
            let path = arg0.hasPrefix("/") ? arg0 : cwd + "/" + arg0
            if FileManager.default.isExecutableFile(atPath: path) {
                return UpContext(executable: URL(fileURLWithPath: path).standardizedFileURL.path, currentDirectory: cwd)
            }
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe =
            n > 0
            ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        return UpContext(executable: exe, currentDirectory: cwd)
    }

    public func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// The cluster file: `explicit` if given, else `compose/kubus.yaml` here, else in the package of the binary.
    public func clusterFilePath(_ explicit: String?) throws(UpError) -> String {
        if let explicit {
            let path = absolute(explicit)
            guard FileManager.default.fileExists(atPath: path) else {
                throw .clusterFile("cluster file \(path) does not exist")
            }
            return path
        }
        let candidates = ClusterFile.defaultPaths(currentDirectory: currentDirectory, binaryDirectory: binaryDirectory)
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .clusterFile(
                "no cluster file: looked for \(candidates.joined(separator: " and ")); pass one with -f FILE")
        }
        return found
    }

    /// The state folder: `--state-dir`, else the cluster file's `stateDir`, else `./.kubus`; absolute.
    public func stateDirectory(explicit: String?, file: ClusterFile?) -> StateDirectory {
        StateDirectory(path: absolute(explicit ?? file?.stateDir ?? ClusterFile.defaultStateDir))
    }

    /// The state folder for commands that do not need the cluster file (`down`, `status`, `logs`).
    public func stateDirectoryLeniently(explicitFile: String?, explicitStateDir: String?) throws(UpError)
        -> StateDirectory
    {
        if let explicitStateDir { return StateDirectory(path: absolute(explicitStateDir)) }
        if explicitFile != nil {
            return stateDirectory(explicit: nil, file: try ClusterFile.load(path: try clusterFilePath(explicitFile)))
        }
        let file = (try? clusterFilePath(nil)).flatMap { try? ClusterFile.load(path: $0) }
        return stateDirectory(explicit: nil, file: file)
    }
}
