public import Foundation

/// Text for `kubus-up` and `kubus-up status`.
public enum StatusReport {
    /// A table of instances: name, pid, state, restarts, uptime.
    public static func table(_ status: ClusterStatus, now: Date = Date()) -> String {
        var rows = [["NAME", "PID", "STATE", "RESTARTS", "UPTIME", "READY WHEN"]]
        for i in status.instances {
            rows.append([
                i.name, i.pid.map { "\($0)" } ?? "-", i.state, "\(i.restarts)",
                i.pid == nil ? "-" : i.startedAt.map { age(now.timeIntervalSince($0)) } ?? "-",
                i.ready.map { $0 == "bus" ? "broker answers" : "\($0) registered" } ?? "-",
            ])
        }
        return format(rows)
    }

    /// Aligns columns with three spaces between them, as kubectl does.
    public static func format(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == r.count - 1 ? c : c.padding(toLength: widths[i] + 3, withPad: " ", startingAt: 0)
            }
            .joined()
        }.joined(separator: "\n")
    }

    /// 45s, 3m12s, 2h5m, 3d4h — the way kubectl shows ages.
    public static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h\((s % 3600) / 60)m" }
        return "\(s / 86400)d\((s % 86400) / 3600)h"
    }

    /// What `kubus-up` prints once the cluster is up.
    /// `stateOption` is what `down` and `status` need to find this cluster (empty for the default folder).
    public static func summary(_ status: ClusterStatus, binaryDirectory: String, stateOption: String = "") -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let bin = binaryDirectory.hasPrefix(cwd) ? String(binaryDirectory.dropFirst(cwd.count)) : binaryDirectory
        let opt = stateOption.isEmpty ? "" : " \(stateOption)"
        return """
            Kubus cluster is up (supervisor pid \(status.supervisorPid)).

            \(table(status))

              bus     \(status.bus)   (export KUBUS_BUS=\(status.bus) for kubusctl and tools)
              key     \(status.stateDir)/keys/admin.key   (the administrator's; export KUBUS_BUS_KEY=… for kubusctl and
                      tools run outside this folder; a bus started with --insecure needs none)
              state   \(status.stateDir)
              logs    \(status.stateDir)/logs

            Try:      \(bin)/kubusctl get all -A
            Inspect:  \(bin)/kubus-up status\(opt)     \(bin)/kubus-up logs NAME -f\(opt)
            Stop:     \(bin)/kubus-up down\(opt)
            """
    }

    /// One line per bus service the broker reports.
    public static func brokerTable(_ services: [String: BrokerProbe.ServiceInfo]) -> String {
        var rows = [["BUS SERVICE", "WORKERS", "QUEUED", "IN FLIGHT"]]
        for (name, s) in services.sorted(by: { $0.key < $1.key }) {
            rows.append([name, "\(s.workers)", "\(s.queued)", "\(s.inFlight)"])
        }
        return format(rows)
    }
}
