import ArgumentParser
import ControllerCLI

/// `kubus-controller`: the command line lives in `ControllerCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await ControllerCommand.main() }
}
