using System.Globalization;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models.Training;

namespace MLNet.Subspace.Reporting;

/// <summary>Writes an analysis's tables (CSV), figures (SVG) and the self-contained report.html into a folder.</summary>
public static class AnalysisReport
{
    /// <summary>Writes every output; each file is written atomically, report.html last.</summary>
    /// <param name="findings">The results.</param>
    /// <param name="folder">The output folder (must exist).</param>
    /// <returns>The path of report.html.</returns>
    public static string Write(AnalysisFindings findings, string folder)
    {
        ArgumentNullException.ThrowIfNull(findings);
        string figures = Path.Combine(folder, "figures");
        Directory.CreateDirectory(figures);
        var report = new HtmlReport(findings.Title).Paragraph(findings.Description);
        // Wall-clock time is the one thing a seed cannot fix: it goes to timings.csv alone, so every other CSV of two runs
        // with one seed is byte-identical.
        var timings = new List<(string Step, double Seconds)>();

        if (findings.Training is { Count: > 0 } training)
        {
            var table = TrainingTable(training);
            timings.AddRange(training.Select(t => (FormattableString.Invariant($"training epoch {t.Epoch}"), t.Seconds)));
            DataFrameIO.SaveCsv(table, Path.Combine(folder, "training.csv"));
            report.Section("Training").Table(table, "Per-epoch training metrics (training.csv)");
        }

        var layerwise = findings.Layerwise;
        var layerTable = layerwise.Table;
        layerTable.Columns.Remove(LayerwiseResult.Columns.SolveSeconds);
        timings.AddRange(layerwise.Layers.Select(r => ($"SSC solve, {r.Layer} (final epoch)", r.SolveSeconds)));
        timings.AddRange(findings.Timings);
        DataFrameIO.SaveCsv(layerTable, Path.Combine(folder, "layerwise.csv"));
        var names = layerwise.Table.Columns["layer"].Cast<string>().ToArray();
        var depth = Enumerable.Range(0, names.Length).Select(i => (double)i).ToArray();
        var modularityPlot = Plots.Lines("Modularity of each layer's SSC graph", "layer (depth)", "Q",
            [new LineSeriesData("against true classes", depth, layerwise.Modularity),
             new LineSeriesData("Louvain communities", depth, layerwise.Layers.Select(r => r.LouvainModularity).ToArray())], integerX: true);
        Plots.SaveSvg(Path.Combine(figures, "modularity_by_layer.svg"), modularityPlot);
        report.Section("Layer-wise class structure")
            .Paragraph($"Spearman rank correlation of depth and modularity: {Fmt(layerwise.DepthModularityCorrelation)} (the paper: deeper layers are more modular, so positive).")
            .Figure(modularityPlot, "Newman modularity of each layer's affinity graph against the true classes, and of the communities Louvain finds.")
            .Table(layerTable, "Per-layer metrics (layerwise.csv)");

        var arch = findings.Architecture;
        DataFrameIO.SaveCsv(arch.Matrix, Path.Combine(folder, "ssc_cka.csv"));
        DataFrameIO.SaveCsv(arch.BlockTable, Path.Combine(folder, "blocks.csv"));
        DataFrameIO.SaveCsv(arch.BlockCountTable, Path.Combine(folder, "block_counts.csv"));
        var heatmap = Plots.Heatmap("SSC-CKA between layers", arch.SscCka.Values, arch.SscCka.RowNames.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        Plots.SaveSvg(Path.Combine(figures, "ssc_cka_heatmap.svg"), heatmap, 560, 480);
        report.Section("Layer similarity (architecture)")
            .Figure(heatmap, "SSC-CKA of every pair of layer graphs; layer 0 at the top-left (YlGnBu).", 560, 480)
            .Paragraph(BlockSentence(arch))
            .Table(arch.BlockTable, "Chosen contiguous blocks of layers (blocks.csv)")
            .Table(arch.BlockCountTable, "Best contiguous blocks for each number of blocks K: score (share of the layers' SSC-CKA profile variance the blocks explain), its mean and s_K over shuffled layer orders, gap, p-value of this K alone (block_counts.csv)")
            .Table(arch.Matrix, "SSC-CKA matrix (ssc_cka.csv)");
        var similarities = (findings.Similarities ?? []).Select((m, i) => (m, FormattableString.Invariant($"similarity_{i + 1}_{m.Measure.Split('(')[0]}")));
        WriteSimilarities(findings.LinearCka is { } linearCka ? similarities.Prepend((linearCka, "linear_cka")) : similarities, folder, figures, report);

        if (findings.Dynamics is { } dynamics)
        {
            DataFrameIO.SaveCsv(dynamics.PerEpoch, Path.Combine(folder, "dynamics.csv"));
            DataFrameIO.SaveCsv(dynamics.Settling, Path.Combine(folder, "settling.csv"));
            var ssc = PerLayerLines(dynamics.Epochs, r => r.SscCkaToFinal);
            var linear = PerLayerLines(dynamics.Epochs, r => r.LinearCkaToFinal);
            var modularity = PerLayerLines(dynamics.Epochs, r => r.Modularity);
            var sscPlot = Plots.Lines("SSC-CKA to the final epoch", "epoch", "SSC-CKA", ssc, integerX: true);
            var linearPlot = Plots.Lines("Linear CKA to the final epoch", "epoch", "CKA", linear, integerX: true);
            var modularityEpochPlot = Plots.Lines("Modularity per epoch", "epoch", "Q", modularity, integerX: true);
            Plots.SaveSvg(Path.Combine(figures, "dynamics_ssc_cka.svg"), sscPlot);
            Plots.SaveSvg(Path.Combine(figures, "dynamics_linear_cka.svg"), linearPlot);
            Plots.SaveSvg(Path.Combine(figures, "modularity_by_epoch.svg"), modularityEpochPlot);
            report.Section("Training dynamics")
                .Figure(sscPlot, "Similarity of each layer's graph to its final-epoch graph.")
                .Figure(linearPlot, "Linear CKA of each layer's activations to its final-epoch activations.")
                .Figure(modularityEpochPlot, "Modularity of each layer's graph against the true classes, per epoch.")
                .Table(dynamics.Settling, $"Epoch from which each layer stays at or above {Fmt(dynamics.Threshold)} similarity to the final epoch (settling.csv)");
        }

        if (findings.ArchitectureByEpoch is { Count: > 1 } byEpoch) WriteArchitectureByEpoch(byEpoch, folder, figures, report);

        if (findings.Embeddings.Count > 0)
        {
            report.Section("Latent space");
            foreach (var embedding in findings.Embeddings)
            {
                var scatter = Plots.Scatter($"{embedding.Layer}", embedding.X, embedding.Y, embedding.Labels, findings.Probes.ClassNames);
                Plots.SaveSvg(Path.Combine(figures, $"embedding_{Safe(embedding.Layer)}.svg"), scatter);
                report.Figure(scatter, $"2-D spectral embedding of the {embedding.Inputs.Length} correctly classified probes at {embedding.Layer}, coloured by class.", 540, 420);
            }
        }

        var hoods = findings.Neighbourhoods;
        DataFrameIO.SaveCsv(hoods.AgreementTable, Path.Combine(folder, "agreement.csv"));
        var neighbourTable = NeighbourTable(hoods, findings.Probes);
        DataFrameIO.SaveCsv(neighbourTable, Path.Combine(folder, "neighbours.csv"));
        report.Section("Neighbourhoods of misclassified inputs")
            .Table(hoods.AgreementTable, "SSC prediction (class vote of affinity neighbours) against the network's prediction (agreement.csv)"
                + (findings.NetworkClassifiesProbes ? "" : "; the network's output does not score the probes' classes, so only the SSC prediction's accuracy means anything"))
            .Paragraph($"The {hoods.Cases.Count} most confident misclassifications at {hoods.Layer}: the query (red border) and its strongest neighbours by affinity, with their true classes and weights.");
        foreach (var c in hoods.Cases)
            report.Gallery(GalleryTitle(c, findings.Probes.ClassNames), GalleryItems(c, findings.Probes));
        report.Table(neighbourTable, "Neighbours of each explained input (neighbours.csv)");

        DataFrameIO.SaveCsv(Summary(findings), Path.Combine(folder, "summary.csv"));
        var timingTable = new DataFrame(new StringDataFrameColumn("step", timings.Select(t => t.Step)), new DoubleDataFrameColumn("seconds", timings.Select(t => t.Seconds)));
        DataFrameIO.SaveCsv(timingTable, Path.Combine(folder, "timings.csv"));
        report.Section("Timings").Table(timingTable, "Wall-clock seconds (timings.csv, the only table that differs between two runs with one seed)");
        if (findings.Workers.Count > 0)
            report.Table(new DataFrame(new StringDataFrameColumn("worker", findings.Workers.Select(w => w.Worker)), new Int32DataFrameColumn("units", findings.Workers.Select(w => w.Units)),
                new DoubleDataFrameColumn("seconds", findings.Workers.Select(w => w.Seconds))), "Who computed the work units: \"local\" is this process, others are a cluster's silos (units/epoch-NNN/units.csv lists each unit)");
        string path = Path.Combine(folder, "report.html");
        report.Save(path);
        return path;
    }

    /// <summary>The run's headline numbers as one row (summary.csv), the unit <see cref="ComparisonReport"/> compares.</summary>
    /// <param name="findings">The results.</param>
    public static DataFrame Summary(AnalysisFindings findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var a = findings.Neighbourhoods.Agreement;
        var blocks = findings.Architecture.Blocks;
        double finalTest = findings.Training is { Count: > 0 } t ? t[^1].TestAccuracy ?? double.NaN : double.NaN;
        var q = findings.Layerwise.Modularity;
        return new DataFrame(
            new StringDataFrameColumn(SummaryColumns.Title, [findings.Title]),
            new PrimitiveDataFrameColumn<int>(SummaryColumns.Layers, [q.Length]),
            new PrimitiveDataFrameColumn<int>(SummaryColumns.Probes, [findings.Probes.Count]),
            new DoubleDataFrameColumn(SummaryColumns.TestAccuracy, [finalTest]),
            new DoubleDataFrameColumn(SummaryColumns.FirstLayerModularity, [q[0]]),
            new DoubleDataFrameColumn(SummaryColumns.LastLayerModularity, [q[^1]]),
            new DoubleDataFrameColumn(SummaryColumns.DepthModularityRho, [findings.Layerwise.DepthModularityCorrelation]),
            new PrimitiveDataFrameColumn<int>(SummaryColumns.Blocks, [blocks.Count]),
            new DoubleDataFrameColumn(SummaryColumns.BlockScore, [blocks.Score]),
            new DoubleDataFrameColumn(SummaryColumns.BlockPValue, [blocks.PValue]),
            new DoubleDataFrameColumn(SummaryColumns.SscAccuracy, [a.SscAccuracy]),
            new DoubleDataFrameColumn(SummaryColumns.NetworkAccuracy, [a.NetworkAccuracy]),
            new DoubleDataFrameColumn(SummaryColumns.Agreement, [a.Agreement]));
    }

    private static string BlockSentence(ArchitectureResult arch)
    {
        var b = arch.Blocks;
        string starts = string.Join(", ", b.Blocks.Select(x => $"{x.Start} ({arch.SscCka.RowNames[x.Start]})"));
        string verdict = b.Count > 1
            ? $"{b.Count} contiguous blocks, starting at layers {starts}; score {Fmt(b.Score)}, permutation p = {Fmt(b.PValue)} (mean within-block similarity {Fmt(b.WithinMean)}, between {Fmt(b.BetweenMean)})"
            : $"no block structure: one block (the gap rule's {b.GapCount} block(s) have permutation p = {Fmt(b.PValue)})";
        var widest = b.MaximumGap;
        string finer = widest.Blocks != b.GapCount ? $" The largest gap is at K = {widest.Blocks} (blocks starting at {string.Join(", ", widest.Starts)}; p = {Fmt(widest.PValue)} for that K alone)." : "";
        return $"Block structure: {verdict}. The number of blocks is the gap statistic's choice against shuffled layer orders (BlockSegmentation in docs/design.md).{finer}";
    }

    /// <summary>blocks_by_epoch.csv, the block score and means against epoch, and the SSC-CKA heatmap of every epoch as small
    /// multiples (figures/ssc_cka_heatmap_epoch-EEE.svg): does the block structure form, stay or fade with training?</summary>
    private static void WriteArchitectureByEpoch(IReadOnlyList<EpochArchitecture> byEpoch, string folder, string figures, HtmlReport report)
    {
        var table = BlockReport.ByEpoch(byEpoch);
        DataFrameIO.SaveCsv(table, Path.Combine(folder, "blocks_by_epoch.csv"));
        var epochs = byEpoch.Select(e => (double)e.Epoch).ToArray();
        double[] Column(string name) => table.Columns[name].Cast<double>().ToArray();
        var trend = Plots.Lines("Block structure per epoch", "epoch", "score / mean SSC-CKA",
            [new LineSeriesData("score of the chosen blocks", epochs, Column(BlockReport.Columns.Score)),
             new LineSeriesData("within the final epoch's blocks", epochs, Column(BlockReport.Columns.FinalBlocksWithinMean)),
             new LineSeriesData("between the final epoch's blocks", epochs, Column(BlockReport.Columns.FinalBlocksBetweenMean))], integerX: true);
        Plots.SaveSvg(Path.Combine(figures, "blocks_by_epoch.svg"), trend);
        report.Section("Block structure per epoch")
            .Paragraph("Each epoch's SSC-CKA matrix cut into contiguous blocks as above (same options); the within/between means of the final epoch's blocks, "
                + "read at every epoch, show whether that structure was there early and whether it sharpens or fades.")
            .Figure(trend, "Score of each epoch's chosen blocks (0 = one block), and the mean SSC-CKA inside and between the final epoch's blocks.");
        // About six layer numbers per axis: every layer's would overlap at this size.
        int layers = byEpoch[0].Architecture.SscCka.RowNames.Count, every = (layers + 5) / 6;
        var ticks = Enumerable.Range(0, layers).Select(i => i % every == 0 ? i.ToString(CultureInfo.InvariantCulture) : "").ToArray();
        foreach (var (epoch, arch) in byEpoch)
        {
            var b = arch.Blocks;
            var heatmap = Plots.Heatmap(FormattableString.Invariant($"epoch {epoch}: {b.Count} block(s)"), arch.SscCka.Values, ticks);
            Plots.SaveSvg(Path.Combine(figures, FormattableString.Invariant($"ssc_cka_heatmap_epoch-{epoch:D3}.svg")), heatmap, 300, 260);
            report.Figure(heatmap, b.Count > 1 ? $"starts {string.Join(' ', b.Blocks.Select(x => x.Start))}; R = {Fmt(b.Score)}, p = {Fmt(b.PValue)}" : $"p = {Fmt(b.PValue)}", 300, 260);
        }
        report.Table(table, "Blocks of every epoch's SSC-CKA matrix (blocks_by_epoch.csv)");
    }

    /// <summary>Each measure's heatmap and table beside SSC-CKA: &lt;name&gt;.csv and its SVG (linear_cka, then similarity_&lt;i&gt;_&lt;measure&gt; for the extra ones).</summary>
    private static void WriteSimilarities(IEnumerable<(SimilarityMatrix Matrix, string Name)> similarities, string folder, string figures, HtmlReport report)
    {
        foreach (var (similarity, name) in similarities)
        {
            DataFrameIO.SaveCsv(similarity.Table, Path.Combine(folder, name + ".csv"));
            var values = similarity.Values.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
            // Similarities on their usual [0, 1] scale unless they leave it (RSA can be negative); distances from 0 to their largest.
            double low = similarity.HigherIsMoreSimilar ? Math.Min(0, values.Min()) : 0, high = similarity.HigherIsMoreSimilar ? Math.Max(1, values.Max()) : Math.Max(values.Max(), 1e-12);
            var heatmap = Plots.Heatmap($"{similarity.Measure} between layers", similarity.Values, similarity.Layers.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray(), low, high);
            Plots.SaveSvg(Path.Combine(figures, name + "_heatmap.svg"), heatmap, 560, 480);
            string reading = similarity.HigherIsMoreSimilar ? "darker = more alike" : "a distance: darker = more different";
            report.Figure(heatmap, $"{similarity.Measure} of every pair of layers' activations (final model; {reading}); layer 0 at the top-left, beside SSC-CKA above.", 560, 480)
                .Table(similarity.Table, $"{similarity.Measure} matrix ({name}.csv)");
        }
    }

    private static DataFrame TrainingTable(IReadOnlyList<EpochMetrics> training) => new(
        new PrimitiveDataFrameColumn<int>("epoch", training.Select(t => t.Epoch)),
        new DoubleDataFrameColumn("learning_rate", training.Select(t => t.LearningRate)),
        new DoubleDataFrameColumn("train_loss", training.Select(t => t.TrainLoss)),
        new DoubleDataFrameColumn("train_accuracy", training.Select(t => t.TrainAccuracy)),
        new DoubleDataFrameColumn("test_loss", training.Select(t => t.TestLoss ?? double.NaN)),
        new DoubleDataFrameColumn("test_accuracy", training.Select(t => t.TestAccuracy ?? double.NaN)));

    private static DataFrame NeighbourTable(NeighbourhoodResult hoods, ImageDataset probes)
    {
        var input = new PrimitiveDataFrameColumn<int>("input");
        var rank = new PrimitiveDataFrameColumn<int>("rank");
        var neighbour = new PrimitiveDataFrameColumn<int>("neighbour");
        var cls = new StringDataFrameColumn("neighbour_class");
        var weight = new DoubleDataFrameColumn("weight");
        foreach (var c in hoods.Cases)
            for (int k = 0; k < c.Neighbourhood.Neighbours.Length; k++)
            {
                input.Append(c.Input);
                rank.Append(k + 1);
                int j = c.Neighbourhood.Neighbours[k];
                neighbour.Append(j);
                cls.Append(probes.ClassNames[probes.Labels[j]]);
                weight.Append(c.Neighbourhood.Weights[k]);
            }
        return new DataFrame(input, rank, neighbour, cls, weight);
    }

    private static string GalleryTitle(MisclassifiedInput c, IReadOnlyList<string> names)
    {
        var scores = string.Join(", ", c.Neighbourhood.ClassScores.Select((s, k) => (s, k)).Where(p => p.s > 0).OrderByDescending(p => p.s).Select(p => $"{names[p.k]} {p.s:0.00}"));
        return $"Input {c.Input}: true {names[c.TrueLabel]}, network says {names[c.NetworkPrediction]} ({c.Confidence:P0}); neighbour class scores: {(scores.Length > 0 ? scores : "no neighbours")}";
    }

    private static IEnumerable<GalleryItem> GalleryItems(MisclassifiedInput c, ImageDataset probes, int shown = 8)
    {
        string Uri(int i) => PngImage.DataUri(probes.Image(i), probes.Channels, probes.Height, probes.Width);
        yield return new GalleryItem(Uri(c.Input), ["query", probes.ClassNames[c.TrueLabel]], Highlight: true);
        for (int k = 0; k < Math.Min(shown, c.Neighbourhood.Neighbours.Length); k++)
        {
            int j = c.Neighbourhood.Neighbours[k];
            yield return new GalleryItem(Uri(j), [probes.ClassNames[probes.Labels[j]], $"w = {c.Neighbourhood.Weights[k]:0.000}"]);
        }
    }

    private static IEnumerable<LineSeriesData> PerLayerLines(IReadOnlyList<DynamicsRow> perEpoch, Func<DynamicsRow, double> value)
        => perEpoch.GroupBy(r => r.LayerIndex).Select(g => new LineSeriesData(g.First().Layer, g.Select(r => (double)r.Epoch).ToArray(), g.Select(value).ToArray())).ToList();


    private static string Fmt(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_'));
}
