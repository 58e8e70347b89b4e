import ArgumentParser

/// `-l, --selector`: the label selector of every command that takes one, as in kubectl (`-s` is `--server`).
struct SelectorOption: ParsableArguments {
    @Option(
        name: [.customShort("l"), .customLong("selector")],
        help: ArgumentHelp(
            "Label selector to filter on: '=', '==', '!=', 'in', 'notin' and '!' (e.g. -l app=web,tier!=db).",
            valueName: "selector"))
    var selector: String?

    init() {}
}
