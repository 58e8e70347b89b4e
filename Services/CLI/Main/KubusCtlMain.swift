import Foundation
import KubusCtl

/// The `kubusctl` executable: everything lives in the KubusCtl library.
@main
enum KubusCtlMain {
    static func main() async {
        exit(await KubusCtlCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
