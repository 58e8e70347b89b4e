import Foundation
import Schema

/// What the netns network remembers about a pod besides its address: whether its set-up finished.
struct PodNetworkRecord: Sendable, Hashable, Codable {
    var podUID: String
    var namespace: String
    var name: String
    var ip: String
    /// False while the namespace and veth pair are being made; a pending record found later means a set-up was cut
    /// short and must start again.
    var ready: Bool
}

/// The records, one JSON file per pod under `<network>/pods/`.
struct PodNetworkRecords: Sendable {
    let directory: String

    init(directory networkDirectory: String) {
        self.directory = "\(networkDirectory)/pods"
    }

    func read(podUID: String) -> PodNetworkRecord? {
        guard let bytes = StateFile.read(path(podUID)) else { return nil }
        return try? JSONDecoder().decode(PodNetworkRecord.self, from: Data(bytes))
    }

    func write(_ record: PodNetworkRecord) throws {
        try StateFile.createDirectory(directory)
        try StateFile.replace(path(record.podUID), with: Array(try JSONEncoder().encode(record)))
    }

    func remove(podUID: String) {
        unlink(path(podUID))
    }

    func all() -> [PodNetworkRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { name in
            read(podUID: String(name.dropLast(5)))
        }
    }

    private func path(_ podUID: String) -> String { "\(directory)/\(podUID).json" }
}

/// What `prepare()` set up on the host for this node, so `removeAll` can undo it without being told again.
struct NodeNetworkRecord: Sendable, Hashable, Codable {
    var mode: NetworkMode
    var podCIDR: CIDR
    var clusterCIDR: CIDR
    var serviceCIDR: CIDR
    var bridgeName: String

    static func path(_ networkDirectory: String) -> String { "\(networkDirectory)/node.json" }

    static func read(_ networkDirectory: String) -> NodeNetworkRecord? {
        guard let bytes = StateFile.read(path(networkDirectory)) else { return nil }
        return try? JSONDecoder().decode(NodeNetworkRecord.self, from: Data(bytes))
    }

    func write(_ networkDirectory: String) throws {
        try StateFile.createDirectory(networkDirectory)
        try StateFile.replace(Self.path(networkDirectory), with: Array(try JSONEncoder().encode(self)))
    }
}
