import Schema
import Testing

@testable import Kubelet

@Suite struct CIDRTests {
    @Test func parsesAndPrintsAddresses() throws {
        let ip = try #require(IPv4("10.244.1.7"))
        #expect(ip.value == 0x0AF4_0107)
        #expect(ip.description == "10.244.1.7")
        #expect(ip.octets == [10, 244, 1, 7])
        for bad in ["", "10.244.1", "10.244.1.7.1", "10.244.1.256", "10.244.1.-1", "10.244..7", "010.1.1.1", "a.b.c.d"]
        {
            #expect(IPv4(bad) == nil, "\(bad) must not parse")
        }
        #expect(IPv4("255.255.255.255")?.advanced(by: 1) == nil)
        #expect(IPv4("10.0.0.255")?.advanced(by: 1) == IPv4("10.0.1.0"))
        for bad in ["+1.2.3.4", "1.2.3.4.", ".1.2.3", "1.2.3.04", "1.2.3.1000", " 1.2.3.4", "1.2.3.4\n", "1.2.3.٣"] {
            #expect(IPv4(bad) == nil, "\(bad) must not parse")
        }
        for good in ["0.0.0.0", "0.1.0.10", "255.255.255.255", "100.64.0.1", "1.20.100.0"] {
            #expect(IPv4(good)?.description == good)
        }
    }

    /// Every octet value, in every position, reads back as it prints.
    @Test func everyOctetRoundTrips() {
        for octet in UInt32(0)...255 {
            for shift in [0, 8, 16, 24] as [UInt32] {
                let ip = IPv4(octet << shift | (shift == 0 ? 0x0A00_0000 : 7))
                #expect(IPv4(ip.description) == ip)
            }
        }
    }

    @Test func parsesCanonicalRanges() throws {
        let cidr = try #require(CIDR("10.244.1.7/16"))
        #expect(cidr.description == "10.244.0.0/16")
        #expect(cidr.size == 65536)
        #expect(cidr.broadcast == IPv4("10.244.255.255"))
        #expect(cidr.netmask == IPv4("255.255.0.0"))
        #expect(cidr.fileName == "10.244.0.0_16")
        #expect(CIDR("0.0.0.0/0")?.size == 1 << 32)
        for bad in ["10.244.0.0", "10.244.0.0/33", "10.244.0.0/-1", "10.244.0.0/", "/16", "10.244.0.0/16/1"] {
            #expect(CIDR(bad) == nil, "\(bad) must not parse")
        }
        #expect(throws: PodNetworkError.self) { try CIDR.parse("10.244/16", what: "--cluster-cidr") }
    }

    @Test func containsAndOverlaps() throws {
        let cluster = try #require(CIDR("10.244.0.0/16"))
        #expect(cluster.contains(try #require(IPv4("10.244.255.1"))))
        #expect(!cluster.contains(try #require(IPv4("10.245.0.1"))))
        #expect(cluster.contains(try #require(CIDR("10.244.3.0/24"))))
        #expect(!cluster.contains(try #require(CIDR("10.244.0.0/15"))))
        #expect(cluster.overlaps(try #require(CIDR("10.0.0.0/8"))))
        #expect(cluster.overlaps(try #require(CIDR("10.244.9.0/24"))))
        #expect(!cluster.overlaps(try #require(CIDR("10.96.0.0/12"))))
    }

    @Test func hostsSubnetsAndNextSlice() throws {
        let slice = try #require(CIDR("10.244.1.0/24"))
        #expect(slice.host(0) == IPv4("10.244.1.0"))
        #expect(slice.host(1) == IPv4("10.244.1.1"))
        #expect(slice.host(255) == IPv4("10.244.1.255"))
        #expect(slice.host(256) == nil)
        #expect(slice.next == CIDR("10.244.2.0/24"))
        #expect(CIDR("10.244.255.0/24")?.next == CIDR("10.245.0.0/24"))
        #expect(CIDR("255.255.255.0/24")?.next == nil)
        let cluster = try #require(CIDR("10.244.0.0/16"))
        #expect(cluster.subnet(prefix: 24, index: 3) == CIDR("10.244.3.0/24"))
        #expect(cluster.subnet(prefix: 24, index: 255) == CIDR("10.244.255.0/24"))
        #expect(cluster.subnet(prefix: 24, index: 256) == nil)
        #expect(cluster.subnet(prefix: 8, index: 0) == nil)
    }

    @Test func allocatorSkipsTheReservedFirstSliceAndTakenOnes() throws {
        let allocator = PodCIDRAllocator(clusterCIDR: try #require(CIDR("10.244.0.0/16")))
        #expect(try allocator.allocate(taken: [String]()) == CIDR("10.244.1.0/24"))
        #expect(try allocator.allocate(taken: ["10.244.1.0/24", "10.244.2.0/24"]) == CIDR("10.244.3.0/24"))
        #expect(try allocator.allocate(taken: ["10.244.2.0/24"]) == CIDR("10.244.1.0/24"))
        // A wider range held by a node blocks every slice it overlaps; text that does not parse is ignored.
        #expect(try allocator.allocate(taken: ["10.244.0.0/22", "garbage", ""]) == CIDR("10.244.4.0/24"))
    }

    @Test func allocatorReportsExhaustion() throws {
        let allocator = PodCIDRAllocator(clusterCIDR: try #require(CIDR("10.244.0.0/22")))
        let taken = ["10.244.1.0/24", "10.244.2.0/24", "10.244.3.0/24"]
        let error = try #require(throws: PodNetworkError.self) { try allocator.allocate(taken: taken) }
        #expect(error.isExhausted)
        #expect(error.message.contains("no pod CIDR available in range 10.244.0.0/22"))
        #expect(throws: PodNetworkError.self) {
            try PodCIDRAllocator(clusterCIDR: try #require(CIDR("10.244.1.0/24"))).allocate(taken: [String]())
        }
    }
}
