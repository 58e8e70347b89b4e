import ArgumentParser
import Bus
import Client
import Foundation
import Testing

@testable import KubusCtl

/// Issue 13 item 2: kubusctl's kubeconfig — clusters, users with their bus keys, contexts, current-context — and
/// the `config` commands.
@Suite(.timeLimit(.minutes(1)))
struct KubeconfigTests {
    static func folder() throws -> String {
        let dir = "/tmp/kubus-kubeconfig-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aConfigRoundTripsAndResolvesItsContexts() throws {
        var config = KubusConfig()
        config.upsert(
            cluster: .init(name: "kubus", server: "tcp://127.0.0.1:7700"),
            user: .init(name: "kubus-admin", busKey: "/k/admin.key"),
            context: .init(name: "kubus", cluster: "kubus", user: "kubus-admin"))
        config.upsert(
            cluster: .init(name: "lab", server: "ipc:///tmp/lab/bus"), user: .init(name: "jane", busKey: "/k/jane.key"),
            context: .init(name: "lab-jane", cluster: "lab", user: "jane", namespace: "dev"))
        #expect(config.currentContext == "kubus")  // the first one made stays current
        let read = try KubusConfig.parse(config.yaml, source: "kubus.yaml")
        #expect(read == config)
        let lab = try #require(read.resolve("lab-jane"))
        #expect(lab.cluster?.server == "ipc:///tmp/lab/bus" && lab.user?.busKey == "/k/jane.key")
        #expect(lab.context.namespace == "dev")
        #expect(read.resolve("nope") == nil)
        // Upserting the same names replaces them.
        config.upsert(
            cluster: .init(name: "kubus", server: "tcp://127.0.0.1:7800"),
            user: .init(name: "kubus-admin", busKey: "/k2/admin.key"),
            context: .init(name: "kubus", cluster: "kubus", user: "kubus-admin"))
        #expect(config.clusters.count == 2 && config.resolve()?.cluster?.server == "tcp://127.0.0.1:7800")
    }

    @Test func aBadFileNamesTheField() {
        do {
            _ = try KubusConfig.parse("clusters:\n- name: x\n  cluster: {}\n", source: "k.yaml")
            Issue.record("a cluster without a server was accepted")
        } catch {
            #expect(
                error.message
                    == "k.yaml: clusters[x].cluster.server: the bus address is required, e.g. tcp://127.0.0.1:7700")
        }
    }

    @Test func kubusctlTakesBusKeyAndNamespaceFromTheContext() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keyring = BusKeyring(directory: "\(dir)/keys")
        let key = try keyring.issue("jane", identity: "jane", calls: ["api"])
        var config = KubusConfig()
        config.upsert(
            cluster: .init(name: "lab", server: "tcp://127.0.0.1:7900"), user: .init(name: "jane", busKey: key),
            context: .init(name: "lab", cluster: "lab", user: "jane", namespace: "dev"))
        try config.save(path: "\(dir)/config")
        let options = try GlobalOptions.parse(["--kubeconfig", "\(dir)/config"])
        guard ProcessInfo.processInfo.environment["KUBUS_BUS"] == nil,
            ProcessInfo.processInfo.environment["KUBUS_BUS_KEY"] == nil,
            ProcessInfo.processInfo.environment["KUBUS_NAMESPACE"] == nil
        else { return }  // the environment outranks the file, as in kubectl
        let endpoints = try options.endpoints()
        #expect(endpoints.base == "tcp://127.0.0.1:7900")
        #expect(endpoints.credentials?.identity == "jane")
        #expect(options.resolvedNamespace == "dev")
        // Flags outrank the file; an unknown --context is an error.
        let flagged = try GlobalOptions.parse(["--kubeconfig", "\(dir)/config", "-n", "prod"])
        #expect(flagged.resolvedNamespace == "prod")
        let unknown = try GlobalOptions.parse(["--kubeconfig", "\(dir)/config", "--context", "other"])
        #expect(throws: CtlError.self) { _ = try unknown.endpoints() }
        // The file is private: it names key files.
        let mode = try FileManager.default.attributesOfItem(atPath: "\(dir)/config")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func configCommandsReadAndSwitchContexts() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = KubusConfig()
        config.upsert(
            cluster: .init(name: "a", server: "tcp://127.0.0.1:1"), user: .init(name: "u", busKey: "/k/u.key"),
            context: .init(name: "a", cluster: "a", user: "u"))
        config.upsert(
            cluster: .init(name: "b", server: "tcp://127.0.0.1:2"), user: .init(name: "u", busKey: "/k/u.key"),
            context: .init(name: "b", cluster: "b", user: "u"))
        let path = "\(dir)/config"
        try config.save(path: path)
        #expect(await KubusCtlCommand.run(arguments: ["config", "use-context", "b", "--kubeconfig", path]) == 0)
        #expect(try KubusConfig.load(path: path).currentContext == "b")
        #expect(await KubusCtlCommand.run(arguments: ["config", "use-context", "zzz", "--kubeconfig", path]) == 1)
        #expect(
            await KubusCtlCommand.run(arguments: [
                "--kubeconfig", path, "config", "set-context", "--current", "-n", "web",
            ])
                == 0)
        #expect(try KubusConfig.load(path: path).resolve()?.context.namespace == "web")
    }
}
