// The help texts of resnetc and its subcommands.
import ResNetCompiler

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
          tune      Time each conv's kernel choices on this machine; store the fastest in a .rnc
          eval      Measure a model's accuracy over a labelled dataset
          graph     Print a network's IR before or after the passes, as text or Graphviz DOT
          import    Import an ONNX model (ResNet family) as a .net file and safetensors weights

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
          --layout nchw|blocked    Activation layout: 'blocked' stores conv outputs channel-blocked
                                   (nChw16c) wherever the runtime allows (default \(defaultLayout))
        """

    /// The `--layout` default, as the compiler has it.
    static let defaultLayout = LoweringOptions.blockedLayoutByDefault ? "blocked" : "nchw"

    /// `--profile` and `--trace`, shared by run and bench.
    static let profileOptions = """
          --profile                Print each step's time (mean ms per run, share, GFLOP/s) and a
                                   summary by op kind; a conv's pre-pass counts in its row
          --trace FILE.json        Write a Chrome trace (chrome://tracing, ui.perfetto.dev): each
                                   run, step and worker's share of a step on a timeline
        """

    /// `--threads` and the kernel choices, shared by run, bench and eval (`KernelFlags`).
    static let kernelOptions = """
          --threads N              Worker threads (default: available cores)
          --schedule NAME          3x3 convs: auto (default), direct, winograd2 (F(2,3), stride 1 or 2) or
                                   winograd4 (F(4,3); stride 2: F(2,3)) wherever they apply
          --no-winograd            Same as --schedule direct
          --whole-batch            Run a batch step by step over all its images (default: each worker
                                   takes whole images, when the batch is at least the thread count)
        """

    static let compile = """
        USAGE: resnetc compile NET.net [--weights W.safetensors] [--batch N] [-o MODEL.rnc] [--labels FILE] [--dump-ir]

        Compiles a network description into a .rnc model file. The model keeps the network's
        `preprocess` recipe and `labels` (class names), so `run` can read images and name classes.

        OPTIONS:
          -o, --output MODEL.rnc   Where to write the model (default: NET.rnc in the current directory)
          --labels FILE            Class names, one per line, replacing the network's `labels`
          --dump-ir                Print the IR that is lowered
        \(sourceOptions)
        """

    static let run = """
        USAGE: resnetc run MODEL.rnc|NET.net [--weights W] [--input X.npy|IMAGE] [--output Y.npy] [--top K] [--json] [--threads N]
                           [--profile] [--trace FILE.json]

        Runs a model once and prints the top-K classes of each output row: rank, class index,
        score, softmax probability and, when the model has labels, the class name:
          resnetc run Graphs/digits_resnet.net --weights Graphs/digits_resnet.safetensors \\
              --input Graphs/digits_images/digit_00.png

        OPTIONS:
          --input X.npy|IMAGE      A tensor (.npy, float32, C order) or an image (.png, .ppm, .pgm, .pnm)
                                   read through the model's `preprocess`; default: a seeded synthetic input
          --preprocess none        Feed the image's pixel values (0…255) as they are
          --labels FILE            Class names, one per line (replaces the model's own)
          --output Y.npy           Write the first output here
          --top K                  How many classes to print (default 5)
          --json                   Print one JSON object: each output's name, shape and ranked classes
        \(kernelOptions)
        \(profileOptions)
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
                             [--profile] [--trace FILE.json]
               resnetc bench MODEL.rnc --load [--threads N] [--iterations N] [--json]
               resnetc bench MODEL --versus OTHER [--threads N] [--iterations N] [--json]

        Measures latency over N runs after a warm-up. With --load, measures instead how long a
        .rnc file takes to become runnable: mapping and checking it (Model) plus binding a
        Session, with the file in the page cache. --profile and --trace cover the timed runs
        only, not the warm-up.

        OPTIONS:
          --load                   Time loading the .rnc file, not running it
          --versus OTHER           Also run OTHER (.rnc or .net, same inputs), one run of each in turn,
                                   and print both medians and the median per-pair ratio
        \(kernelOptions)
          --iterations N           Timed runs or loads (default 20)
          --warmup N               Untimed runs or loads first (default 3)
          --json                   Print one JSON object (with --profile: its rows under "profile")
        \(profileOptions)
        \(sourceOptions)
        """

    static let tune = """
        USAGE: resnetc tune MODEL.rnc|NET.net -o OUT.rnc [--threads N] [--rounds N] [--runs N] [--margin PCT]
                            [--json]

        Times every convolution under each kernel choice that changes it (the reduction slice of
        the direct kernels: 16 KiB, 64 KiB or one pass; for 3x3 convs: direct, F(2,3) or F(4,3),
        at stride 2 direct or F(2,3)), one run of each choice in turn, and picks per conv the
        fastest best time if it beats the default by the margin (3 %; raise it on a noisy
        machine). Then it runs the whole model with the picks and without, in turn, and writes
        it with the picks stored in its plan only if that was faster; run, bench and eval use
        them (a --schedule given to them still wins). Tune on the machine, and for the thread
        count, that will run the model.

        OPTIONS:
          -o, --output FILE.rnc    Where to write the tuned model (required)
          --threads N              Worker threads to tune for (default: available cores)
          --rounds N               Rounds, each reported as it starts (default 3)
          --runs N                 Runs of every choice per round, taken in turn; a conv's time is
                                   its best run (default 5)
          --margin PCT             How much faster than the default a choice must be (default 3)
          --json                   Print one JSON object: the verdict per conv
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
               resnetc eval MODEL.rnc|NET.net --dataset DIR [--labels-csv FILE] [--json]

        Runs the model over every sample and prints its top-1 and top-5 accuracy:
          resnetc eval Graphs/digits_resnet.net --weights Graphs/digits_resnet.safetensors \\
              --dataset Graphs/digits_test_images.npy --targets Graphs/digits_test_labels.npy
          resnetc eval Graphs/digits_resnet.net --weights Graphs/digits_resnet.safetensors \\
              --dataset Graphs/digits_images

        OPTIONS:
          --dataset IMAGES.npy     Samples, shape [N, ...] where ... is the model input without its batch
          --targets CLASSES.npy    The true class of each sample, shape [N] (integers)
          --dataset DIR            A folder of images, read through the model's `preprocess`
          --labels-csv FILE        Rows 'file,label' after a 'file,label' header; file is relative to
                                   DIR, label a class index or name (default: DIR/labels.csv)
          --preprocess none        Feed the images' pixel values (0…255) as they are
          --predictions OUT.npy    Write each sample's arg-max class here
        \(kernelOptions)
          --json                   Print one JSON object (samples, top1, top5, counts)
        \(sourceOptions)
        """

    static let importModel = """
        USAGE: resnetc import MODEL.onnx [-o NET.net] [--weights W.safetensors]

        Imports an ONNX model of the ResNet family (opsets 11 to 20, as torch.onnx.export writes
        them) as a readable .net file and its weights; layers keep torchvision's names when the
        model's initializers carry them. See Docs/ONNX.md for the operators and the limits.
          resnetc import resnet50.onnx -o resnet50.net
          resnetc run resnet50.net --weights resnet50.safetensors --input image.npy

        OPTIONS:
          -o, --output NET.net       Where to write the network (default: MODEL.net in the current directory)
          --weights W.safetensors    Where to write the weights (default: NET.safetensors next to NET.net)
        """
}
