import KubusCtl

/// The `kubusctl` executable: everything lives in the KubusCtl library.
@main
enum KubusCtlMain {
    static func main() async {
        await KubusCtlCommand.main()
    }
}
