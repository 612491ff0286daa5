using System.Globalization;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Analysis;

namespace MLNet.Subspace.Reporting;

/// <summary>
/// Puts finished run folders side by side (a sweep over depth, width, epochs or data, or several
/// networks) from their saved tables and figures, without recomputing anything.
/// </summary>
public static class ComparisonReport
{
    /// <summary>Writes comparison.csv (one row per run) and comparison.html into <paramref name="output"/>.</summary>
    /// <param name="runs">(name, run folder) pairs; each folder must hold summary.csv and layerwise.csv.</param>
    /// <param name="output">The output folder (created).</param>
    /// <param name="title">Report title.</param>
    /// <returns>The table and the path of comparison.html.</returns>
    /// <exception cref="FileNotFoundException">A run folder lacks its tables (the message names the folder and the file).</exception>
    public static ComparisonResult Write(IReadOnlyList<(string Name, string Folder)> runs, string output, string title = "Comparison of runs")
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Give at least one run folder.", nameof(runs));
        var summaries = new List<DataFrame>();
        var layerwise = new List<DataFrame>();
        foreach (var (name, folder) in runs)
        {
            foreach (string file in new[] { "summary.csv", "layerwise.csv" })
                if (!File.Exists(Path.Combine(folder, file)))
                    throw new FileNotFoundException($"Run '{name}' ({folder}) has no {file}: is it a finished 'subspace demo' or 'subspace analyze' run?", Path.Combine(folder, file));
            summaries.Add(Require(Path.Combine(folder, "summary.csv"), [SummaryColumns.Layers, SummaryColumns.Blocks, .. SummaryColumns.Compared]));
            layerwise.Add(Require(Path.Combine(folder, "layerwise.csv"), [LayerwiseResult.Columns.Modularity]));
        }
        var table = Table(runs.Select(r => r.Name).ToList(), summaries);
        Directory.CreateDirectory(output);
        DataFrameIO.SaveCsv(table, Path.Combine(output, "comparison.csv"));

        var report = new HtmlReport(title)
            .Section("Runs")
            .Table(table, "One row per run (comparison.csv): test accuracy, modularity of the first and last layer, depth-modularity rank correlation, SSC-CKA block structure, and SSC vs network prediction at the last layer");
        var lines = runs.Select((r, i) =>
        {
            var q = Doubles(layerwise[i], LayerwiseResult.Columns.Modularity);
            var depth = Enumerable.Range(0, q.Length).Select(k => q.Length == 1 ? 0 : k / (double)(q.Length - 1)).ToArray();
            return new LineSeriesData(r.Name, depth, q);
        }).ToList();
        var plot = Plots.Lines("Modularity against relative depth", "relative depth (0 = first layer, 1 = last)", "Q", lines);
        Plots.SaveSvg(Path.Combine(output, "modularity_by_depth.svg"), plot);
        report.Section("Modularity with depth").Figure(plot, "Modularity of each layer's graph against the true classes; depth scaled to [0, 1] so networks of different depth line up.");
        report.Section("SSC-CKA between layers");
        foreach (var (name, folder) in runs)
        {
            string heatmap = Path.Combine(folder, "figures", "ssc_cka_heatmap.svg");
            if (File.Exists(heatmap)) report.Figure(File.ReadAllText(heatmap), name);
            else report.Paragraph($"{name}: no heatmap in {folder}.");
        }
        string path = Path.Combine(output, "comparison.html");
        report.Save(path);
        return new ComparisonResult(table, path);
    }

    /// <summary>Reads a run's table and checks it holds the columns the comparison reads, with a row of numbers: a damaged file is named, with what is wrong.</summary>
    private static DataFrame Require(string path, string[] columns)
    {
        var frame = DataFrameIO.LoadCsv(path);
        var names = frame.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var missing = columns.Where(c => !names.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{path} has no column {string.Join(", ", missing.Select(c => $"'{c}'"))}: it is not a table written by 'subspace demo' or 'subspace analyze'.");
        if (frame.Rows.Count == 0) throw new InvalidDataException($"{path} has a header but no rows.");
        for (int r = 0; r < frame.Rows.Count; r++)
            foreach (string column in columns)
            {
                object? value = frame[column][r];
                if (value is string text && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new InvalidDataException($"{path}: line {r + 2}, column '{column}': expected a number, found '{(text.Length > 40 ? text[..40] + "..." : text)}'.");
            }
        return frame;
    }

    private static DataFrame Table(IReadOnlyList<string> names, IReadOnlyList<DataFrame> summaries)
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("run", names),
            new PrimitiveDataFrameColumn<int>(SummaryColumns.Layers, summaries.Select(s => Convert.ToInt32(s[SummaryColumns.Layers][0], CultureInfo.InvariantCulture))),
            new PrimitiveDataFrameColumn<int>(SummaryColumns.Blocks, summaries.Select(s => Convert.ToInt32(s[SummaryColumns.Blocks][0], CultureInfo.InvariantCulture))),
        };
        columns.AddRange(SummaryColumns.Compared.Select(c => new DoubleDataFrameColumn(c, summaries.Select(s => ToDouble(s[c][0])))));
        return new DataFrame(columns);
    }

    private static double[] Doubles(DataFrame frame, string column)
        => Enumerable.Range(0, (int)frame.Rows.Count).Select(r => ToDouble(frame[column][r])).ToArray();

    private static double ToDouble(object? value) => value is null ? double.NaN : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
