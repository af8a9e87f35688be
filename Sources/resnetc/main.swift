// resnetc's entry point: picks the subcommand, prints its errors, sets the exit status.
import Foundation
import ResNetRuntime

let commands: [String: ([String]) throws -> Void] = [
    "compile": CompileCommand.run,
    "run": RunCommand.run,
    "inspect": InspectCommand.run,
    "bench": BenchCommand.run,
    "tune": TuneCommand.run,
    "graph": GraphCommand.run,
    "eval": EvalCommand.run,
    "import": ImportCommand.run,
]

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
    print(Help.overview)
    exit(arguments.isEmpty ? 2 : 0)
}
if name == "--version" {
    print("resnetc \(ResNetRuntimeInfo.version)")
    exit(0)
}
guard let command = commands[name] else {
    var message = "resnetc: error: unknown command '\(name)'"
    if let near = nearestName(to: name, in: commands.keys.sorted()) { message += "; did you mean '\(near)'?" }
    printError(message + "\n\n" + Help.overview)
    exit(2)
}
do {
    try command(Array(arguments.dropFirst()))
} catch let error as UsageError {
    printError("resnetc \(name): error: \(error.description)\nSee 'resnetc \(name) --help'.")
    exit(2)
} catch let error as HelpRequested {
    print(error.text)
    exit(0)
} catch {
    printError(String(describing: error))
    exit(1)
}
