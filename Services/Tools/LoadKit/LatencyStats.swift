public import Histogram

/// Latency samples and their percentiles, for the load and benchmark tools: an HDR histogram (three significant
/// digits, resizing as values come), so memory does not grow with the number of samples.
public struct LatencyStats: Sendable {
    public private(set) var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    public init() {}

    public mutating func record(ns: Int64) { _ = histogram.record(UInt64(max(0, ns))) }
    public mutating func record(_ duration: Duration) {
        record(ns: duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
    public mutating func merge(_ other: LatencyStats) { histogram.add(other.histogram) }

    public var count: Int { Int(histogram.totalCount) }

    /// The value below which `p` percent of samples fall, in nanoseconds (within the histogram's precision).
    public func percentile(_ p: Double) -> Int64 {
        histogram.totalCount == 0 ? 0 : Int64(histogram.valueAtPercentile(p))
    }

    /// `p50 0.41 ms  p90 0.80 ms  p99 2.10 ms  max 7.00 ms`
    public var summary: String {
        guard histogram.totalCount > 0 else { return "no samples" }
        return "p50 \(Self.ms(percentile(50)))  p90 \(Self.ms(percentile(90)))  p99 \(Self.ms(percentile(99)))  "
            + "max \(Self.ms(Int64(histogram.max)))"
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
