import ArgumentParser
import NetworkPolicyCLI

/// `kubus-netpol`: the command line lives in `NetworkPolicyCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await NetworkPolicyCommand.main() }
}
