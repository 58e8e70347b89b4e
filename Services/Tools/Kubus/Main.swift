import APICLI
import ArgumentParser
import BusCLI
import ControllerCLI
import DNSCLI
import Foundation
import IngressCLI
import KubeletCLI
import NetworkPolicyCLI
import ProxyCLI
import SchedulerCLI
import StoreCLI
import UpCLI
import UpKit

/// `kubus`: the multi-call binary (docs/operations.md). `kubus-bus ARGS` as argv[0] — how kubus-up starts it — or
/// `kubus kubus-bus ARGS` runs that program exactly as its own executable would.
@main
enum KubusMain {
    static func main() async {
        // A service kubus-up's fork server forked has its own arguments; CommandLine.arguments are the zygote's.
        guard let (program, arguments) = MultiCall.invocation(MultiCall.forkedArguments ?? CommandLine.arguments)
        else {
            let usage =
                "usage: kubus PROGRAM [ARGUMENTS...], or run it as PROGRAM (argv[0]); PROGRAM is one of "
                + MultiCall.programs.joined(separator: ", ") + "\n"
            FileHandle.standardError.write(Data(usage.utf8))
            exit(2)
        }
        MultiCall.setProcessName(program)
        switch program {
        case "kubus-up": await UpCommand.main(arguments)
        case "kubus-bus": await BusMain.main(arguments)
        case "kubus-store": await StoreCommand.main(arguments)
        case "kubus-api": await APICommand.main(arguments)
        case "kubus-scheduler": await SchedulerCommand.main(arguments)
        case "kubus-kubelet": await KubeletCommand.main(arguments)
        case "kubus-controller": await ControllerCommand.main(arguments)
        case "kubus-proxy": await ProxyCommand.main(arguments)
        case "kubus-netpol": await NetworkPolicyCommand.main(arguments)
        case "kubus-dns": await DNSCommand.main(arguments)
        case "kubus-ingress": await IngressCommand.main(arguments)
        default:
            FileHandle.standardError.write(Data("kubus: \(program) is listed as hosted but not built in\n".utf8))
            exit(2)
        }
    }
}
