import APICLI
import ArgumentParser

/// `kubus-api`: the command line lives in `APICLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await APICommand.main() }
}
