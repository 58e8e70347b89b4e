import Client
import Foundation
import Schema
import Testing

@testable import Kubelet

/// How the kubelet turns a securityContext into what the runtimes apply (issue 13 item 8), and what the shim is
/// told in its launch file.
@Suite struct ContainerSecurityTests {
    static func container(_ context: SecurityContext?) -> Container {
        Container(name: "app", image: "busybox", securityContext: context)
    }

    @Test func capabilitiesAreTheDefaultSetPlusAddMinusDrop() throws {
        let plain = try ContainerSecurity.resolve(Self.container(nil), pod: PodSpec())
        #expect(plain.capabilities.count == 14)
        #expect(plain.capabilities.contains("CAP_NET_RAW") && !plain.capabilities.contains("CAP_SYS_ADMIN"))
        #expect(plain.seccomp == nil && !plain.noNewPrivileges && !plain.readOnlyRootFilesystem)

        let changed = try ContainerSecurity.resolve(
            Self.container(SecurityContext(capabilities: Capabilities(add: ["NET_ADMIN"], drop: ["mknod"]))),
            pod: PodSpec())
        #expect(changed.capabilities.contains("CAP_NET_ADMIN"))
        #expect(!changed.capabilities.contains("CAP_MKNOD"))
        #expect(changed.capabilityMask == 0xa004_35fb)

        let onlyBind = try ContainerSecurity.resolve(
            Self.container(
                SecurityContext(capabilities: Capabilities(add: ["NET_BIND_SERVICE"], drop: ["ALL"]))),
            pod: PodSpec())
        #expect(onlyBind.capabilities == ["CAP_NET_BIND_SERVICE"])
        #expect(onlyBind.capabilityMask == 1 << 10)

        let privileged = try ContainerSecurity.resolve(
            Self.container(
                SecurityContext(
                    privileged: true, allowPrivilegeEscalation: false,
                    seccompProfile: SeccompProfile(type: "RuntimeDefault"))),
            pod: PodSpec())
        #expect(privileged.capabilities == ContainerSecurity.allCapabilities)
        #expect(privileged.seccomp == nil)
        #expect(!privileged.noNewPrivileges)
    }

    @Test func seccompComesFromTheContainerElseThePod() throws {
        var pod = PodSpec()
        pod.securityContext = PodSecurityContext(seccompProfile: SeccompProfile(type: "RuntimeDefault"))
        #expect(try ContainerSecurity.resolve(Self.container(nil), pod: pod).seccomp == "RuntimeDefault")
        let unconfined = Self.container(SecurityContext(seccompProfile: SeccompProfile(type: "Unconfined")))
        #expect(try ContainerSecurity.resolve(unconfined, pod: pod).seccomp == nil)
        let local = Self.container(
            SecurityContext(seccompProfile: SeccompProfile(type: "Localhost", localhostProfile: "audit.json")))
        #expect(throws: ContainerEnvironment.ConfigError.self) { try ContainerSecurity.resolve(local, pod: pod) }
        let unknown = Self.container(SecurityContext(capabilities: Capabilities(add: ["FLY"])))
        #expect(throws: ContainerEnvironment.ConfigError.self) { try ContainerSecurity.resolve(unknown, pod: pod) }
    }

    @Test func runAsNonRootRefusesRootInKubernetesWords() throws {
        var pod = Pod()
        pod.metadata = ObjectMeta(name: "web", namespace: "default", uid: "u1")
        pod.spec.securityContext = PodSecurityContext(runAsNonRoot: true)
        let c = Self.container(nil)
        #expect(
            throws: ContainerEnvironment.ConfigError(
                "container has runAsNonRoot and image will run as root (pod: \"web_default(u1)\", container: app)")
        ) {
            try ContainerSecurity.checkNonRoot(c, pod: pod, explicitUser: nil, imageUser: nil)
        }
        #expect(
            throws: ContainerEnvironment.ConfigError(
                "container's runAsUser breaks non-root policy (pod: \"web_default(u1)\", container: app)")
        ) {
            try ContainerSecurity.checkNonRoot(c, pod: pod, explicitUser: 0, imageUser: 1000)
        }
        try ContainerSecurity.checkNonRoot(c, pod: pod, explicitUser: nil, imageUser: 65532)
        try ContainerSecurity.checkNonRoot(c, pod: pod, explicitUser: 1000, imageUser: nil)
    }

    @Test func theLaunchFileCarriesTheSecurity() {
        var config = ContainerConfig(
            podUID: "u", podNamespace: "default", podName: "web", name: "app", attempt: 0, argv: ["sh"],
            hostname: "web", logPath: "/tmp/l", image: "busybox",
            security: ContainerSecurity(
                capabilities: ["CAP_NET_BIND_SERVICE"], noNewPrivileges: true, readOnlyRootFilesystem: true,
                seccomp: "RuntimeDefault"))
        let image = ResolvedImage(image: "busybox", imageID: "busybox@sha256:00")
        var tokens = String(
            decoding: ProcessRuntime.launchFile(config: config, image: image, argv: ["sh"]), as: UTF8.self
        )
        .split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        #expect(tokens.contains("caps") && tokens[tokens.firstIndex(of: "caps")! + 1] == "400")
        #expect(tokens.contains("noNewPrivs") && tokens.contains("readOnlyRoot"))
        #expect(tokens[tokens.firstIndex(of: "seccomp")! + 1] == "RuntimeDefault")
        // A config an older kubelet wrote has no security: the shim is told nothing and keeps its old ways.
        config.security = nil
        tokens = String(decoding: ProcessRuntime.launchFile(config: config, image: image, argv: ["sh"]), as: UTF8.self)
            .split(separator: "\0").map(String.init)
        #expect(!tokens.contains("caps") && !tokens.contains("seccomp"))
    }
}

/// The kubelet's webhook-style authorization: one SubjectAccessReview per new question, answers cached.
@Suite struct KubeletAuthorizerTests {
    /// Answers SubjectAccessReviews: allowed for `bob`, counting the questions.
    final class Reviews: APIClient, @unchecked Sendable {
        var asked: [JSONValue] = []

        func call(_ verb: String, _ payload: JSONValue) async throws(APIError) -> APIReply {
            var review = payload["object"] ?? [:]
            asked.append(review)
            review["status"] = ["allowed": .bool(review[path: ["spec", "user"]] == "bob")]
            return APIReply(body: review)
        }
    }

    @Test func askedOnceThenCachedWithKubernetesWords() async throws {
        let reviews = Reviews()
        let authorizer = KubeletAuthorizer(client: reviews)
        let exec = KubeletAuthorizer.Attributes(verb: "create", subresource: "exec", namespace: "default", name: "web")
        #expect(try await authorizer.authorize(user: "bob", groups: ["dev"], exec) == .allowed)
        #expect(try await authorizer.authorize(user: "bob", groups: ["dev"], exec) == .allowed)
        #expect(reviews.asked.count == 1)
        #expect(reviews.asked[0][path: ["spec", "resourceAttributes", "subresource"]] == "exec")
        #expect(reviews.asked[0][path: ["spec", "groups"]] == ["dev"])
        let denied = try await authorizer.authorize(user: "jane", groups: [], exec)
        #expect(
            denied
                == .denied(
                    "pods \"web\" is forbidden: User \"jane\" cannot create resource \"pods/exec\" in API group \"\" in "
                        + "the namespace \"default\""))
        _ = try await authorizer.authorize(user: "jane", groups: [], exec)
        #expect(reviews.asked.count == 2)
    }
}
