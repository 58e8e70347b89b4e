public import ArgumentParser

/// The subcommand names of a command, as a tree: what `GlobalFlagHoister` walks to find where options go.
public struct CommandTree: Sendable, Hashable {
    /// The command's name and aliases.
    public var names: [String]
    /// Its subcommands.
    public var children: [CommandTree]

    /// A tree given by hand (tests).
    public init(names: [String], children: [CommandTree] = []) {
        self.names = names
        self.children = children
    }

    /// The tree of an argument-parser command and its subcommands.
    public init(_ command: any ParsableCommand.Type) {
        let configuration = command.configuration
        names = [configuration.commandName ?? String(describing: command).lowercased()] + configuration.aliases
        children = configuration.subcommands.map { CommandTree($0) }
    }
}

/// Moves kubectl's global flags written before the verb (`kubusctl -n kube-system get pods`) after the
/// subcommand path, where swift-argument-parser can read them (it parses options only after the command
/// that declares them, and every kubusctl command declares `GlobalOptions`).
///
/// Global flags: `-n/--namespace`, `--bus` and its kubectl spelling `-s/--server`, `--request-timeout`, `--bus-key`,
/// `--as`, `--as-group`, `--token`, `--kubeconfig` and `--context`, in the
/// forms `-n x`, `-nx`, `-n=x`, `--namespace x` and `--namespace=x`. Moved flags are written as
/// `--namespace=x`; attached short forms after the verb (`-nx`) are rewritten the same way, since the parser
/// does not read them. Nothing after `--` is touched.
public enum GlobalFlagHoister {
    /// What the rewrite found.
    public struct Result: Sendable, Hashable {
        /// The arguments to parse.
        public var arguments: [String]
        /// The subcommand path (`["rollout", "status"]`), for messages.
        public var path: [String]
    }

    /// A global flag: its spellings, and the one it is rewritten to.
    struct Flag {
        var short: Character?
        var longs: [String]
        var canonical: String
    }

    static let flags: [Flag] = [
        Flag(short: "n", longs: ["--namespace"], canonical: "--namespace"),
        Flag(short: "s", longs: ["--bus", "--server"], canonical: "--bus"),
        Flag(short: nil, longs: ["--request-timeout"], canonical: "--request-timeout"),
        Flag(short: nil, longs: ["--bus-key"], canonical: "--bus-key"),
        Flag(short: nil, longs: ["--as"], canonical: "--as"),
        Flag(short: nil, longs: ["--as-group"], canonical: "--as-group"),
        Flag(short: nil, longs: ["--token"], canonical: "--token"),
        Flag(short: nil, longs: ["--kubeconfig"], canonical: "--kubeconfig"),
        Flag(short: nil, longs: ["--context"], canonical: "--context"),
    ]

    /// Rewrites `arguments` (without the program name) for `tree`.
    public static func rewrite(_ arguments: [String], tree: CommandTree) -> Result {
        var globals: [String] = []
        var path: [String] = []
        var node = tree
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if let (flag, value, consumed) = match(arguments, at: index) {
                globals.append("\(flag.canonical)=\(value)")
                index += consumed
                continue
            }
            if let child = node.children.first(where: { $0.names.contains(argument) }) {
                path.append(argument)
                node = child
                index += 1
                continue
            }
            break
        }
        var rest: [String] = []
        var terminated = false
        for argument in arguments[index...] {
            if argument == "--" { terminated = true }
            if !terminated, let attached = attachedShort(argument) {
                rest.append(attached)
            } else {
                rest.append(argument)
            }
        }
        return Result(arguments: path + globals + rest, path: path)
    }

    /// A global flag at `index` with its value and how many arguments it takes; nil when there is none (or
    /// its value is missing, which the parser then reports).
    static func match(_ arguments: [String], at index: Int) -> (Flag, String, Int)? {
        let argument = arguments[index]
        for flag in flags {
            for long in flag.longs {
                if argument == long {
                    guard index + 1 < arguments.count else { return nil }
                    return (flag, arguments[index + 1], 2)
                }
                if argument.hasPrefix(long + "=") { return (flag, String(argument.dropFirst(long.count + 1)), 1) }
            }
            guard let short = flag.short else { continue }
            if argument == "-\(short)" {
                guard index + 1 < arguments.count else { return nil }
                return (flag, arguments[index + 1], 2)
            }
            if let value = attachedValue(argument, short: short) { return (flag, value, 1) }
        }
        return nil
    }

    /// `-nx` or `-n=x` as `--namespace=x`; nil for anything else.
    static func attachedShort(_ argument: String) -> String? {
        for flag in flags {
            guard let short = flag.short, let value = attachedValue(argument, short: short) else { continue }
            return "\(flag.canonical)=\(value)"
        }
        return nil
    }

    private static func attachedValue(_ argument: String, short: Character) -> String? {
        let prefix = "-\(short)"
        guard argument.hasPrefix(prefix), argument.count > 2 else { return nil }
        var value = argument.dropFirst(2)
        if value.first == "=" { value = value.dropFirst() }
        return value.isEmpty ? nil : String(value)
    }
}
