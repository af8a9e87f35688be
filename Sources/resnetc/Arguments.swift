// A small command-line parser: positional arguments, `--flag`, `--option value`,
// with "did you mean" for misspelled options and typed accessors that report bad values.
import ResNetCompiler

/// A usage error: printed with the command's name, exits with status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The parsed arguments of one subcommand.
struct Arguments {
    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `args` given which options take a value and which are bare flags.
    init(_ args: [String], options: [String], flags knownFlags: [String]) throws(UsageError) {
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "--" {
                positionals.append(contentsOf: args[i...])
                break
            }
            guard arg.hasPrefix("-"), arg.count > 1 else {
                positionals.append(arg)
                continue
            }
            var name = arg
            var inlineValue: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            if knownFlags.contains(name) {
                guard inlineValue == nil else { throw UsageError(description: "option '\(name)' takes no value") }
                flags.insert(name)
            } else if options.contains(name) {
                if let v = inlineValue {
                    values[name, default: []].append(v)
                } else {
                    guard i < args.count else { throw UsageError(description: "option '\(name)' needs a value") }
                    values[name, default: []].append(args[i])
                    i += 1
                }
            } else {
                var message = "unknown option '\(name)'"
                if let near = nearestName(to: name, in: options + knownFlags) {
                    message += "; did you mean '\(near)'?"
                }
                throw UsageError(description: message)
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value given for an option.
    func string(_ name: String) -> String? { values[name]?.last }

    /// Every value given for a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// An integer option within `range`, or nil when absent.
    func int(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = values[name]?.last else { return nil }
        guard let value = Int(text) else {
            throw UsageError(description: "option '\(name)' expects an integer, found '\(text)'")
        }
        guard range.contains(value) else {
            throw UsageError(description: "option '\(name)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// Exactly one positional argument (the model), or a usage error naming what is missing.
    func single(_ what: String) throws(UsageError) -> String {
        guard let first = positionals.first else { throw UsageError(description: "missing \(what)") }
        guard positionals.count == 1 else {
            throw UsageError(description: "unexpected argument '\(positionals[1])'")
        }
        return first
    }
}

/// The closest candidate by edit distance, if it is close enough to be a plausible typo.
func nearestName(to name: String, in candidates: [String]) -> String? {
    Suggestion.closest(to: name, in: candidates, limit: max(2, name.count / 3))
}
