import ArgumentParser
import StoreCLI

/// `kubus-store`: the command line lives in `StoreCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await StoreCommand.main() }
}
