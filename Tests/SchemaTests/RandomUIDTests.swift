import Testing

@testable import Schema

@Suite struct RandomUIDTests {
    @Test func versionFourLowercaseAndDistinct() {
        var seen = Set<String>()
        for _ in 0..<2000 {
            let uid = RandomUID.make()
            let parts = uid.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12])
            #expect(uid.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(Array(uid)[14] == "4")
            #expect("89ab".contains(Array(uid)[19]))
            seen.insert(uid)
        }
        #expect(seen.count == 2000)
    }
}
