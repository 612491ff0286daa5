using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Tests.Pipeline;

/// <summary>One seed, one result: two runs of the whole method with the same settings write the same bytes.</summary>
[Collection(TorchGlobalRng.Name)]
public class ReproducibilityTests
{
    /// <summary>The only table of a run folder that holds wall-clock time, which no seed fixes.</summary>
    internal const string Timings = "timings.csv";

    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Data = new(() =>
    {
        var train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);
        return (train, test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 40, new Random(0))));
    });

    private static AnalysisRunOptions Small(int seed) => new()
    {
        Model = "smallcnn-3-8",
        Epochs = 2,
        TrainingFraction = 0.03,
        ProbesPerClass = 10,
        MisclassifiedCases = 3,
        Seed = seed,
        Ssc = new() { Solver = SscSolver.Omp },
    };

    [Fact]
    public void Two_Runs_With_One_Seed_Write_Byte_Identical_Snapshots_And_Csv_Files()
    {
        using var temp = new TempFolder();
        string a = temp.File("a"), b = temp.File("b"), other = temp.File("other");

        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, a, Small(3));
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, b, Small(3));
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, other, Small(4));

        var snapshots = Directory.GetFiles(Path.Combine(a, "snapshots"), "*.pt").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["epoch-001.optim.pt", "epoch-001.pt", "epoch-002.optim.pt", "epoch-002.pt"], snapshots);
        foreach (string file in snapshots)
            Assert.True(File.ReadAllBytes(Path.Combine(a, "snapshots", file)).SequenceEqual(File.ReadAllBytes(Path.Combine(b, "snapshots", file))), $"snapshots/{file} differs between two runs with seed 3");
        // The comparison can tell runs apart: another seed starts from other weights.
        Assert.False(File.ReadAllBytes(Path.Combine(a, "snapshots", "epoch-001.pt")).SequenceEqual(File.ReadAllBytes(Path.Combine(other, "snapshots", "epoch-001.pt"))));

        Assert.True(File.Exists(Path.Combine(a, "training.csv")));
        Assert.True(File.Exists(Path.Combine(a, "neighbours.csv")));
        AssertSameTables(a, b, "between two runs with seed 3");
        Assert.False(File.ReadAllBytes(Path.Combine(a, "layerwise.csv")).SequenceEqual(File.ReadAllBytes(Path.Combine(other, "layerwise.csv"))));
    }

    [Fact]
    public void Without_A_Seed_In_The_Options_The_MLContext_Seed_Is_The_Seed()
    {
        using var temp = new TempFolder();
        var fromContext = Small(7);
        fromContext.Seed = null;

        AnalysisRun.TrainAndAnalyze(new Microsoft.ML.MLContext(seed: 7), Data.Value.Train, Data.Value.Test, temp.File("context"), fromContext);
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, temp.File("options"), Small(7));

        Assert.Null(fromContext.Seed); // the caller's options are left as they were
        AssertSameTables(temp.File("context"), temp.File("options"), "between MLContext(seed: 7) and Seed = 7");
        Assert.Contains("\"Seed\": 7", File.ReadAllText(Path.Combine(temp.File("context"), "manifest.json")));
    }

    [Fact]
    public void A_Rerun_On_Other_Data_Of_The_Same_Size_Is_Refused_And_Names_The_Input()
    {
        using var temp = new TempFolder();
        string weights = temp.File("w.pt");
        using (var model = ModelZoo.Create("smallcnn-2-8", 1, 28, 10)) ModelWeights.Save(model, weights);
        var test = Data.Value.Test;
        var options = Small(3);
        options.Ssc = new();
        AnalysisRun.AnalyzeSnapshots(null, "smallcnn-2-8", [(1, weights)], test, temp.File("run"), options);
        // Same count, shape and classes: only the pixels differ.
        var other = new ImageDataset(test.Pixels.Select(v => 1 - v).ToArray(), test.Labels, test.Channels, test.Height, test.Width, test.ClassNames);

        var e = Assert.Throws<IOException>(() => AnalysisRun.AnalyzeSnapshots(null, "smallcnn-2-8", [(1, weights)], other, temp.File("run"), options));

        Assert.Contains("input 'test'", e.Message);
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public void Layers_Split_Into_Column_Blocks_Give_The_Same_Graphs_And_Tables()
    {
        using var temp = new TempFolder();
        string whole = temp.File("whole"), split = temp.File("split");
        var options = Small(3);
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, whole, options);
        options.ColumnBlocks = 3;
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, split, options);

        AssertSameTables(whole, split, "between one unit per layer and layers split into 3 column blocks");
        // The units' graphs (the run's graphs/ add the solve's wall-clock seconds).
        var graphs = Directory.GetFiles(Path.Combine(whole, "units"), "*.graph", SearchOption.AllDirectories);
        Assert.NotEmpty(graphs);
        foreach (string graph in graphs)
            Assert.True(File.ReadAllBytes(graph).SequenceEqual(File.ReadAllBytes(Path.Combine(split, Path.GetRelativePath(whole, graph)))), $"{graph} differs when split");
        foreach (string csv in Directory.GetFiles(Path.Combine(whole, "graphs"), "*.csv", SearchOption.AllDirectories).Where(c => !c.EndsWith(Timings, StringComparison.Ordinal)))
            Assert.True(File.ReadAllBytes(csv).SequenceEqual(File.ReadAllBytes(Path.Combine(split, Path.GetRelativePath(whole, csv)))), $"{csv} differs when split");
        // Each layer was 1 Gram rows unit, 3 code units and the unit that put them together, and the linear CKA 1 unit (N = 100:
        // one row block); the table says who did each.
        string units = File.ReadAllText(Directory.GetFiles(Path.Combine(split, "units"), "units.csv", SearchOption.AllDirectories)[0]);
        Assert.StartsWith("unit,description,worker,seconds", units);
        Assert.Contains(", codes 3 of 3\",local,", units);
        Assert.Contains(", Gram rows 1 of 1\",local,", units);
        Assert.Contains("\"linear CKA, rows 1-100 of 100\",local,", units);
    }

    /// <summary>Every CSV of run folder <paramref name="a"/> is byte-identical to the same file in <paramref name="b"/>, except timings.csv.</summary>
    internal static void AssertSameTables(string a, string b, string why)
    {
        var csvs = Directory.GetFiles(a, "*.csv").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Contains(Timings, csvs);
        Assert.Contains("layerwise.csv", csvs);
        foreach (string csv in csvs.Where(c => c != Timings))
            Assert.True(File.ReadAllBytes(Path.Combine(a, csv)).SequenceEqual(File.ReadAllBytes(Path.Combine(b, csv))), $"{csv} differs {why}");
    }
}
