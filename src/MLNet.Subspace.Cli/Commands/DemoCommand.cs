using System.CommandLine;
using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace demo</c>: the README's main command; the whole method on Fashion-MNIST.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder with the Fashion-MNIST IDX files (Debian: apt-get install -y dataset-fashion-mnist).", DefaultValueFactory = _ => IdxReader.DebianFashionMnistFolder };
        var output = new Option<string>("--out") { Description = "Run folder: tables (CSV), figures (SVG), report.html. Re-running resumes it.", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var run = RunOptions.Create();
        var command = new Command("demo", "Train a small CNN on Fashion-MNIST for a few epochs (a snapshot each), sample class-balanced probes from the test split, "
            + "build every conv layer's SSC graph at every epoch, run every analysis and write report.html.") { data, output };
        run.AddTo(command);
        var cluster = new ClusterOption();
        cluster.AddTo(command);
        command.SetAction(result =>
        {
            var options = run.Read(result);
            using var session = cluster.Connect(result, result.GetValue(output)!, options);
            var ml = new MLContext(options.Seed);
            var train = IdxReader.LoadFashionMnist(result.GetValue(data), train: true);
            var test = IdxReader.LoadFashionMnist(result.GetValue(data), train: false);
            var outcome = RunConsole.WithProgress(p => AnalysisRun.TrainAndAnalyze(ml, train, test, result.GetValue(output)!, options, p));
            RunConsole.Summary(outcome);
            session?.Summary();
            return 0;
        });
        return command;
    }
}
