import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file on a connection and thread of its own, so the writer never
/// does it inside a commit.
///
/// SQLite's automatic checkpoint runs in the commit that takes the WAL past 1,000 pages: that commit copies the
/// pages into the database file and fsyncs it before it returns, and every write of the group commit waits —
/// a stall of several milliseconds every few hundred commits, in the tail of a create's latency. Here the writer's
/// automatic checkpoint is off (`PRAGMA wal_autocheckpoint = 0`) and this thread runs a PASSIVE checkpoint every
/// `interval`: PASSIVE takes no lock a writer or reader waits on, so commits go on meanwhile, and a checkpoint
/// with nothing new to copy does nothing. Once everything is copied, the next commit starts the WAL from its
/// beginning again, so it stays about one interval's writes long (the writer's TRUNCATE checkpoint above
/// `walCheckpointBytes` still bounds it should the checkpoints never catch up). The database file is fsynced at
/// the end of each checkpoint (`synchronous` as the writer's) before SQLite lets the WAL be reused: the durability
/// is SQLite's own.
final class WALCheckpointer: Sendable {
    private final class Control: Sendable {
        let stopped = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        /// Signalled by `stop` to cut the wait short.
        let wake = DispatchSemaphore(value: 0)
    }

    private let queue: DatabaseQueue
    private let control = Control()

    /// Opens a connection to `path` and starts the thread; `interval` is how often it looks at the WAL.
    init(path: String, synchronous: String, interval: Duration) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        let queue = self.queue
        let control = self.control
        let nanoseconds = max(1_000_000, Int(interval.seconds * 1e9))
        let thread = Thread {
            while !control.stopped.load(ordering: .relaxed) {
                _ = control.wake.wait(timeout: .now() + .nanoseconds(nanoseconds))
                if control.stopped.load(ordering: .relaxed) { break }
                _ = try? queue.writeWithoutTransaction { db in
                    try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
            }
            control.finished.signal()
        }
        thread.name = "kubus-checkpoint"
        thread.start()
    }

    deinit { stop() }

    /// Stops the thread and closes the connection.
    func stop() {
        guard !control.stopped.exchange(true, ordering: .relaxed) else { return }
        control.wake.signal()
        control.finished.wait()
        try? queue.close()
    }
}
