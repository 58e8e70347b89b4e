import Foundation

/// What must be undone when the bench ends, also on Ctrl-C or SIGTERM: processes to kill, folders to remove.
final class Cleanup: @unchecked Sendable {
    static let shared = Cleanup()

    private let lock = NSLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0
    private var sources: [any DispatchSourceSignal] = []

    /// Registers `action`; returns a token to remove it once it has run normally.
    func add(_ action: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextID += 1
            actions[nextID] = action
            return nextID
        }
    }

    func remove(_ token: Int) { lock.withLock { _ = actions.removeValue(forKey: token) } }

    /// Runs every registered action once, newest first.
    func runAll() {
        let all = lock.withLock { () -> [@Sendable () -> Void] in
            defer { actions.removeAll() }
            return actions.sorted { $0.key > $1.key }.map(\.value)
        }
        for a in all { a() }
    }

    /// On SIGINT or SIGTERM: clean up, then exit with 128 + signal.
    func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                FileHandle.standardError.write(Data("\nkubus-bench: interrupted, stopping what it started\n".utf8))
                runAll()
                exit(128 + sig)
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
