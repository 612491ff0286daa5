using System.CommandLine;
using MLNet.Subspace.Reporting;
using Spectre.Console;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace compare</c> and <c>subspace report</c>: reports built from finished run folders, no recomputation.</summary>
internal static class CompareCommand
{
    public static Command Create() => Build("compare",
        "Put two or more finished runs side by side (a sweep over depth, width, epochs or data, or several networks): comparison.csv and comparison.html.", minimumRuns: 2);

    public static Command CreateReport() => Build("report",
        "Render comparison.html/comparison.csv for one or more finished run folders from their saved tables and figures (a run's own report.html is written by demo/analyze).", minimumRuns: 1);

    private static Command Build(string name, string description, int minimumRuns)
    {
        var runs = new Option<string[]>("--run") { Description = "A finished run folder, optionally named: NAME=FOLDER (repeatable).", AllowMultipleArgumentsPerToken = true, Required = true };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var title = new Option<string>("--title") { Description = "Report title.", DefaultValueFactory = _ => "Comparison of runs" };
        var command = new Command(name, description) { runs, output, title };
        command.SetAction(result =>
        {
            var pairs = result.GetValue(runs)!.Select(r => r.Contains('=') ? (r[..r.IndexOf('=')], r[(r.IndexOf('=') + 1)..]) : (Path.GetFileName(Path.TrimEndingDirectorySeparator(r)), r)).ToList();
            if (pairs.Count < minimumRuns) throw new ArgumentException($"'{name}' needs at least {minimumRuns} --run folders. Got {pairs.Count}.");
            var (table, path) = ComparisonReport.Write(pairs, result.GetValue(output)!, result.GetValue(title)!);
            var grid = new Table();
            foreach (var column in table.Columns) grid.AddColumn(Markup.Escape(column.Name));
            for (int r = 0; r < table.Rows.Count; r++)
                grid.AddRow(table.Columns.Select(c => Markup.Escape(c[r] is double d ? d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : c[r]?.ToString() ?? "")).ToArray());
            AnsiConsole.Write(grid);
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(path)}");
            return 0;
        });
        return command;
    }
}
