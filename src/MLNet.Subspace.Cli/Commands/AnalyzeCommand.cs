using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace analyze</c>: analyse trained weights (one file, several epochs, or a snapshot folder).</summary>
internal static partial class AnalyzeCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var weights = new Option<string[]>("--weights") { Description = "Weights files in epoch order, the last being the final model (TorchSharp .pt, PyTorch state_dict .pth, .safetensors); repeatable.", AllowMultipleArgumentsPerToken = true };
        var snapshots = new Option<string?>("--snapshots") { Description = "A snapshot folder written by 'subspace train' (epoch-NNN.pt files), instead of --weights." };
        var onnx = new Option<string?>("--onnx") { Description = "An ONNX network (NCHW float input) instead of zoo weights; probes are resized to its input. See docs/onnx.md." };
        var onnxOps = new Option<string[]>("--onnx-op") { Description = "With --onnx: read the nodes of these op types (Conv, Relu, Add, Gemm, MatMul...; repeatable); default Conv. --layer names nodes instead.", AllowMultipleArgumentsPerToken = true };
        var onnxPattern = new Option<string?>("--onnx-pattern") { Description = "With --onnx: read the nodes whose name or output matches this regular expression (whole name)." };
        var onnxInput = new Option<string?>("--onnx-input") { Description = "With --onnx: the model's input shape C,H,W when the file leaves it dynamic (e.g. 3,224,224)." };
        var onnxNormalize = new Option<OnnxInputNormalization>("--onnx-normalize") { Description = "With --onnx: normalise probe values in [0, 1] before the network: none or imagenet.", DefaultValueFactory = _ => OnnxActivationOptions.Defaults.Normalization };
        var onnxPooling = new Option<ActivationPooling>("--onnx-pooling") { Description = "With --onnx: flatten each layer (C*H*W per probe) or global-average it (C per probe).", DefaultValueFactory = _ => OnnxActivationOptions.Defaults.Pooling };
        var onnxScores = new Option<string?>("--onnx-score-output") { Description = "With --onnx: the output holding the class logits; default the model's first output." };
        var onnxProbabilities = new Option<bool>("--onnx-probabilities") { Description = "With --onnx: the score output already holds probabilities (no softmax)." };
        var output = new Option<string>("--out") { Description = "Run folder: tables (CSV), figures (SVG), report.html. Re-running resumes it.", Required = true };
        var run = RunOptions.Create();
        var cluster = new ClusterOption();
        var command = new Command("analyze", "Analyse trained weights of a zoo network, or an ONNX network, on probe inputs from the test split: every analysis and report.html.")
        {
            data, weights, snapshots, onnx, onnxOps, onnxPattern, onnxInput, onnxNormalize, onnxPooling, onnxScores, onnxProbabilities, output,
        };
        run.AddTo(command, training: false);
        cluster.AddTo(command);
        command.SetAction(result =>
        {
            var options = run.Read(result);
            using var session = cluster.Connect(result, result.GetValue(output)!, options);
            string? onnxFile = result.GetValue(onnx);
            if (onnxFile is not null)
            {
                if (result.GetValue(weights) is { Length: > 0 } || result.GetValue(snapshots) is not null)
                    throw new ArgumentException("Give one model source: --weights (one or more files), --snapshots (a folder) or --onnx (a model file).");
                var onnxOptions = new OnnxActivationOptions
                {
                    OpTypes = result.GetValue(onnxOps) is { Length: > 0 } ops ? ops : null,
                    LayerPattern = result.GetValue(onnxPattern),
                    ModelInputShape = result.GetValue(onnxInput) is { } shape ? InputShape(shape) : null,
                    Normalization = result.GetValue(onnxNormalize),
                    Pooling = result.GetValue(onnxPooling),
                    ScoreOutputName = result.GetValue(onnxScores),
                    ScoresAreProbabilities = result.GetValue(onnxProbabilities),
                };
                var onnxTest = DataOption.Load(result.GetValue(data)!, train: false);
                var analysed = RunConsole.WithProgress(p => AnalysisRun.AnalyzeOnnx(new MLContext(options.Seed), onnxFile, onnxOptions, onnxTest, result.GetValue(output)!, options, p));
                RunConsole.Summary(analysed);
                session?.Summary();
                return 0;
            }
            var files = Snapshots(result.GetValue(weights), result.GetValue(snapshots));
            var test = DataOption.Load(result.GetValue(data)!, train: false);
            var outcome = RunConsole.WithProgress(p => AnalysisRun.AnalyzeSnapshots(new MLContext(options.Seed), options.Model, files, test, result.GetValue(output)!, options, p));
            RunConsole.Summary(outcome);
            session?.Summary();
            return 0;
        });
        return command;
    }

    internal static IReadOnlyList<(int Epoch, string Weights)> Snapshots(string[]? weights, string? folder)
    {
        if ((weights is { Length: > 0 }) == (folder is not null))
            throw new ArgumentException("Give one model source: --weights (one or more files), --snapshots (a folder) or --onnx (a model file), not several and not none.");
        if (folder is null) return weights!.Select((w, i) => (i + 1, w)).ToList();
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Snapshot folder not found: {folder}");
        var found = Directory.GetFiles(folder, "epoch-*.pt")
            .Select(f => (Match: SnapshotName().Match(Path.GetFileName(f)), File: f))
            .Where(m => m.Match.Success)
            .Select(m => (int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.File))
            .OrderBy(s => s.Item1).ToList();
        if (found.Count == 0) throw new FileNotFoundException($"No epoch-NNN.pt snapshots in {folder}.");
        return found;
    }

    /// <summary>Parses "C,H,W".</summary>
    internal static int[] InputShape(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0)
            ? parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray()
            : throw new ArgumentException($"The '--onnx-input' option must be three positive integers C,H,W (e.g. 3,224,224). Got '{text}' instead.");
    }

    [GeneratedRegex(@"^epoch-(\d+)\.pt$")]
    private static partial Regex SnapshotName();
}
