import Foundation
import Testing

@testable import Kubelet

@Suite struct RuntimeTypesTests {
    @Test func containerConfigRoundTripsThroughJSON() throws {
        let config = ContainerConfig(
            podUID: "u1", podNamespace: "default", podName: "web", name: "nginx", attempt: 2, argv: ["/bin/true"],
            env: [EnvPair(name: "A", value: "1")], mounts: [MountSpec(hostPath: "/tmp/x", containerPath: "/data")],
            hostname: "web", logPath: "/tmp/web.log", image: "nginx")
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ContainerConfig.self, from: data) == config)
    }
}
