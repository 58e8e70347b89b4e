import Schema
import Synchronization

/// Lets one write at a time per key through this api instance, in arrival order.
///
/// Writers to one hot object would otherwise all read the same version and all but one lose the compare-and-swap,
/// round after round, with no order among them: a patch could lose for as long as the others keep coming. In line,
/// each reads the version the one before it wrote and lands on its first try; the compare-and-swap and its retries
/// remain for writers in other api instances.
final class KeyedSerializer: Sendable {
    /// Keys being written, each with the writers waiting for it.
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    func withLock<T>(_ key: String, _ body: () async throws(APIError) -> T) async throws(APIError) -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = waiting.withLock { waiting -> Bool in
                guard waiting[key] != nil else {
                    waiting[key] = []
                    return true
                }
                waiting[key]!.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in
            guard var queue = waiting[key], !queue.isEmpty else {
                waiting[key] = nil
                return nil
            }
            let next = queue.removeFirst()
            waiting[key] = queue
            return next
        }
        next?.resume()
    }
}
