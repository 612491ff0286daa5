using System.Globalization;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Pipeline;
using Spectre.Console;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>Progress bars and the closing summary of the commands that run an analysis.</summary>
internal static class RunConsole
{
    /// <summary>Runs <paramref name="work"/> with one progress bar per stage.</summary>
    public static AnalysisRunResult WithProgress(Func<IProgress<RunProgress>, AnalysisRunResult> work)
    {
        AnalysisRunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SynchronousProgress<RunProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                    {
                        foreach (var earlier in tasks.Values) earlier.Value = earlier.MaxValue;
                        tasks[p.Stage] = task = ctx.AddTask(p.Stage, maxValue: Math.Max(1, p.Total));
                    }
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = $"{p.Stage,-12} {Markup.Escape(p.Detail)}";
                });
                result = work(progress);
                foreach (var task in tasks.Values) task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Prints the findings that answer the paper's questions.</summary>
    public static void Summary(AnalysisRunResult result)
    {
        var f = result.Findings;
        var table = new Table().Title("Per-layer summary").AddColumns("layer", "features", "modularity Q", "Louvain Q", "spectral acc.", "nnz/input", "settles (SSC-CKA)", "settles (linear CKA)");
        var layers = f.Layerwise.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            string Settle(Func<SettlingRow, int> epoch) => f.Dynamics is null ? "-" : epoch(f.Dynamics.Layers[i]).ToString(CultureInfo.InvariantCulture);
            table.AddRow(
                Markup.Escape(layers[i].Layer),
                layers[i].Features.ToString(CultureInfo.InvariantCulture),
                Fmt(layers[i].Modularity), Fmt(layers[i].LouvainModularity), Fmt(layers[i].SpectralAccuracy), Fmt(layers[i].NonZerosPerInput),
                Settle(r => r.SscCkaEpoch), Settle(r => r.LinearCkaEpoch));
        }
        AnsiConsole.Write(table);
        var a = f.Neighbourhoods.Agreement;
        AnsiConsole.MarkupLine($"Depth vs modularity (Spearman rho): [bold]{Fmt(f.Layerwise.DepthModularityCorrelation)}[/]");
        var blocks = f.Architecture.Blocks;
        AnsiConsole.MarkupLine($"SSC-CKA block structure: [bold]{blocks.Count}[/] block(s) starting at layers {string.Join(" ", blocks.Blocks.Select(b => b.Start))}, score {Fmt(blocks.Score)}, permutation p = {Fmt(blocks.PValue)}");
        AnsiConsole.MarkupLine(f.NetworkClassifiesProbes
            ? $"At {Markup.Escape(f.Neighbourhoods.Layer)}: SSC prediction accuracy {a.SscAccuracy:P1}, network accuracy {a.NetworkAccuracy:P1}, agreement {a.Agreement:P1} ({a.Inputs} probes)"
            : $"At {Markup.Escape(f.Neighbourhoods.Layer)}: SSC prediction accuracy {a.SscAccuracy:P1} ({a.Inputs} probes); the network's output does not score the probes' classes, so it has no accuracy here");
        AnsiConsole.MarkupLine($"Report: [link]{Markup.Escape(result.ReportPath)}[/]");
    }

    private static string Fmt(object? v) => v switch
    {
        double d when double.IsNaN(d) => "n/a",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

}

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
