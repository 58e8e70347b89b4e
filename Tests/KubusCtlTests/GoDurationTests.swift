import ArgumentParser
import Testing

@testable import KubusCtl

@Suite struct GoDurationTests {
    @Test func goSyntax() throws {
        #expect(try GoDuration.parse("0", flag: "--timeout").limit == nil)
        #expect(try GoDuration.parse("90s", flag: "--timeout").duration == .seconds(90))
        #expect(try GoDuration.parse("180s", flag: "--timeout").duration == .seconds(180))
        #expect(try GoDuration.parse("2m", flag: "--timeout").duration == .seconds(120))
        #expect(try GoDuration.parse("1h30m", flag: "--timeout").duration == .seconds(5400))
        #expect(try GoDuration.parse("1m30s", flag: "--timeout").duration == .seconds(90))
        #expect(try GoDuration.parse("500ms", flag: "--timeout").duration == .milliseconds(500))
        #expect(try GoDuration.parse("1.5s", flag: "--timeout").duration == .milliseconds(1500))
        #expect(try GoDuration.parse("10us", flag: "--timeout").duration == .microseconds(10))
        #expect(try GoDuration.parse("-1s", flag: "--timeout").limit == nil)
        #expect(try GoDuration.parse("2m", flag: "--timeout").text == "2m")
    }

    @Test func errorsNameTheFlagAndTheAllowedForms() {
        #expect(
            throws: CtlError(
                "invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\" "
                    + "(a Go duration such as 30s, 2m, 1h30m or 500ms, or 0)")
        ) { try GoDuration.parse("5", flag: "--timeout") }
        #expect(
            throws: CtlError(
                "invalid argument \"3d\" for \"--timeout\" flag: time: unknown unit \"d\" in duration \"3d\" "
                    + "(a Go duration such as 30s, 2m, 1h30m or 500ms, or 0)")
        ) { try GoDuration.parse("3d", flag: "--timeout") }
        #expect(throws: CtlError.self) { try GoDuration.parse("5 minutes", flag: "--timeout") }
        #expect(throws: CtlError.self) { try GoDuration.parse("", flag: "--timeout") }
        #expect(throws: CtlError.self) { try GoDuration.parse("s", flag: "--timeout") }
        #expect(GoDuration(argument: "abc") == nil)
        #expect(GoDuration(argument: "45s")?.duration == .seconds(45))
    }

    @Test func requestTimeoutTakesBareSeconds() throws {
        #expect(try GoDuration.parse("5", flag: "--request-timeout", bareIntegerSeconds: true).duration == .seconds(5))
        #expect(try GoDuration.parse("5s", flag: "--request-timeout", bareIntegerSeconds: true).duration == .seconds(5))
        #expect(try GoDuration.parse("0", flag: "--request-timeout", bareIntegerSeconds: true).limit == nil)
        #expect(throws: CtlError.self) {
            try GoDuration.parse("-5", flag: "--request-timeout", bareIntegerSeconds: true)
        }
    }

    @Test func parsedAsAnOption() throws {
        let wait = try WaitCommand.parse(["pod/x", "--for=delete", "--timeout", "2m"])
        #expect(wait.timeout.duration == .seconds(120))
        let global = try GlobalOptions.parse(["--request-timeout", "7"])
        #expect(global.requestDuration == .seconds(7))
        #expect(try GlobalOptions.parse([]).requestDuration == .seconds(15))
        #expect(try GlobalOptions.parse(["--request-timeout=0"]).requestDuration == .seconds(86_400))
        #expect(throws: (any Error).self) { try WaitCommand.parse(["pod/x", "--timeout", "5"]) }
    }
}
