using System.Globalization;
using MLNet.Subspace.Analysis;

namespace MLNet.Subspace.Reporting;

/// <summary>Writes a <see cref="TrialComparisonResult"/> as tables, heatmaps and one HTML page.</summary>
public static class TrialComparisonReport
{
    /// <summary>
    /// Writes trials.csv (<see cref="TrialComparisonResult.Table"/>), cka.csv, ssc_cka.csv, prediction_overlap.csv,
    /// disagreements.csv, figures/*.svg and report.html into <paramref name="folder"/> (created), each file atomically.
    /// </summary>
    /// <param name="result">The comparison.</param>
    /// <param name="folder">The output folder.</param>
    /// <param name="title">The page title.</param>
    /// <returns>The path of report.html.</returns>
    public static string Write(TrialComparisonResult result, string folder, string title = "Comparison of trained models")
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        string figures = Directory.CreateDirectory(Path.Combine(folder, "figures")).FullName;
        var trials = result.Table;
        var disagreements = result.DisagreementTable;
        DataFrameIO.SaveCsv(trials, Path.Combine(folder, "trials.csv"));
        DataFrameIO.SaveCsv(result.CkaTable, Path.Combine(folder, "cka.csv"));
        DataFrameIO.SaveCsv(result.SscCkaTable, Path.Combine(folder, "ssc_cka.csv"));
        DataFrameIO.SaveCsv(result.OverlapTable, Path.Combine(folder, "prediction_overlap.csv"));
        DataFrameIO.SaveCsv(disagreements, Path.Combine(folder, "disagreements.csv"));

        var cka = Plots.Heatmap("Linear CKA of score (and feature) columns", result.Cka.Values, result.Cka.RowNames);
        var sscCka = Plots.Heatmap("SSC-CKA of the score-space graphs", result.SscCka.Values, result.Trials);
        var overlap = Plots.Heatmap("Share of inputs predicted alike", result.PredictionOverlap, result.Trials);
        Plots.SaveSvg(Path.Combine(figures, "cka_heatmap.svg"), cka, 640, 560);
        Plots.SaveSvg(Path.Combine(figures, "ssc_cka_heatmap.svg"), sscCka, 640, 560);
        Plots.SaveSvg(Path.Combine(figures, "prediction_overlap.svg"), overlap, 640, 560);

        int inputs = result.Graphs.Count == 0 ? 0 : result.Graphs[0].Graph.Count;
        string Share(int count) => (count / (double)Math.Max(inputs, 1)).ToString("P1", CultureInfo.InvariantCulture);
        var report = new HtmlReport(title)
            .Section("Trials")
            .Paragraph($"{result.Trials.Count} models over the same {inputs} labelled inputs. SSC prediction: the affinity-weighted vote of an input's "
                + "neighbours' true labels in the SSC graph of the inputs in the trial's score space; agreement: the share where it equals the model's prediction.")
            .Table(trials, "One row per trial (trials.csv)")
            .Section("Representations")
            .Figure(cka, "Linear CKA between the trials' score columns (and chosen feature layers), cka.csv; row 0 at the top-left.", 640, 560)
            .Figure(sscCka, "SSC-CKA between the trials' score-space graphs, ssc_cka.csv.", 640, 560)
            .Section("Predictions")
            .Figure(overlap, "Share of inputs each pair of trials predicts alike, prediction_overlap.csv.", 640, 560)
            .Paragraph($"The trials disagree on {result.Disagreements.Count} of {inputs} inputs ({Share(result.Disagreements.Count)}); "
                + $"on {result.Disagreements.Count(d => d.Correct == 0)} of them no trial is right.")
            .Table(disagreements, "Inputs the trials do not all classify alike (disagreements.csv): the true class, each trial's prediction, how many trials are right and how many classes they predict");
        string path = Path.Combine(folder, "report.html");
        report.Save(path);
        return path;
    }
}
