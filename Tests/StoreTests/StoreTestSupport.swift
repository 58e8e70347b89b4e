import Foundation
import Schema
import StoreTesting
import Testing
import Wire

@testable import Store

/// The backends every semantic test runs against.
enum BackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite

    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh temporary folder, removed afterwards even when `body` throws.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "kubus-store-tests-\(UUID().uuidString)", isDirectory: true
    )
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs `body` with a fresh backend of `kind` in its own temporary folder; closes it even when `body` throws.
func withBackend(
    _ kind: BackendKind, configuration: SQLiteBackendConfiguration = .init(),
    _ body: (any StoreBackend) async throws -> Void
) async throws {
    try await withTemporaryDirectory { directory in
        let backend: any StoreBackend
        switch kind {
        case .memory: backend = MemoryBackend()
        case .sqlite:
            backend = try SQLiteBackend(
                path: directory.appendingPathComponent("store.db").path, configuration: configuration
            )
        }
        do {
            try await body(backend)
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
    }
}

extension StoreBackend {
    /// Puts `value` at `key`.
    @discardableResult
    func put(
        _ key: String, _ value: String, _ precondition: WritePrecondition = .none, requestID: String? = nil
    ) async throws -> WriteResult {
        try await write(
            WriteRequest(key: key, operation: .put(value: value), precondition: precondition, requestID: requestID)
        )
    }

    /// Deletes `key`.
    @discardableResult
    func delete(_ key: String, _ precondition: WritePrecondition = .none) async throws -> WriteResult {
        try await write(WriteRequest(key: key, operation: .delete, precondition: precondition))
    }

    /// The current value of `key`.
    func value(_ key: String) async throws -> String? {
        try await get(key, revision: nil).0?.value
    }

    /// The keys of a range.
    func keys(_ prefix: String, revision: Int64? = nil) async throws -> [String] {
        try await range(prefix: prefix, revision: revision, startAfter: nil, limit: nil).kvs.map(\.key)
    }
}

/// Expects `body` to throw a `StoreError` satisfying `check`.
func expectStoreError(
    _ check: (StoreError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected a StoreError, got success", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
    }
}
