import ArgumentParser
import Testing

@testable import KubusCtl

@Suite struct InvocationTests {
    let tree = CommandTree(KubusCtlCommand.self)

    func rewrite(_ text: String) -> [String] {
        GlobalFlagHoister.rewrite(text.split(separator: " ").map(String.init), tree: tree).arguments
    }

    @Test func globalFlagsBeforeTheVerbMoveAfterTheSubcommandPath() {
        #expect(rewrite("-n kube-system get pods") == ["get", "--namespace=kube-system", "pods"])
        #expect(rewrite("--namespace=demo get pods") == ["get", "--namespace=demo", "pods"])
        #expect(rewrite("--bus tcp://h:1 -n ns logs p") == ["logs", "--bus=tcp://h:1", "--namespace=ns", "p"])
        #expect(rewrite("-s tcp://h:1 get po") == ["get", "--bus=tcp://h:1", "po"])
        #expect(rewrite("--server=tcp://h:1 get po") == ["get", "--bus=tcp://h:1", "po"])
        #expect(rewrite("--request-timeout 5s get po") == ["get", "--request-timeout=5s", "po"])
        #expect(rewrite("-n x rollout status deploy/web") == ["rollout", "status", "--namespace=x", "deploy/web"])
        #expect(rewrite("rollout -n x status deploy/web") == ["rollout", "status", "--namespace=x", "deploy/web"])
        #expect(rewrite("-nkube-system get pods") == ["get", "--namespace=kube-system", "pods"])
        #expect(rewrite("-n=kube-system get pods") == ["get", "--namespace=kube-system", "pods"])
    }

    @Test func argumentsAfterTheVerbStayButAttachedShortFormsAreSpelledOut() {
        #expect(rewrite("get pods -n demo -l app=web") == ["get", "pods", "-n", "demo", "-l", "app=web"])
        #expect(rewrite("get pods -ndemo") == ["get", "pods", "--namespace=demo"])
        #expect(rewrite("exec p -n demo -- ls -nfoo") == ["exec", "p", "-n", "demo", "--", "ls", "-nfoo"])
        #expect(rewrite("-n x exec p -- sh -c -n") == ["exec", "--namespace=x", "p", "--", "sh", "-c", "-n"])
        // A missing value is left for the parser to report.
        #expect(rewrite("get pods -n") == ["get", "pods", "-n"])
        #expect(rewrite("-n") == ["-n"])
        // An unknown flag before the verb stops the walk: the parser reports it.
        #expect(rewrite("-A get pods") == ["-A", "get", "pods"])
    }

    @Test func thePathIsReported() {
        let result = GlobalFlagHoister.rewrite(["-n", "x", "create", "secret", "tls", "s"], tree: tree)
        #expect(result.path.prefix(2) == ["create", "secret"])
    }

    @Test func parsedCommandsSeeTheHoistedFlags() throws {
        let command = try KubusCtlCommand.parseAsRoot(rewrite("-n kube-system --request-timeout 3 get pods -l app=web"))
        let get = try #require(command as? GetCommand)
        #expect(get.global.namespace == "kube-system")
        #expect(get.global.requestDuration == .seconds(3))
        #expect(get.selector == "app=web")
        #expect(get.arguments == ["pods"])
        let server = try #require(try KubusCtlCommand.parseAsRoot(rewrite("-s tcp://h:9 get po")) as? GetCommand)
        #expect(server.global.bus == "tcp://h:9")
    }

    @Test func selectorIsDashLNeverDashS() throws {
        for verb in [
            "get pods", "delete pods", "describe pods", "logs", "label pods a=b", "annotate pods a=b",
            "scale deploy --replicas 1", "wait pods --for=delete", "rollout status deploy", "cordon", "uncordon",
        ] {
            let args = verb.split(separator: " ").map(String.init)
            let parsed = try KubusCtlCommand.parseAsRoot(args + ["-l", "a=b", "-s", "tcp://x:1"])
            let mirror = Mirror(reflecting: parsed)
            #expect(mirror.children.contains { $0.label == "_selectorOption" || $0.label == "_selection" }, "\(verb)")
        }
        #expect(throws: (any Error).self) { try KubusCtlCommand.parseAsRoot(["get", "pods", "-s"]) }
    }

    @Test func usageErrorsReadLikeKubectls() {
        #expect(UsageErrorText.translate("Unknown option '-x'") == "unknown shorthand flag: 'x' in -x")
        #expect(UsageErrorText.translate("Unknown option '--foo'. Did you mean '--force'?") == "unknown flag: --foo")
        #expect(UsageErrorText.translate("Missing value for '-n <namespace>'") == "flag needs an argument: 'n' in -n")
        #expect(
            UsageErrorText.translate("Missing value for '--selector <selector>'")
                == "flag needs an argument: --selector")
        #expect(
            UsageErrorText.translate("The value 'x' is invalid for '--replicas <replicas>'")
                == "invalid argument \"x\" for \"--replicas\" flag")
        #expect(
            UsageErrorText.translate("The value '5' is invalid for '--timeout <duration>'")
                == "invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\" "
                + "(a Go duration such as 30s, 2m, 1h30m or 500ms, or 0)")
        #expect(
            UsageErrorText.format("Unknown option '-x'", path: ["get"])
                == "error: unknown shorthand flag: 'x' in -x\nSee 'kubusctl get --help' for usage.")
    }

    @Test func parseErrorsExitOneAndHelpExitsZero() async {
        #expect(await KubusCtlCommand.run(arguments: ["get", "pods", "-x"]) == 1)
        #expect(await KubusCtlCommand.run(arguments: ["no-such-verb"]) == 1)
        #expect(await KubusCtlCommand.run(arguments: ["wait", "pod/x", "--timeout", "5"]) == 1)
        #expect(await KubusCtlCommand.run(arguments: ["get", "--help"]) == 0)
        #expect(await KubusCtlCommand.run(arguments: ["-n", "x", "--help"]) == 0)
    }

    @Test func unknownVerbsAreNamed() {
        let text = KubusCtlCommand.usageError(
            (try? KubusCtlCommand.parseAsRoot(["frobnicate"])).map { _ in CtlError("") } ?? parseError(["frobnicate"]),
            path: [])
        #expect(text.hasPrefix("error: unknown command \"frobnicate\" for \"kubusctl\""))
    }

    func parseError(_ arguments: [String]) -> any Error {
        do {
            _ = try KubusCtlCommand.parseAsRoot(arguments)
            return CtlError("parsed")
        } catch {
            return error
        }
    }
}
