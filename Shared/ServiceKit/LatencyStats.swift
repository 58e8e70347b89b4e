/// Latency samples and their percentiles, for the load and benchmark tools.
public struct LatencyStats: Sendable {
    public private(set) var samplesNs: [Int64] = []

    public init() {}

    public mutating func record(ns: Int64) { samplesNs.append(ns) }
    public mutating func merge(_ other: LatencyStats) { samplesNs += other.samplesNs }

    public var count: Int { samplesNs.count }

    /// The value below which `p` percent of samples fall (nearest rank), in nanoseconds.
    public func percentile(_ p: Double) -> Int64 {
        guard !samplesNs.isEmpty else { return 0 }
        let sorted = samplesNs.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// `p50 0.41 ms  p90 0.80 ms  p99 2.10 ms  max 7.00 ms`
    public var summary: String {
        guard !samplesNs.isEmpty else { return "no samples" }
        let sorted = samplesNs.sorted()
        func at(_ p: Double) -> Int64 {
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
        return "p50 \(Self.ms(at(50)))  p90 \(Self.ms(at(90)))  p99 \(Self.ms(at(99)))  max \(Self.ms(sorted.last!))"
    }

    /// Nanoseconds as milliseconds with 3 significant decimals.
    public static func ms(_ ns: Int64) -> String {
        let v = Double(ns) / 1e6
        return v < 10 ? "\(round3(v)) ms" : "\(Int(v.rounded())) ms"
    }

    private static func round3(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
