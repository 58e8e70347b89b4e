@main
struct DNSCommand {
    static func main() {}
}
