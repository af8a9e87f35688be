// The help texts of resnetc and its subcommands.

/// Thrown by a subcommand given `--help`; main prints the text and exits 0.
struct HelpRequested: Error {
    var text: String
}

enum Help {
    static let overview = """
        resnetc: a compiler for residual networks.

        USAGE: resnetc <command> [options]

        COMMANDS:
          compile   Compile a .net file into a .rnc model
          run       Run a model (.rnc or .net) on an input and print the top classes
          inspect   Show a model's layers, parameters, FLOPs and memory
          bench     Measure a model's latency
          eval      Measure a model's accuracy over a labelled dataset
          graph     Print a network's IR before or after the passes, as text or Graphviz DOT

        Run 'resnetc <command> --help' for a command's options; 'resnetc --version' for the version.
        """

    /// Options shared by every command that accepts a .net file.
    static let sourceOptions = """
          --weights W.safetensors  Weights with torchvision state_dict names (default: seeded synthetic)
          --batch N                Override the input's batch size
          --define NAME=VALUE      Override a network `param` (repeatable)
          --seed N                 Seed of the synthetic weights (default 0)
          --passes LIST            Run only these passes, in this order (comma-separated)
          --disable-pass NAME      Skip one pass of the default pipeline (repeatable)
          -O0                      Run no passes
          --print-after NAME|all   Print the IR after a pass (or after every pass)
        """

    static let compile = """
        USAGE: resnetc compile NET.net [--weights W.safetensors] [--batch N] [-o MODEL.rnc] [--dump-ir]

        Compiles a network description into a .rnc model file.

        OPTIONS:
          -o, --output MODEL.rnc   Where to write the model (default: NET.rnc in the current directory)
          --dump-ir                Print the IR that is lowered
        \(sourceOptions)
        """

    static let run = """
        USAGE: resnetc run MODEL.rnc|NET.net [--weights W] [--input X.npy] [--output Y.npy] [--top K] [--threads N]

        Runs a model once and prints the top-K classes of each output row.

        OPTIONS:
          --input X.npy            Input tensor (float32, C order); default: a seeded synthetic input
          --output Y.npy           Write the first output here
          --top K                  How many classes to print (default 5)
          --threads N              Worker threads (default: available cores)
        \(sourceOptions)
        """

    static let inspect = """
        USAGE: resnetc inspect MODEL.rnc|NET.net [--json] [--memory]

        Lists a model's steps and reports its output shape, parameters, FLOPs and activation memory
        (the planned arena, the sum of all activations, and the lower bound: the most bytes live at
        one step).

        OPTIONS:
          --json                   Print one JSON object instead of a table
          --memory                 Also list every buffer: its offset in the arena and its lifetime
        \(sourceOptions)
        """

    static let bench = """
        USAGE: resnetc bench MODEL.rnc|NET.net [--weights W] [--threads N] [--iterations N] [--json]

        Measures latency over N runs after a warm-up.

        OPTIONS:
          --threads N              Worker threads (default: available cores)
          --iterations N           Timed runs (default 20)
          --warmup N               Untimed runs first (default 3)
          --json                   Print one JSON object
        \(sourceOptions)
        """

    static let graph = """
        USAGE: resnetc graph NET.net [--after PASS|none] [--dot] [-o FILE]

        Prints the network's IR after the passes (by default all of them), as text or as Graphviz
        DOT with shapes on the edges and fused epilogues inside the conv boxes:
          resnetc graph Graphs/resnet18.net --after none --dot | dot -Tsvg -o before.svg

        OPTIONS:
          --after PASS|none        Stop after this pass ('none': the graph as written)
          --dot                    Print Graphviz DOT instead of the IR text
          -o, --output FILE        Write to FILE instead of standard output
          --batch N, --define NAME=VALUE, --passes LIST, --disable-pass NAME, -O0
                                   As for compile
        """

    static let eval = """
        USAGE: resnetc eval MODEL.rnc|NET.net --dataset IMAGES.npy --targets CLASSES.npy [--json]

        Runs the model over every sample and prints its top-1 and top-5 accuracy:
          resnetc eval Graphs/digits_resnet.net --weights Graphs/digits_resnet.safetensors \\
              --dataset Graphs/digits_test_images.npy --targets Graphs/digits_test_labels.npy

        OPTIONS:
          --dataset IMAGES.npy     Samples, shape [N, ...] where ... is the model input without its batch
          --targets CLASSES.npy    The true class of each sample, shape [N] (integers)
          --predictions OUT.npy    Write each sample's arg-max class here
          --threads N              Worker threads (default: available cores)
          --json                   Print one JSON object (samples, top1, top5, counts)
        \(sourceOptions)
        """
}
