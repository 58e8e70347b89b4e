import Foundation

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
        guard let data = FileManager.default.contents(atPath: path(podUID)) else { return nil }
        return try? JSONDecoder().decode(PodNetworkRecord.self, from: data)
    }

    func write(_ record: PodNetworkRecord) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: path(record.podUID)), options: .atomic)
        } catch {
            throw PodNetworkError.invalidConfiguration(
                "cannot write \(path(record.podUID)): \(error); check the kubelet's state folder is writable")
        }
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
