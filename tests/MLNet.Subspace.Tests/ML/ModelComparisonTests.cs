using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.ML;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.ML;

/// <summary>Trial comparison on what an AutoML experiment would give: five ML.NET trainers fitted on Fashion-MNIST pixels, saved and reloaded.</summary>
public class ModelComparisonTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TrialModels Trials = TrialModels.Instance;

    private static TrialComparisonResult Compare(TrialComparisonOptions? options = null)
        => ModelComparison.Compare(new MLContext(seed: 1), Trials.Paths, Trials.Evaluation.ToDataView(), options);

    [Fact]
    public void Reloaded_Models_Are_Compared_And_Every_Figure_Matches_A_Count_Made_From_MLNets_Own_Output()
    {
        var ml = new MLContext(seed: 1);
        var data = Trials.Evaluation.ToDataView();
        var result = Compare();

        Assert.Equal(TrialModels.Names, result.Trials);
        int n = Trials.Evaluation.Count;
        int[] truth = Trials.Evaluation.Labels;
        // ML.NET's PredictedLabel (a 1-based key) and its evaluator, read from the in-memory models, not through our reader.
        var predicted = Trials.Models.Select(m => m.Transform(data).GetColumn<uint>(ColumnNames.PredictedLabel).Select(k => (int)k - 1).ToArray()).ToArray();
        for (int t = 0; t < Trials.Models.Length; t++)
        {
            var metrics = ml.MulticlassClassification.Evaluate(Trials.Models[t].Transform(data));
            Assert.Equal(metrics.MicroAccuracy, result.Rows[t].Accuracy, 12);
            Assert.True(result.Rows[t].Accuracy > 0.5, $"{result.Trials[t]}: accuracy {result.Rows[t].Accuracy}");

            // The SSC prediction by hand: each input's neighbours in the trial's graph vote with their true labels.
            var w = result.Graphs[t].Graph.Weights;
            int agree = 0, sscRight = 0;
            for (int i = 0; i < n; i++)
            {
                var votes = new double[10];
                var cols = w.RowIndices(i);
                var vals = w.RowValues(i);
                for (int k = 0; k < cols.Length; k++) if (cols[k] != i) votes[truth[cols[k]]] += vals[k];
                int vote = votes.Max() > 0 ? Array.IndexOf(votes, votes.Max()) : -1;
                Assert.Equal(vote, result.SscPredictions[t][i]);
                if (vote == predicted[t][i]) agree++;
                if (vote == truth[i]) sscRight++;
            }
            Assert.Equal(agree / (double)n, result.Rows[t].Agreement, 12);
            Assert.Equal(sscRight / (double)n, result.Rows[t].SscAccuracy, 12);
        }
        for (int a = 0; a < predicted.Length; a++)
            for (int b = 0; b < predicted.Length; b++)
                Assert.Equal(predicted[a].Zip(predicted[b]).Count(p => p.First == p.Second) / (double)n, result.PredictionOverlap[a, b], 12);
        var disagreeing = Enumerable.Range(0, n).Where(i => predicted.Select(p => p[i]).Distinct().Count() > 1).ToArray();
        Assert.Equal(disagreeing, result.Disagreements.Select(d => d.Input));
        Assert.All(result.Disagreements, d => Assert.Equal(predicted.Count(p => p[d.Input] == truth[d.Input]), d.Correct));
        Assert.NotEmpty(result.Disagreements);
        Assert.Equal(TrialModels.Names.Length, result.SscCka.RowNames.Count);
        Assert.All(Enumerable.Range(0, 5), t => Assert.Equal(1.0, result.SscCka[t, t], 9));
    }

    [Fact]
    public void Score_Cka_Equals_A_Direct_Linear_Cka_Of_The_Score_Columns()
    {
        var data = Trials.Evaluation.ToDataView();
        var result = Compare();
        var scores = Trials.Models.Select(m => m.Transform(data).GetColumn<float[]>(ColumnNames.Score).ToArray()).ToArray();

        Assert.Equal(TrialModels.Names.Select(s => s + ":Score"), result.Cka.RowNames);
        for (int a = 0; a < scores.Length; a++)
            for (int b = 0; b < scores.Length; b++)
                Assert.Equal(LinearCka(scores[a], scores[b]), result.Cka[a, b], 6);
        // Five different trainers do not give the same score geometry, but they all separate the same classes.
        Assert.InRange(result.Cka[0, 2], 0.3, 0.999);
    }

    [Fact]
    public void Feature_Layers_Join_The_Cka_With_Each_Trials_Deepest_Layer_Of_That_Column()
    {
        var result = Compare(new TrialComparisonOptions { FeatureLayers = [ColumnNames.Features] });

        var expected = TrialModels.Names.Select(s => s + ":Score")
            .Concat(TrialModels.Names.Select(s => s == "minmax-sdca" ? $"{s}:0:Features" : $"{s}:input:Features"));
        Assert.Equal(expected, result.Cka.RowNames);
        // Four trials read the raw pixels: the same representation, CKA 1; the normalised pixels are another one.
        Assert.Equal(1.0, result.Cka[5, 6], 9);
        Assert.Equal(1.0, result.Cka[5, 8], 9);
        var pixels = Trials.Evaluation.Pixels;
        var normalised = Trials.Models[4].Transform(Trials.Evaluation.ToDataView()).GetColumn<float[]>(ColumnNames.Features).ToArray();
        Assert.Equal(LinearCka(Rows(pixels, 784), normalised), result.Cka[5, 9], 6);
    }

    [Fact]
    public void Report_Writes_The_Tables_And_A_Page_Naming_Every_Trial()
    {
        using var temp = new TempFolder();
        var result = Compare();

        string page = TrialComparisonReport.Write(result, temp.Path);
        output.WriteLine(result.Table.ToText());
        output.WriteLine(result.CkaTable.ToText());
        output.WriteLine($"disagreements: {result.Disagreements.Count} of {Trials.Evaluation.Count}; no trial right on {result.Disagreements.Count(d => d.Correct == 0)}");

        foreach (string file in new[] { "trials.csv", "cka.csv", "ssc_cka.csv", "prediction_overlap.csv", "disagreements.csv", "figures/cka_heatmap.svg", "figures/ssc_cka_heatmap.svg", "figures/prediction_overlap.svg" })
            Assert.True(File.Exists(Path.Combine(temp.Path, file)), file);
        var trials = DataFrameIO.LoadCsv(Path.Combine(temp.Path, "trials.csv"));
        Assert.Equal(5, trials.Rows.Count);
        Assert.Equal(result.Rows[2].Agreement, Convert.ToDouble(trials[TrialComparisonResult.Columns.Agreement][2], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(result.Disagreements.Count + 1, File.ReadAllLines(Path.Combine(temp.Path, "disagreements.csv")).Length);
        string html = File.ReadAllText(page);
        Assert.All(TrialModels.Names, name => Assert.Contains(name, html));
        Assert.Contains("<svg", html);
    }

    [Fact]
    public void Trials_With_Different_Labels_Or_Class_Counts_Or_Too_Few_Models_Are_Refused()
    {
        var data = Trials.Evaluation.ToDataView();
        var one = Assert.Throws<ArgumentException>(() => ModelComparison.Compare(["a"], [Trials.Models[0]], data));
        Assert.Contains("at least two", one.Message);
        var same = Assert.Throws<ArgumentException>(() => ModelComparison.Compare(["a", "a"], [Trials.Models[0], Trials.Models[1]], data));
        Assert.Contains("distinct", same.Message);
        Assert.Equal(["x", "y"], ModelComparison.TrialNames(["/a/x.zip", "/b/y.zip"]));
        Assert.Equal(["/a/x.zip", "/b/x.zip"], ModelComparison.TrialNames(["/a/x.zip", "/b/x.zip"]));
    }

    private static float[][] Rows(float[] flat, int d) => Enumerable.Range(0, flat.Length / d).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();

    /// <summary>Linear CKA in the feature form, in double loops: ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F).</summary>
    internal static double LinearCka(float[][] x, float[][] y)
    {
        double[][] Centre(float[][] m)
        {
            int d = m[0].Length;
            var mean = new double[d];
            foreach (var row in m) for (int j = 0; j < d; j++) mean[j] += row[j] / (double)m.Length;
            return m.Select(row => row.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        }
        double Hsic(double[][] a, double[][] b)
        {
            double sum = 0;
            for (int p = 0; p < a[0].Length; p++)
                for (int q = 0; q < b[0].Length; q++)
                {
                    double dot = 0;
                    for (int i = 0; i < a.Length; i++) dot += a[i][p] * b[i][q];
                    sum += dot * dot;
                }
            return sum;
        }
        var xc = Centre(x);
        var yc = Centre(y);
        return Hsic(xc, yc) / Math.Sqrt(Hsic(xc, xc) * Hsic(yc, yc));
    }
}
