using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
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
        var output = new Option<string>("--out") { Description = "Run folder: tables (CSV), figures (SVG), report.html. Re-running resumes it.", Required = true };
        var run = RunOptions.Create();
        var command = new Command("analyze", "Analyse trained weights of a zoo network on probe inputs from the test split: every analysis and report.html.") { data, weights, snapshots, output };
        run.AddTo(command, training: false);
        command.SetAction(result =>
        {
            var files = Snapshots(result.GetValue(weights), result.GetValue(snapshots));
            var options = run.Read(result);
            var test = DataOption.Load(result.GetValue(data)!, train: false);
            var outcome = RunConsole.WithProgress(p => AnalysisRun.AnalyzeSnapshots(new MLContext(options.Seed), options.Model, files, test, result.GetValue(output)!, options, p));
            RunConsole.Summary(outcome);
            return 0;
        });
        return command;
    }

    internal static IReadOnlyList<(int Epoch, string Weights)> Snapshots(string[]? weights, string? folder)
    {
        if ((weights is { Length: > 0 }) == (folder is not null))
            throw new ArgumentException("Give either --weights (one or more files) or --snapshots (a folder), not both and not neither.");
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

    [GeneratedRegex(@"^epoch-(\d+)\.pt$")]
    private static partial Regex SnapshotName();
}
