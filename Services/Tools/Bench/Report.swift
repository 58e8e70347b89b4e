import Foundation

/// One measured figure, with an optional goal, collected over one or more runs.
struct Figure: Sendable {
    enum Goal: Sendable {
        case atLeast(Double)
        case below(Double)
    }

    var key: String
    var label: String
    var unit: String
    var goal: Goal?
    var values: [Double] = []

    /// The median of the runs (the mean of the middle two for an even count).
    var median: Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    var met: Bool? {
        guard let goal, let m = median else { return nil }
        switch goal {
        case .atLeast(let g): return m >= g
        case .below(let g): return m < g
        }
    }

    var goalText: String {
        switch goal {
        case .atLeast(let g)?: return "≥ \(Figure.format(g, unit))"
        case .below(let g)?: return "< \(Figure.format(g, unit))"
        case nil: return ""
        }
    }

    static func format(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "/s": return "\(grouped(Int(v.rounded())))/s"
        case "ms": return v < 10 ? String(format: "%.2f ms", v) : String(format: "%.1f ms", v)
        case "µs": return String(format: "%.2f µs", v)
        case "MiB": return String(format: "%.1f MiB", v)
        case "x": return String(format: "%.2f×", v)
        case "%": return String(format: "%.2f %%", v)
        case "s": return v < 10 ? String(format: "%.2f s", v) : String(format: "%.1f s", v)
        default: return String(format: "%.0f", v) + (unit.isEmpty ? "" : " \(unit)")
        }
    }

    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

/// Every figure of a bench run, in the order they were first recorded; printed as one table at the end.
final class BenchReport: @unchecked Sendable {
    private let lock = NSLock()
    private var figures: [Figure] = []
    private var notes: [String] = []

    /// Records a value of the figure `key` (one per run).
    func record(_ key: String, _ label: String, _ value: Double, unit: String, goal: Figure.Goal? = nil) {
        lock.withLock {
            if let i = figures.firstIndex(where: { $0.key == key }) {
                figures[i].values.append(value)
            } else {
                figures.append(Figure(key: key, label: label, unit: unit, goal: goal, values: [value]))
            }
        }
        print("  → \(label): \(Figure.format(value, unit))")
    }

    func note(_ text: String) {
        lock.withLock { if !notes.contains(text) { notes.append(text) } }
        print("  ! \(text)")
    }

    func median(_ key: String) -> Double? { lock.withLock { figures.first { $0.key == key }?.median } }

    /// Adds (or, called again after more runs, replaces) a ratio computed from the medians of other figures.
    func addRatio(_ key: String, _ label: String, numerator: String, denominator: String) {
        guard let a = median(numerator), let b = median(denominator), b > 0 else { return }
        let ratio = Figure(key: key, label: label, unit: "x", goal: nil, values: [a / b])
        lock.withLock {
            if let i = figures.firstIndex(where: { $0.key == key }) {
                figures[i] = ratio
            } else {
                figures.append(ratio)
            }
        }
    }

    /// The table of medians, goals and whether each goal is met.
    func table(runs: Int) -> String {
        let rows = lock.withLock { figures }
        let labelWidth = max(20, rows.map(\.label.count).max() ?? 20)
        var out = ["", "kubus-bench summary (median of \(runs) run\(runs == 1 ? "" : "s") per figure)"]
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        out.append(pad("figure", labelWidth) + "  " + pad("median", 14) + "  " + pad("goal", 12) + "  result")
        out.append(String(repeating: "-", count: labelWidth + 44))
        for f in rows {
            guard let m = f.median else { continue }
            let result: String
            switch f.met {
            case true?: result = "met"
            case false?: result = "NOT met"
            case nil: result = ""
            }
            var line =
                pad(f.label, labelWidth) + "  " + pad(Figure.format(m, f.unit), 14) + "  " + pad(f.goalText, 12) + "  "
                + result
            if f.values.count > 1 {
                line +=
                    (result.isEmpty ? "" : "  ") + "["
                    + f.values.map { Figure.format($0, f.unit) }.joined(separator: ", ") + "]"
            }
            out.append(line)
        }
        let n = lock.withLock { notes }
        if !n.isEmpty {
            out.append("")
            out += n.map { "note: \($0)" }
        }
        return out.joined(separator: "\n")
    }
}
