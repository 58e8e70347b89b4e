import ArgumentParser
import KubeletCLI

/// `kubus-kubelet`: the command line lives in `KubeletCLI`, where tests reach it and which the multi-call `kubus`
/// binary hosts too.
@main
struct Main {
    static func main() async { await KubeletCommand.main() }
}
