import ArgumentParser
import BusCLI

/// `kubus-bus`: the command line lives in `BusCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await BusMain.main() }
}
