import ArgumentParser
import UpCLI

/// `kubus-up`: the command line lives in `UpCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await UpCommand.main() }
}
