import ArgumentParser
import SchedulerCLI

/// `kubus-scheduler`: the command line lives in `SchedulerCLI`, which the multi-call `kubus` binary hosts too.
@main
struct Main {
    static func main() async { await SchedulerCommand.main() }
}
