import ArgumentParser
import IngressCLI

/// `kubus-ingress`: the command line lives in `IngressCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await IngressCommand.main() }
}
