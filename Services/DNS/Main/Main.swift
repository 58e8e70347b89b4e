import ArgumentParser
import DNSCLI

/// `kubus-dns`: the command line lives in `DNSCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await DNSCommand.main() }
}
