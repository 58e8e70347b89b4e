// Replaced by the real command once SchedulerService lands.
@main
struct SchedulerCommand {
    static func main() {}
}
