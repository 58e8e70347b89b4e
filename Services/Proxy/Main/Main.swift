import ArgumentParser
import ProxyCLI

/// `kubus-proxy`: the command line lives in `ProxyCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await ProxyCommand.main() }
}
