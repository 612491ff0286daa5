using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Numerics.Similarity;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Tests.Pipeline;

/// <summary>The whole method on real Fashion-MNIST at a small scale, and the run's bad-input behaviour.</summary>
[Collection(TorchGlobalRng.Name)]
public class AnalysisRunTests
{
    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Data = new(() =>
    {
        var train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);
        // A small, class-balanced test split keeps per-epoch evaluation cheap.
        return (train, test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 40, new Random(0))));
    });

    private static AnalysisRunOptions Small() => new()
    {
        Model = "smallcnn-3-8",
        Epochs = 2,
        TrainingFraction = 0.03,
        ProbesPerClass = 10,
        MisclassifiedCases = 3,
        Seed = 3,
    };

    [Fact]
    public void Train_And_Analyze_Writes_A_Report_That_Chromium_Renders_And_Resumes_Without_Recomputing()
    {
        using var temp = new TempFolder();
        string folder = temp.File("run");

        // Two extra measures beside SSC-CKA: a similarity and a distance.
        var options = Small();
        options.Similarities = [new SimilarityOptions { Measure = SimilarityMeasure.Svcca }, new SimilarityOptions { Measure = SimilarityMeasure.Procrustes }];

        var first = AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, folder, options);

        foreach (string file in new[] { "report.html", "layerwise.csv", "ssc_cka.csv", "blocks.csv", "block_counts.csv", "dynamics.csv", "settling.csv", "agreement.csv", "neighbours.csv", "training.csv", "manifest.json", "figures/ssc_cka_heatmap.svg",
                     "blocks_by_epoch.csv", "figures/blocks_by_epoch.svg", "figures/ssc_cka_heatmap_epoch-001.svg", "figures/ssc_cka_heatmap_epoch-002.svg",
                     "similarity_1_svcca.csv", "figures/similarity_1_svcca_heatmap.svg", "similarity_2_procrustes.csv", "figures/similarity_2_procrustes_heatmap.svg" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing");
        Assert.Equal(3, first.Findings.Layerwise.Table.Rows.Count);
        Assert.Equal(2, first.Findings.Training!.Count);
        string dom = HeadlessChromium.DumpDom(first.ReportPath);
        Assert.Contains("SSC-CKA between layers", dom);
        Assert.Contains("no block structure: one block", dom);            // 3 layers: a shuffled order cannot be told from the real one
        Assert.Contains("svcca(keep=0.99) between layers", dom);
        Assert.Contains("Block structure per epoch", dom);
        Assert.Equal([1, 2], first.Findings.ArchitectureByEpoch.Select(e => e.Epoch));
        Assert.Same(first.Findings.Architecture, first.Findings.ArchitectureByEpoch[^1].Architecture);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "blocks_by_epoch.csv")).Length);      // header + one row per epoch
        Assert.Contains("procrustes of every pair of layers' activations (final model; a distance", dom);
        Assert.Equal(3, first.Findings.Similarities![0].Layers.Count);
        Assert.Contains("fill:rgb(8,29,88)", dom);                       // heatmap diagonal in YlGnBu's darkest colour
        Assert.True(CountOf(dom, "<table>") >= 6, "expected the training, layer, block, matrix, settling, agreement and neighbour tables");
        Assert.Contains("data:image/png;base64,", dom);
        Assert.Contains("Who computed the work units", dom);
        // Who computed what: 3 layers and 1 linear-CKA unit in each of 2 epochs, all in this process.
        Assert.Equal([("local", 8)], first.Findings.Workers.Select(w => (w.Worker, w.Units)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));

        string layerwise = File.ReadAllText(Path.Combine(folder, "layerwise.csv"));
        Assert.EndsWith("solver_iterations,converged", layerwise.Split('\n')[0].TrimEnd('\r')); // wall-clock seconds are in timings.csv
        string graph = Path.Combine(folder, "graphs", "epoch-002", "layer-00.bin"), snapshot = Path.Combine(folder, "snapshots", "epoch-002.pt");
        var (graphWritten, snapshotWritten) = (File.GetLastWriteTimeUtc(graph), File.GetLastWriteTimeUtc(snapshot));
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, folder, options);

        Assert.Equal(graphWritten, File.GetLastWriteTimeUtc(graph));          // the graph was loaded, not solved again
        Assert.Equal(snapshotWritten, File.GetLastWriteTimeUtc(snapshot));    // the training was not redone
        Assert.Equal(RemoveTimings(layerwise), RemoveTimings(File.ReadAllText(Path.Combine(folder, "layerwise.csv"))));
    }

    [Fact]
    public void Empty_Probe_Set_Is_Refused_Before_Any_Work()
    {
        using var temp = new TempFolder();
        var options = Small();
        options.ProbesPerClass = 0;

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, temp.File("run"), options));

        Assert.Contains("'ProbesPerClass'", e.Message);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void A_Class_Without_Probes_Is_Named()
    {
        using var temp = new TempFolder();
        var test = Data.Value.Test;
        var withoutBags = test.Select(Enumerable.Range(0, test.Count).Where(i => test.Labels[i] != 8).ToArray());

        var e = Assert.Throws<ArgumentException>(() => AnalysisRun.AnalyzeSnapshots(null, "smallcnn-3-8", [(1, WeightsOf("smallcnn-3-8", temp))], withoutBags, temp.File("run"), Small()));

        Assert.Contains("Class 8 has 0 input(s)", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.File("run"), "report.html")));
    }

    [Fact]
    public void Weights_That_Do_Not_Fit_The_Model_Name_The_Parameter()
    {
        using var temp = new TempFolder();
        string weights = WeightsOf("smallcnn-3-16", temp);

        var e = Assert.ThrowsAny<Exception>(() => AnalysisRun.AnalyzeSnapshots(null, "smallcnn-3-8", [(1, weights)], Data.Value.Test, temp.File("run"), Small()));

        Assert.Contains("features.0.conv.weight", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.File("run"), "report.html")));
    }

    [Fact]
    public void Unwritable_Output_Folder_Is_Named()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file"), "");
        string folder = Path.Combine(temp.File("file"), "run");

        var e = Assert.Throws<IOException>(() => AnalysisRun.AnalyzeSnapshots(null, "smallcnn-3-8", [(1, WeightsOf("smallcnn-3-8", temp))], Data.Value.Test, folder, Small()));

        Assert.Contains(folder, e.Message);
    }

    private static string WeightsOf(string spec, TempFolder temp)
    {
        string path = temp.File(spec + ".pt");
        using var model = ModelZoo.Create(spec, 1, 28, 10);
        ModelWeights.Save(model, path);
        return path;
    }

    private static string RemoveTimings(string csv) => string.Join("\n", csv.Split('\n').Select(line => string.Join(",", line.Split(',').SkipLast(1))));

    private static int CountOf(string s, string what) => (s.Length - s.Replace(what, "").Length) / what.Length;
}
