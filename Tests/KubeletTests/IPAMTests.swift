import Foundation
import Schema
import Testing

@testable import Kubelet

/// A temporary folder removed when `body` ends, even when it throws.
@discardableResult
func withNetworkStateDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("kubus-network-test-\(UInt64.random(in: 0...UInt64.max))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

@Suite struct IPAMTests {
    @Test func allocatesFromDotTwoAndSkipsGatewayNetworkAndBroadcast() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/29")), networkDirectory: dir)
            #expect(ipam.gateway == IPv4("10.244.1.1"))
            #expect(ipam.capacity == 5)
            var addresses: [String] = []
            for n in 0..<5 { addresses.append(try ipam.allocate(podUID: "pod-\(n)").description) }
            #expect(addresses == ["10.244.1.2", "10.244.1.3", "10.244.1.4", "10.244.1.5", "10.244.1.6"])
            #expect(FileManager.default.fileExists(atPath: "\(dir)/ipam/10.244.1.0_29/10.244.1.2"))
            #expect(try String(contentsOfFile: "\(dir)/ipam/10.244.1.0_29/10.244.1.2", encoding: .utf8) == "pod-0")
        }
    }

    @Test func givesAPodTheAddressItAlreadyHolds() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/24")), networkDirectory: dir)
            let first = try ipam.allocate(podUID: "a")
            #expect(try ipam.allocate(podUID: "a") == first)
            #expect(ipam.lookup(podUID: "a") == first)
            #expect(ipam.list().count == 1)
        }
    }

    @Test func allocationsSurviveANewInstance() async throws {
        try await withNetworkStateDirectory { dir in
            let range = try #require(CIDR("10.244.1.0/24"))
            let before = try IPAM(range: range, networkDirectory: dir)
            let a = try before.allocate(podUID: "a")
            let b = try before.allocate(podUID: "b")
            let after = try IPAM(range: range, networkDirectory: dir)
            #expect(after.list() == [IPAMAllocation(ip: a, podUID: "a"), IPAMAllocation(ip: b, podUID: "b")])
            #expect(after.lookup(podUID: "b") == b)
            let c = try after.allocate(podUID: "c")
            #expect(c != a && c != b)
        }
    }

    @Test func neverHandsOutAnAddressTwiceUnderConcurrency() async throws {
        try await withNetworkStateDirectory { dir in
            let range = try #require(CIDR("10.244.1.0/24"))
            // Separate instances, as two kubelet processes would have, racing for the same range.
            let ips = try await withThrowingTaskGroup(of: IPv4.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        try IPAM(range: range, networkDirectory: dir).allocate(podUID: "pod-\(n)")
                    }
                }
                return try await group.reduce(into: [IPv4]()) { $0.append($1) }
            }
            #expect(ips.count == 200)
            #expect(Set(ips).count == 200)
            #expect(ips.allSatisfy { range.contains($0) && $0 != IPv4("10.244.1.1") && $0 != IPv4("10.244.1.0") })
        }
    }

    @Test func reportsExhaustionLikeHostLocal() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/30")), networkDirectory: dir)
            #expect(try ipam.allocate(podUID: "only") == IPv4("10.244.1.2"))
            let error = try #require(throws: PodNetworkError.self) { try ipam.allocate(podUID: "one-too-many") }
            #expect(error.isExhausted)
            #expect(error.message.hasPrefix("no IP addresses available in range 10.244.1.0/30"))
        }
    }

    @Test func releaseFreesTheAddressAndDoesNotReuseItAtOnce() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/24")), networkDirectory: dir)
            let a = try ipam.allocate(podUID: "a")
            #expect(try ipam.release(podUID: "a") == [a])
            #expect(try ipam.release(podUID: "a") == [])
            #expect(ipam.lookup(podUID: "a") == nil)
            #expect(!FileManager.default.fileExists(atPath: "\(ipam.directory)/\(a)"))
            let b = try ipam.allocate(podUID: "b")
            #expect(b != a)
        }
    }

    @Test func wrapsAroundToFreedAddresses() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/29")), networkDirectory: dir)
            for n in 0..<5 { _ = try ipam.allocate(podUID: "pod-\(n)") }
            try ipam.release(podUID: "pod-1")
            #expect(try ipam.allocate(podUID: "late") == IPv4("10.244.1.3"))
        }
    }

    /// The hint of where to go on is overwritten in place, never replaced: replacing frees a block, which on a disk
    /// mounted with `discard` waits for the disk on every pod start. A hint from before (a shorter file) still
    /// counts, and a longer old address leaves nothing behind.
    @Test func theLastReservedHintIsOverwrittenInPlace() async throws {
        try await withNetworkStateDirectory { dir in
            let ipam = try IPAM(range: try #require(CIDR("10.244.1.0/24")), networkDirectory: dir)
            let hint = "\(dir)/ipam/10.244.1.0_24/last_reserved_ip"
            try FileManager.default.createDirectory(
                atPath: "\(dir)/ipam/10.244.1.0_24", withIntermediateDirectories: true)
            try "10.244.1.200\n".write(toFile: hint, atomically: false, encoding: .utf8)
            #expect(try ipam.allocate(podUID: "a") == IPv4("10.244.1.201"))
            let inode = try #require(try FileManager.default.attributesOfItem(atPath: hint)[.systemFileNumber] as? Int)
            #expect(try String(contentsOfFile: hint, encoding: .utf8) == "10.244.1.201   \n")
            #expect(try ipam.allocate(podUID: "b") == IPv4("10.244.1.202"))
            #expect(try ipam.allocate(podUID: "c") == IPv4("10.244.1.203"))
            #expect(try FileManager.default.attributesOfItem(atPath: hint)[.systemFileNumber] as? Int == inode)
            #expect(try String(contentsOfFile: hint, encoding: .utf8) == "10.244.1.203   \n")
        }
    }

    @Test func refusesRangesTooSmallForAPod() async throws {
        try await withNetworkStateDirectory { dir in
            #expect(throws: PodNetworkError.self) {
                try IPAM(range: try #require(CIDR("10.244.1.0/31")), networkDirectory: dir)
            }
        }
    }
}
